"""Two-factor authentication with an authenticator app (TOTP, RFC 6238), by
django-otp's devices: a TOTP device per person, plus single-use backup codes for
the day the phone is lost. An administrator can require it for whole roles
(models.AccountSecuritySettings); middleware.TwoFactorMiddleware enforces it."""

from __future__ import annotations

import unicodedata

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from toasoan.accounts.models import AccountSecuritySettings
from toasoan.core.models import PressSettings
from toasoan.newsroom.roles import ADMINISTRATOR

APP_DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_DEVICE_NAME = "Mã dự phòng"
BACKUP_CODE_COUNT = 10
# A TOTP code is 6 digits and a backup code 8 characters; anything much longer is
# not a code, and is refused before it reaches the devices (or their throttle).
MAX_CODE_LENGTH = 32


def issuer_name() -> str:
    """The outlet's short name (or its name) from the press settings: what the
    phone app shows beside the account, so a reporter with several sites' codes
    knows which is which."""
    press = PressSettings.objects.order_by("pk").first()
    if press is not None:
        return press.short_name or press.outlet_name or "toasoan"
    return "toasoan"


def is_required_for(user: AbstractBaseUser) -> bool:
    """True when one of the user's groups is required to use a second factor. A
    superuser counts as an administrator: it can do everything the Quản trị role
    can, so it must not be the way around that role's rule."""
    required = AccountSecuritySettings.load().two_factor_groups.all()
    if user.groups.filter(pk__in=required).exists():
        return True
    return user.is_superuser and required.filter(name=ADMINISTRATOR).exists()


def app_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if two-factor is on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def device_to_set_up(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device whose secret the setup page shows: the same one
    until it is confirmed, so reloading the page does not change the QR code a
    person may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code to scan with the app. Only
    modules are drawn: no text of ours (the username) goes into the markup."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for an app that cannot scan."""
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(typed: str) -> str:
    """What a person typed, as a code: full-width digits made plain (a
    Vietnamese IME can give them), then only ASCII letters and digits kept (the
    spaces and dashes people type, and anything a code cannot hold, such as a
    NUL, which PostgreSQL would refuse in the backup-code lookup); lower case,
    as backup codes are stored."""
    text = unicodedata.normalize("NFKC", str(typed or ""))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).lower()


class CodeRefused(Exception):
    """The code was wrong, or the account must wait; the message says which, in
    Vietnamese and English."""


WRONG_CODE_FIRST_TIME = gettext_lazy(
    "Mã không đúng: hãy nhập mã sáu chữ số đang hiện trong ứng dụng. "
    "The code is not correct: type the six digits the app shows now."
)


@transaction.atomic
def confirm_app(device: TOTPDevice, typed: str) -> list[str]:
    """Turns two-factor on when the typed code matches the device; returns the
    new backup codes (shown once). A wrong code raises CodeRefused, and makes
    the next try wait, as at login."""
    code = clean_code(typed)
    if not code or len(code) > MAX_CODE_LENGTH:
        raise CodeRefused(WRONG_CODE_FIRST_TIME)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused(_wait_message(details))
    if not device.verify_token(code):
        raise CodeRefused(WRONG_CODE_FIRST_TIME)
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Replaces the user's backup codes with fresh ones: each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def check_code(user: AbstractBaseUser, typed: str) -> TOTPDevice | StaticDevice:
    """The device that accepts the typed code (the app's, or a backup code,
    which is then used up). Each wrong code makes the next attempt wait longer
    (django-otp's throttling: 1, 2, 4... seconds), so six digits cannot be
    guessed."""
    code = clean_code(typed)
    if not code:
        raise CodeRefused(_("Hãy nhập mã. Please enter the code."))
    if len(code) > MAX_CODE_LENGTH:
        raise CodeRefused(_("Mã không đúng. The code is not correct."))
    with transaction.atomic():
        # Locked rows: two requests at once must not both spend one failure
        # allowance, nor one backup code twice.
        devices = [
            *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
        ]
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                raise CodeRefused(_wait_message(details))
            if device.verify_token(code):
                return device
    raise CodeRefused(_("Mã không đúng. The code is not correct."))


def _wait_message(details: dict | None) -> str:
    details = details or {}
    if details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = details.get("locked_until")
        seconds = max(1, int((until - timezone.now()).total_seconds())) if until else 1
        return _(
            "Nhập sai nhiều lần: hãy đợi %(seconds)s giây rồi thử lại. "
            "Too many wrong codes: wait %(seconds)s seconds and try again."
        ) % {"seconds": seconds}
    return _("Chưa thử lại được, hãy đợi. Please wait before trying again.")


@transaction.atomic
def turn_off(user: AbstractBaseUser) -> None:
    """Removes the app and the backup codes (the person's choice where it is
    not required, or an administrator's reset after a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
