"""The newsroom's admin dashboard: what is scheduled, and what is overdue."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from toasoan.newsroom.scheduling import overdue_articles, scheduled_articles


class ScheduledArticlesPanel(Component):
    name = "scheduled_articles"
    template_name = "newsroom/scheduled_panel.html"
    order = 90  # above Wagtail's own panels: an overdue article is urgent

    def get_context_data(self, parent_context):
        scheduled = scheduled_articles()
        return {"scheduled": scheduled, "overdue": overdue_articles(items=scheduled)}


@hooks.register("construct_homepage_panels")
def add_scheduled_articles_panel(request, panels):
    if request.user.has_perm("news.add_article"):
        panels.append(ScheduledArticlesPanel())
