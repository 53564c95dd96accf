"""Asks for the second factor before anything else in the admin."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from toasoan.accounts import two_factor
from toasoan.core.csp import admin_prefix

# Reachable before the second factor: signing in and out, the password reset by
# e-mail, the admin's icons and script translations, and the code page itself.
BEFORE_SECOND_FACTOR = (
    "login/",
    "logout/",
    "password_reset/",
    "jsi18n/",
    "sprite/",
    "two-factor/verify/",
)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware (which tells whether this session has
    passed a second factor): in the admin, someone with an authenticator app who
    has only given the password is sent to the code page; someone whose role
    requires the app and has none is sent to set it up, and can do nothing else
    until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        prefix = admin_prefix()
        if path.startswith(prefix) and not path.removeprefix(prefix).startswith(
            BEFORE_SECOND_FACTOR
        ):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                if two_factor.has_two_factor(user):
                    return _go_to("accounts_two_factor_verify", request)
                setup = reverse("accounts_two_factor")
                if path != setup and two_factor.is_required_for(user):
                    return _go_to("accounts_two_factor", request)
        return self.get_response(request)


def _go_to(name: str, request):
    url = reverse(name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
