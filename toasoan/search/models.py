"""What the search index was built with, so a change of key rules rebuilds it."""

from django.db import models


class IndexState(models.Model):
    """One row: the ``syllables.KEY_VERSION`` the index was last built with."""

    key_version = models.PositiveIntegerField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Trạng thái chỉ mục tìm kiếm"

    def __str__(self) -> str:
        return f"key version {self.key_version}, built {self.built_at:%Y-%m-%d %H:%M}"
