"""The pages of two-factor authentication: the code after the password, and the
person's own setup (two_factor.py does the work)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.log_actions import log

from toasoan.accounts import two_factor


@sensitive_post_parameters("code")
def verify(request):
    """The code from the app (or a backup code) after the password."""
    if not two_factor.has_two_factor(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        try:
            device = two_factor.check_code(request.user, request.POST.get("code", ""))
        except two_factor.CodeRefused as refusal:
            error = str(refusal)
        else:
            django_otp.login(request, device)
            if isinstance(device, two_factor.StaticDevice):
                left = two_factor.backup_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "Bạn vừa dùng một mã dự phòng; còn %(left)s mã. "
                        "You used a backup code; %(left)s are left."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "accounts/two_factor_verify.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@sensitive_post_parameters("code")
def settings_page(request):
    """Turn the app on (scan, then type one code to prove it works), get new
    backup codes, or turn it off where the role allows."""
    user = request.user
    required = two_factor.is_required_for(user)
    context = {"required": required, "error": "", "backup_codes": None}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        device = two_factor.device_to_set_up(user)
        try:
            codes = two_factor.confirm_app(device, request.POST.get("code", ""))
        except two_factor.CodeRefused as refusal:
            context["error"] = str(refusal)
        else:
            django_otp.login(request, device)  # this session has just proved it
            context["backup_codes"] = codes
            messages.success(
                request,
                _("Đã bật xác thực hai bước. Two-factor authentication is on."),
            )
    elif action == "new_codes" and two_factor.has_two_factor(user):
        context["backup_codes"] = two_factor.new_backup_codes(user)
    elif action == "turn_off" and two_factor.has_two_factor(user):
        if required:
            context["error"] = _(
                "Vai trò của bạn bắt buộc xác thực hai bước. "
                "Your role requires two-factor authentication."
            )
        else:
            two_factor.turn_off(user)
            messages.success(
                request,
                _("Đã tắt xác thực hai bước. Two-factor authentication is off."),
            )
            return redirect("accounts_two_factor")
    enabled = two_factor.has_two_factor(user)
    context["enabled"] = enabled
    if enabled:
        context["backup_codes_left"] = two_factor.backup_codes_left(user)
    else:
        device = two_factor.device_to_set_up(user)
        context["qr_code"] = two_factor.qr_code_svg(device)
        context["secret"] = two_factor.secret_for_typing(device)
    return TemplateResponse(
        request,
        "accounts/two_factor_settings.html",
        context,
        status=400 if context["error"] else 200,
    )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def reset_for(request, user_id: int):
    """An administrator turns off someone's two-factor after a lost phone; the
    person sets it up again at the next login where their role requires it."""
    if not request.user.has_perm("auth.change_user"):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        two_factor.turn_off(person)
        log(
            instance=person,
            action="toasoan.reset_two_factor",
            user=request.user,
        )
        messages.success(
            request,
            _(
                "Đã đặt lại xác thực hai bước của %(name)s. "
                "%(name)s's two-factor authentication was reset."
            )
            % {"name": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "accounts/two_factor_reset.html",
        {"person": person, "enabled": two_factor.has_two_factor(person)},
    )
