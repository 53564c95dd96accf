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
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from toasoan.videos.forms import VideoForm
from toasoan.videos.models import Video
from toasoan.videos.panels import VideoStatusPanel
from toasoan.videos.services import VideoNotStored, retry_video


class ShowsStorageFailure:
    """A video that cannot be written (a full disk) is an error on the form, not
    a server error: the transaction is rolled back and save_video has deleted
    what it wrote, so the editor can free space and send it again."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except VideoNotStored as error:
            field = "file" if "file" in form.changed_data else "captions"
            form.add_error(field, str(error))
            # What Wagtail's own is_valid() sets for a form it refuses.
            self.produced_error_code = "validation_error"
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class VideoCreateView(ShowsStorageFailure, CreateView):
    pass


class VideoEditView(ShowsStorageFailure, EditView):
    pass


class VideoViewSet(SnippetViewSet):
    model = Video
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
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
