"""The "Lượt xem" page in the admin menu, for the newsroom's staff."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from toasoan.audience.admin_views import audience_page


@hooks.register("register_admin_urls")
def audience_urls():
    return [path("luot-xem/", audience_page, name="audience")]


class AudienceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("news.add_article")


@hooks.register("register_admin_menu_item")
def audience_menu_item():
    return AudienceMenuItem(
        "Lượt xem", reverse("audience"), icon_name="view", order=150
    )
