"""The newsroom's own records beside Wagtail's: editorial comments on articles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditorialComment(models.Model):
    """A note between reporters and editors about an article ("@bientap xem giúp
    số liệu"): not part of the article, not in its revisions, never public."""

    article = models.ForeignKey(
        "news.Article",
        on_delete=models.CASCADE,
        related_name="editorial_comments",
        verbose_name=_("bài viết"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người viết"),
    )
    text = models.TextField(_("nội dung"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="editorial_mentions",
        verbose_name=_("nhắc đến"),
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bình luận biên tập")
        verbose_name_plural = _("bình luận biên tập")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:50]}"
