"""The editorial comments, shown in the article's edit form."""

from wagtail.admin.panels import Panel


class EditorialCommentsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/comments_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            article = self.instance
            context["comments"] = (
                article.editorial_comments.select_related("author")
                if article.pk
                else []
            )
            context["article"] = article
            return context
