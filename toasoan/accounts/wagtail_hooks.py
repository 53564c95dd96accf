"""The dashboard tells a person when their account was last used before this
login, so that someone else's use of it is noticed."""

from datetime import datetime

from wagtail import hooks
from wagtail.admin.ui.components import Component

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
