"""The "Báo cáo sơ kết" page in the admin menu, for those who may read it."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from toasoan.reports.admin_views import PERMISSION, period_review


@hooks.register("register_admin_urls")
def report_urls():
    return [path("bao-cao/", period_review, name="period_review")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def report_menu_item():
    return ReportMenuItem(
        "Báo cáo sơ kết", reverse("period_review"), icon_name="doc-full", order=160
    )
