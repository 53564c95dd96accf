"""Corrections and withdrawals, as the Law on Press asks: a correction is shown
under the article with its date; a withdrawn article's page shows a notice
instead of its content, while the article and every revision stay on the server
for the editor-in-chief. Both are in the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from toasoan.news.models import Article
from toasoan.news.services import refresh_listings
from toasoan.pagecache.purge import purge_article
from toasoan.search.services import index_article, remove_article

MAX_REASON = 2_000
LOG_ACTIONS = {
    "toasoan.correct": ("Đính chính", "Đính chính bài viết"),
    "toasoan.withdraw": ("Gỡ bài", "Gỡ bài khỏi trang"),
    "toasoan.restore": ("Khôi phục bài", "Khôi phục bài đã gỡ"),
    "toasoan.comment": ("Bình luận", "Bình luận biên tập"),
}


def may_withdraw(user) -> bool:
    return user.is_active and user.has_perm("news.withdraw_article")


def withdraw_article(article: Article, user, reason: str) -> Article:
    """Take a published article off the site, keeping it. ``reason`` is shown to
    readers: "Bài viết đã được gỡ bỏ: <reason>"."""
    if not may_withdraw(user):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            "Cần ghi lý do gỡ bài. / A reason for the withdrawal is required."
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            f"Lý do gỡ bài dài quá {MAX_REASON} ký tự. / "
            f"The reason is longer than {MAX_REASON} characters."
        )
    article.refresh_from_db()
    if not article.live:
        raise ValidationError(
            "Chỉ gỡ được bài đang đăng. / Only a published article can be withdrawn."
        )
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            withdrawn_at=timezone.now(), withdrawal_reason=reason
        )
        article.refresh_from_db(fields=["withdrawn_at", "withdrawal_reason"])
        log(article, "toasoan.withdraw", user=user, data={"reason": reason})
        remove_article(article.pk)
        purge_article(article)
    refresh_listings()
    return article


def restore_article(article: Article, user) -> Article:
    if not may_withdraw(user):
        raise PermissionDenied
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            withdrawn_at=None, withdrawal_reason=""
        )
        article.refresh_from_db()
        log(article, "toasoan.restore", user=user)
        index_article(article)
        purge_article(article)
    refresh_listings()
    return article


def log_correction(sender, instance: Article, revision=None, **kwargs) -> None:
    """On publish: a new or changed correction note goes into the audit log."""
    note = instance.correction_note
    if not note:
        return
    from wagtail.models import ModelLogEntry

    last = (
        ModelLogEntry.objects.for_instance(instance)
        .filter(action="toasoan.correct")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if last is None or last.data.get("note") != note:
        user = getattr(revision, "user", None)
        log(instance, "toasoan.correct", user=user, data={"note": note})
