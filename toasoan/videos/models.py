"""News videos: the uploaded original, what probing found, and what processing
made of it (a poster, a web MP4, an HLS ladder). A record may name a file not
uploaded yet: imported archives name files like 72619_OHAI1.mp4 long before
anyone uploads them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoStatus(models.TextChoices):
    MISSING = "missing", _("Chưa có tệp")
    PENDING = "pending", _("Chờ xử lý")
    PROCESSING = "processing", _("Đang xử lý")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi xử lý")


class Video(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    original_filename = models.CharField(
        _("tên tệp gốc"), max_length=255, db_index=True
    )
    file = models.FileField(
        _("tệp video"),
        upload_to="videos/originals/",
        blank=True,
        max_length=255,
        help_text=_("MP4, MOV, WebM hoặc MPEG-TS."),
    )
    captions = models.FileField(
        _("phụ đề (WebVTT)"),
        upload_to="videos/captions/",
        blank=True,
        max_length=255,
        help_text=_("Tệp .vtt tiếng Việt, nếu có."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=VideoStatus.choices,
        default=VideoStatus.MISSING,
        db_index=True,
        editable=False,
    )
    failure_reason = models.TextField(_("lý do lỗi"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    processing_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What probing found.
    duration_seconds = models.FloatField(_("thời lượng (giây)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    video_codec = models.CharField(max_length=40, blank=True, editable=False)
    audio_codec = models.CharField(max_length=40, blank=True, editable=False)
    size_bytes = models.BigIntegerField(null=True, blank=True, editable=False)
    # What processing made, in the storage under videos/<id>/.
    poster = models.FileField(max_length=255, blank=True, editable=False)
    web_mp4 = models.FileField(max_length=255, blank=True, editable=False)
    hls_master = models.FileField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = ["title", "original_filename", "file", "captions"]

    class Meta:
        verbose_name = _("Video")
        verbose_name_plural = _("Video")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="video_job_idx")]

    def __str__(self) -> str:
        return self.title or self.original_filename

    def save(self, *args, **kwargs):
        # A file given, however it came (the admin, an import, code), is queued;
        # a record without one is missing.
        if self.file and self.status == VideoStatus.MISSING:
            self.status = VideoStatus.PENDING
        elif not self.file:
            self.status = VideoStatus.MISSING
        super().save(*args, **kwargs)

    @property
    def has_file(self) -> bool:
        """True only when the file is really in storage, not merely named."""
        return bool(self.file) and self.file.storage.exists(self.file.name)

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY and bool(self.web_mp4)

    @property
    def is_processing(self) -> bool:
        return self.status in (VideoStatus.PENDING, VideoStatus.PROCESSING)
