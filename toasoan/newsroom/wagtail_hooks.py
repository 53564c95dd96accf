"""The newsroom in Wagtail's admin: the dashboard's scheduled articles and
mentions, the withdraw and restore buttons, editorial comments, and our actions'
names in the audit log."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton

from toasoan.newsroom import views
from toasoan.newsroom.comments import mentions_of
from toasoan.newsroom.corrections import LOG_ACTIONS, may_withdraw
from toasoan.newsroom.scheduling import overdue_articles, scheduled_articles


class ScheduledArticlesPanel(Component):
    name = "scheduled_articles"
    template_name = "newsroom/scheduled_panel.html"
    order = 90  # above Wagtail's own panels: an overdue article is urgent

    def get_context_data(self, parent_context):
        scheduled = scheduled_articles()
        return {"scheduled": scheduled, "overdue": overdue_articles(items=scheduled)}


class MentionsPanel(Component):
    name = "editorial_mentions"
    template_name = "newsroom/mentions_panel.html"
    order = 95

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"mentions": mentions_of(self.user)}


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    if request.user.has_perm("news.add_article"):
        panels.append(ScheduledArticlesPanel())
        panels.append(MentionsPanel(request.user))


@hooks.register("register_admin_urls")
def withdrawal_urls():
    return [
        path("bai-viet/<int:pk>/go-bai/", views.withdraw, name="article_withdraw"),
        path("bai-viet/<int:pk>/khoi-phuc/", views.restore, name="article_restore"),
        path("bai-viet/<int:pk>/binh-luan/", views.comments, name="article_comments"),
    ]


@hooks.register("register_snippet_listing_buttons")
def withdrawal_buttons(snippet, user, next_url=None):
    from toasoan.news.models import Article

    if not isinstance(snippet, Article) or not snippet.live or not may_withdraw(user):
        return
    if snippet.withdrawn_at:
        yield ListingButton(
            "Khôi phục bài",
            reverse("article_restore", args=[snippet.pk]),
            icon_name="undo",
            priority=60,
        )
    else:
        yield ListingButton(
            "Gỡ bài",
            reverse("article_withdraw", args=[snippet.pk]),
            icon_name="warning",
            priority=60,
        )


@hooks.register("register_log_actions")
def newsroom_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
