from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from toasoan.videos.models import Video


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = _("Video")
    menu_order = 120
    add_to_admin_menu = True
    list_display = ["__str__", "original_filename", "created_at"]
    search_fields = ["title", "original_filename"]
    search_backend_name = None


register_snippet(VideoViewSet)
