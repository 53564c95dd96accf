"""The admin's side of accounts: the dashboard says when the account was last
used before this login (so someone else's use is noticed), and the pages of
two-factor authentication."""

from datetime import datetime

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from toasoan.accounts import two_factor, views
from toasoan.accounts.backends import PREVIOUS_LOGIN


class PreviousLoginPanel(Component):
    name = "previous_login"
    template_name = "accounts/previous_login_panel.html"
    order = 50  # first: it is about the account itself

    def __init__(self, previous: str):
        self.previous = previous

    def get_context_data(self, parent_context):
        previous = datetime.fromisoformat(self.previous) if self.previous else None
        return {"previous": previous}


@hooks.register("construct_homepage_panels")
def add_previous_login_panel(request, panels):
    # Only after a password login (the backend stores it), not a session that
    # began some other way.
    if PREVIOUS_LOGIN in request.session:
        panels.append(PreviousLoginPanel(request.session[PREVIOUS_LOGIN]))


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", views.settings_page, name="accounts_two_factor"),
        path("two-factor/verify/", views.verify, name="accounts_two_factor_verify"),
        path(
            "two-factor/reset/<int:user_id>/",
            views.reset_for,
            name="accounts_two_factor_reset",
        ),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Xác thực hai bước"),
        "help_text": _(
            "Thêm mã từ ứng dụng trên điện thoại khi đăng nhập. "
            "A code from a phone app at login."
        ),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user") and two_factor.has_two_factor(user):
        yield Button(
            _("Đặt lại xác thực hai bước"),
            url=reverse("accounts_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("register_log_actions")
def two_factor_log_actions(actions):
    actions.register_action(
        "toasoan.reset_two_factor",
        _("Đặt lại xác thực hai bước"),
        _("Đặt lại xác thực hai bước"),
    )
