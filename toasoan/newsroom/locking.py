"""An article being edited is locked for others, with its holder shown (Wagtail's
lock message). The lock is taken by the first save of a change (Wagtail autosaves
as one types), not by opening the form: a reviewer who only reads or approves
takes nothing. It is given back when the article is submitted, returned, approved
or published, and lapses after EDIT_LOCK_MINUTES without a save, so that a closed
browser tab does not block the desk. The editor-in-chief can force-unlock at any
time (Wagtail's unlock permission)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.log_actions import log

EDIT_LOCK_MINUTES = 30


def lock_is_stale(article, now=None) -> bool:
    if not article.locked or article.locked_at is None:
        return False
    now = now or timezone.now()
    return article.locked_at < now - timedelta(minutes=EDIT_LOCK_MINUTES)


def lock_for_editing(article, user) -> bool:
    """Lock ``article`` for ``user`` unless someone else holds a live lock; a
    lock the user already holds is renewed. Returns whether the user holds it."""
    if (
        article.locked
        and article.locked_by_id != user.pk
        and not lock_is_stale(article)
    ):
        return False
    renewing = article.locked and article.locked_by_id == user.pk
    now = timezone.now()
    type(article).objects.filter(pk=article.pk).update(
        locked=True, locked_by=user, locked_at=now
    )
    article.locked, article.locked_by, article.locked_at = True, user, now
    if not renewing:
        log(article, "wagtail.lock", user=user)
    return True


def release_edit_lock(sender=None, instance=None, **kwargs) -> None:
    """Submitted, returned, approved or published: whoever held the article has
    handed it on (signal receiver)."""
    from toasoan.news.models import Article

    if hasattr(instance, "workflow_state"):  # a task state: approved, returned
        instance = instance.workflow_state
    article = getattr(instance, "content_object", instance)
    if not isinstance(article, Article):
        return
    # The instance a signal carries may have been loaded before the lock was
    # taken in this very request: ask the database, not the instance.
    released = Article.objects.filter(pk=article.pk, locked=True).update(
        locked=False, locked_by=None, locked_at=None
    )
    article.locked, article.locked_by, article.locked_at = False, None, None
    if released:
        log(article, "wagtail.unlock", user=kwargs.get("user"))
