"""Editorial comments with @mentions: who may write them, whom they reach."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from toasoan.news.models import Article
from toasoan.newsroom.models import EditorialComment

MAX_COMMENT = 5_000
# "@bientap" — a username after an @ that does not follow a letter (not an email).
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def may_comment(user, article: Article) -> bool:
    """Whoever may edit the article, and the editors who review it."""
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    policy = policy_registry.get_by_type(Article)
    return policy.user_has_permission_for_instance(user, "change", article)


def mentioned_users(text: str):
    names = {name.rstrip(".") for name in MENTION.findall(text)}
    return get_user_model().objects.filter(username__in=names, is_active=True)


def post_comment(article: Article, user, text: str) -> EditorialComment:
    if not may_comment(user, article):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError("Bình luận trống. / The comment is empty.")
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            f"Bình luận dài quá {MAX_COMMENT:,} ký tự. / "
            f"The comment is longer than {MAX_COMMENT:,} characters."
        )
    with transaction.atomic():
        comment = EditorialComment.objects.create(
            article=article, author=user, text=text
        )
        mentioned = [u for u in mentioned_users(text) if u.pk != user.pk]
        comment.mentions.set(mentioned)
        log(article, "toasoan.comment", user=user, data={"comment": comment.pk})
    recipients = [u.email for u in mentioned if u.email]
    if recipients:
        send_mail(
            f"{user.get_username()} nhắc đến bạn: {article.title}"[:200],
            text,
            None,
            recipients,
            fail_silently=True,
        )
    return comment


def mentions_of(user, limit: int = 10) -> list[EditorialComment]:
    return list(
        EditorialComment.objects.filter(mentions=user)
        .select_related("article", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
