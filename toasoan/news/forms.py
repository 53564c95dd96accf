"""The article form in the admin: Wagtail's, with the newsroom's own checks."""

from datetime import timedelta

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

# A schedule set a moment ago (the editor clicked slowly) still goes out now.
SCHEDULE_SLACK = timedelta(minutes=1)


class ArticleForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        go_live_at = cleaned.get("go_live_at")
        if (
            go_live_at
            and "go_live_at" in self.changed_data
            and go_live_at < timezone.now() - SCHEDULE_SLACK
        ):
            self.add_error(
                "go_live_at",
                "Thời điểm đăng đã qua: chọn một thời điểm sắp tới, hoặc đăng ngay. "
                "/ The go-live time has passed.",
            )
        if "action-publish" in self.data or "action-submit" in self.data:
            article = self.instance
            for name in ("featured_image", "featured_image_alt", "body"):
                if name in cleaned:
                    setattr(article, name, cleaned[name])
            for problem in article.publishing_problems():
                field = "body" if "nội dung" in problem else "featured_image_alt"
                self.add_error(field, problem)
        return cleaned
