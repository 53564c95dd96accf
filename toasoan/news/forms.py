"""The article form in the admin: Wagtail's, with the newsroom's own checks."""

from datetime import timedelta

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

# A schedule set a moment ago (the editor clicked slowly) still goes out now.
SCHEDULE_SLACK = timedelta(minutes=1)


class ArticleForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_unreadable = False
        if "body" in self.fields:
            widget = self.fields["body"].widget
            read = widget.value_from_datadict

            def value_from_datadict(data, files, name):
                # The editor posts its JSON; anything else (a hand-made request)
                # made Wagtail's converter raise: a 500 instead of a form error.
                try:
                    return read(data, files, name)
                except ValueError:
                    self.body_unreadable = True
                    return None

            widget.value_from_datadict = value_from_datadict
        locale_id = getattr(self.instance, "locale_id", None)
        if "section" in self.fields and locale_id:
            # An article lives in its own edition's sections.
            field = self.fields["section"]
            field.queryset = field.queryset.filter(locale_id=locale_id)

    def clean(self):
        cleaned = super().clean()
        if self.body_unreadable:
            self.add_error(
                "body", "Nội dung gửi lên không đọc được. / The body could not be read."
            )
        section = cleaned.get("section")
        locale_id = getattr(self.instance, "locale_id", None)
        if section is not None and locale_id and section.locale_id != locale_id:
            self.add_error(
                "section",
                "Chuyên mục thuộc ấn bản khác: chọn chuyên mục cùng ngôn ngữ với bài. "
                "/ The section belongs to another edition.",
            )
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
