"""The admin's (and Django's) password check, with login throttling."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from toasoan.accounts.throttling import (
    forget_failed_logins,
    login_refusal,
    record_failed_login,
)
from toasoan.core.addresses import client_ip

# Where the session keeps the account's login before this one, for the
# dashboard (wagtail_hooks.PreviousLoginPanel): "" for a first login.
PREVIOUS_LOGIN = "toasoan_previous_login"
# Longer than any username the admin accepts (254); nothing to look up.
MAX_USERNAME = 254


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing without checking the password while the
    account or the address is throttled (throttling.py). A refusal raises
    PermissionDenied, so no later backend is asked either, and leaves its
    reason on the request for the login form (forms.LoginForm)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        address = client_ip(request) if request is not None else ""
        refusal = login_refusal(username, address)
        if refusal:
            if request is not None:
                request.login_refusal = refusal
            raise PermissionDenied(refusal)
        user = None
        # A NUL cannot be looked up (PostgreSQL refuses it in a query); an
        # absurd length is no account either. Both still count as failures.
        if "\x00" not in username and len(username) <= MAX_USERNAME:
            user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            record_failed_login(username, address)
            return None
        forget_failed_logins(username)
        if request is not None and hasattr(request, "session"):
            previous = user.last_login.isoformat() if user.last_login else ""
            request.session[PREVIOUS_LOGIN] = previous
        return user
