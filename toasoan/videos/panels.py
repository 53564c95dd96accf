"""The video's processing state in its edit form, with "Thử lại" after a failure."""

from wagtail.admin.panels import Panel


class VideoStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "videos/status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["video"] = self.instance
            return context
