"""Videos in the admin: the upload form that probes, the processing state, and
"Thử lại" for a failed job."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from toasoan.videos.forms import VideoForm
from toasoan.videos.models import Video
from toasoan.videos.panels import VideoStatusPanel
from toasoan.videos.services import retry_video


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = _("Video")
    menu_order = 120
    add_to_admin_menu = True
    list_display = ["__str__", "original_filename", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "original_filename"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            VideoStatusPanel(),
            FieldPanel("title"),
            FieldPanel("original_filename"),
            FieldPanel("file"),
            FieldPanel("captions"),
        ],
        base_form_class=VideoForm,
    )


register_snippet(VideoViewSet)


@require_POST
def retry(request, pk: int):
    video = get_object_or_404(Video, pk=pk)
    if not request.user.has_perm("videos.change_video"):
        messages.error(request, "Bạn không có quyền sửa video này.")
    elif retry_video(video):
        messages.success(request, f"Đã đưa “{video}” vào hàng chờ xử lý lại.")
    else:
        messages.warning(request, "Video này không ở trạng thái lỗi.")
    return redirect("wagtailsnippets_videos_video:edit", pk)


@hooks.register("register_admin_urls")
def video_urls():
    return [path("video/<int:pk>/thu-lai/", retry, name="video_retry")]
