"""News video records. A record may name a file that is not uploaded yet."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Video(models.Model):
    """A video attached to articles; imported archives name files like 72619_OHAI1.mp4
    long before anyone uploads them, so the file itself is optional."""

    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    original_filename = models.CharField(
        _("tên tệp gốc"), max_length=255, db_index=True
    )
    file = models.FileField(_("tệp video"), upload_to="videos/", blank=True)
    duration_seconds = models.FloatField(_("thời lượng (giây)"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    panels = ["title", "original_filename", "file"]

    class Meta:
        verbose_name = _("Video")
        verbose_name_plural = _("Video")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.original_filename

    @property
    def has_file(self) -> bool:
        """True only when the file is really in storage, not merely named."""
        return bool(self.file) and self.file.storage.exists(self.file.name)
