"""Two-factor authentication with an authenticator app (TOTP): a person turns it
on for themselves; an administrator can require it for whole roles; a lost phone
is reset by an administrator. The codes here are computed as the phone app
computes them, from the secret the setup page shows."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from lxml import etree
from wagtail.models import ModelLogEntry

from toasoan.accounts import two_factor
from toasoan.accounts.models import AccountSecuritySettings
from toasoan.newsroom.roles import ADMINISTRATOR, EDITOR, EDITOR_IN_CHIEF

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-Tòa-soạn-2fa"
SETUP = "/admin/two-factor/"
VERIFY = "/admin/two-factor/verify/"


def code_from_phone(secret_shown: str, offset: int = 0) -> str:
    """What the phone app shows, from the secret as the page shows it."""
    key = base64.b32decode(secret_shown.replace(" ", ""))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def member_of(role: str, username: str = "bientap"):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def with_app(user) -> str:
    """Turns two-factor on for the user as the setup page would; returns the
    secret the page would have shown."""
    device = two_factor.device_to_set_up(user)
    secret = two_factor.secret_for_typing(device)
    assert two_factor.confirm_app(device, code_from_phone(secret))
    # As if set up a while ago: a code is accepted once (replays are refused,
    # test_a_code_is_accepted_only_once), and this one was spent on the setup.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return secret


def password_login(client: Client, username: str = "bientap") -> None:
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def require_for(*roles: str) -> None:
    rule = AccountSecuritySettings.load()
    rule.two_factor_groups.set(Group.objects.filter(name__in=roles))


def test_turning_it_on_takes_a_code_from_the_app(client, home):
    user = member_of(EDITOR)
    password_login(client)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert etree.fromstring(svg.encode()).tag.endswith("svg")  # a real QR drawing
    secret = re.search(r'two-factor__secret">([A-Z2-7 ]+)<', html).group(1)
    assert client.get(SETUP).content.decode().count(secret) == 1  # same on reload

    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400
    assert "Mã không đúng" in wrong.content.decode()
    assert not two_factor.has_two_factor(user)

    TOTPDevice.objects.update(throttling_failure_count=0)  # no waiting here
    right = client.post(SETUP, {"action": "confirm", "code": code_from_phone(secret)})
    assert right.status_code == 200
    html = right.content.decode()
    assert "Đã bật xác thực hai bước" in html
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)
    assert len(codes) == 10
    assert two_factor.has_two_factor(user)
    # This session proved the code: it goes on working without asking again.
    assert client.get("/admin/").status_code == 200


def test_after_the_password_the_admin_asks_for_the_code(client, home):
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    for path in ("/admin/", "/admin/snippets/news/article/", SETUP):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY + "?next=")
    page = client.get(VERIFY + "?next=/admin/snippets/news/article/")
    assert "Xác thực hai bước" in page.content.decode()

    wrong = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "Mã không đúng. The code is not correct." in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    TOTPDevice.objects.update(throttling_failure_count=0)  # no waiting here
    right = client.post(
        VERIFY,
        {"code": code_from_phone(secret), "next": "/admin/snippets/news/article/"},
    )
    assert right.status_code == 302
    assert right.url == "/admin/snippets/news/article/"
    assert client.get("/admin/").status_code == 200

    # Another browser with the same password is asked again.
    other = Client()
    password_login(other)
    assert other.get("/admin/").url.startswith(VERIFY)


def test_a_code_from_one_step_before_or_after_still_works(client, home):
    # Phones' clocks drift: the app's code from 30 s ago is still accepted.
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    late = client.post(VERIFY, {"code": code_from_phone(secret, offset=-30)})
    assert late.status_code == 302 and client.get("/admin/").status_code == 200


def test_a_code_is_accepted_only_once(client, home):
    # Someone who saw the code over a shoulder cannot use it after its owner.
    user = member_of(EDITOR)
    secret = with_app(user)
    code = code_from_phone(secret)
    password_login(client)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    onlooker = Client()
    password_login(onlooker)
    assert onlooker.post(VERIFY, {"code": code}).status_code == 400
    assert onlooker.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, home):
    user = member_of(EDITOR)
    with_app(user)
    codes = two_factor.new_backup_codes(user)
    password_login(client)
    used = client.post(VERIFY, {"code": codes[3].upper()})  # as typed from paper
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert two_factor.backup_codes_left(user) == 9

    again = Client()
    password_login(again)
    response = again.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 400
    assert again.get("/admin/").status_code == 302


def test_wrong_codes_make_the_next_try_wait(client, home):
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    for _ in range(3):
        client.post(VERIFY, {"code": "999999"})
    refused = client.post(VERIFY, {"code": code_from_phone(secret)})
    assert refused.status_code == 400
    assert "hãy đợi" in refused.content.decode()
    assert "wait" in refused.content.decode()
    assert client.get("/admin/").status_code == 302
    # When the wait is over, the right code goes through.
    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_timestamp -= device.throttling_failure_timestamp - (
        device.throttling_failure_timestamp.replace(year=2020)
    )
    device.save()
    assert client.post(VERIFY, {"code": code_from_phone(secret)}).status_code == 302


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "x" * 10_000,
        "12\x003456",
        "１２３４５６",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "😀😀😀",
        "\u200b",
    ],
)
def test_odd_codes_never_give_a_500(client, home, typed):
    user = member_of(EDITOR)
    with_app(user)
    password_login(client)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    setup = client.post(SETUP, {"action": "confirm", "code": typed})
    assert setup.status_code == 302  # still asked for the code first


def test_full_width_digits_from_a_vietnamese_keyboard_are_read(client, home):
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    wide = "".join(chr(ord(d) + 0xFEE0) for d in code_from_phone(secret))
    assert client.post(VERIFY, {"code": wide}).status_code == 302


def test_a_non_utf8_post_never_gives_a_500(client, home):
    user = member_of(EDITOR)
    with_app(user)
    password_login(client)
    response = client.generic(
        "POST",
        VERIFY,
        b"code=%ff%fe%00&next=%c3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 302)


def test_next_never_leads_to_another_site(client, home):
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    response = client.post(
        VERIFY, {"code": code_from_phone(secret), "next": "https://lua-dao.example/"}
    )
    assert response.url == "/admin/"


def test_an_administrator_requires_it_for_roles(client, home):
    chief = member_of(EDITOR_IN_CHIEF, "tongbientap")
    editor = member_of(EDITOR, "bientap")
    require_for(EDITOR_IN_CHIEF, ADMINISTRATOR)

    client.force_login(chief)
    for path in ("/admin/", "/admin/snippets/news/article/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(SETUP + "?next=")
    page = client.get(SETUP).content.decode()
    assert "Vai trò của bạn bắt buộc xác thực hai bước" in page
    secret = re.search(r'two-factor__secret">([A-Z2-7 ]+)<', page).group(1)
    client.post(SETUP, {"action": "confirm", "code": code_from_phone(secret)})
    assert client.get("/admin/").status_code == 200
    # Required: it cannot be turned off by the person.
    off = client.post(SETUP, {"action": "turn_off"})
    assert off.status_code == 400
    assert two_factor.has_two_factor(chief)

    # Not required for the editors: the admin opens without it.
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    # A superuser counts as an administrator.
    boss = get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    client.force_login(boss)
    assert client.get("/admin/").url.startswith(SETUP)


def test_where_it_is_not_required_a_person_may_turn_it_off(client, home):
    user = member_of(EDITOR)
    secret = with_app(user)
    password_login(client)
    client.post(VERIFY, {"code": code_from_phone(secret)})
    response = client.post(SETUP, {"action": "turn_off"})
    assert response.status_code == 302
    assert not two_factor.has_two_factor(user)
    assert not StaticDevice.objects.filter(user=user).exists()


def test_the_rule_is_set_by_an_administrator_in_the_admin(log_in_as, home):
    admin = log_in_as(ADMINISTRATOR)
    url = admin.get("/admin/settings/accounts/accountsecuritysettings/").url
    page = admin.get(url)
    assert page.status_code == 200
    assert "nhóm bắt buộc xác thực hai bước" in page.content.decode().lower()
    chief = Group.objects.get(name=EDITOR_IN_CHIEF)
    saved = admin.post(url, {"two_factor_groups": [chief.pk]})
    assert saved.status_code == 302
    assert list(AccountSecuritySettings.load().two_factor_groups.all()) == [chief]


def test_editors_cannot_change_the_rule(client, home):
    client.force_login(member_of(EDITOR_IN_CHIEF))
    url = "/admin/settings/accounts/accountsecuritysettings/"
    chief = Group.objects.get(name=EDITOR_IN_CHIEF)
    response = client.post(url, {"two_factor_groups": [chief.pk]})
    assert response.status_code in (302, 403)
    assert not AccountSecuritySettings.load().two_factor_groups.exists()


def test_an_administrator_resets_a_lost_phone(log_in_as, home):
    reporter = member_of(EDITOR, "phongvien")
    with_app(reporter)
    admin = log_in_as(ADMINISTRATOR)
    listing = admin.get("/admin/users/").content.decode()
    assert "Đặt lại xác thực hai bước" in listing
    url = f"/admin/two-factor/reset/{reporter.pk}/"
    assert "phongvien" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    assert not two_factor.has_two_factor(reporter)
    entry = ModelLogEntry.objects.get(action="toasoan.reset_two_factor")
    assert entry.user_id == admin.user.pk


def test_only_an_administrator_may_reset(client, home):
    victim = member_of(EDITOR_IN_CHIEF, "tongbientap")
    with_app(victim)
    client.force_login(member_of(EDITOR, "bientap"))
    response = client.post(f"/admin/two-factor/reset/{victim.pk}/")
    assert response.status_code in (302, 403)
    assert two_factor.has_two_factor(victim)


def test_the_command_resets_an_administrator_locked_out(home, capsys):
    boss = member_of(ADMINISTRATOR, "quantri")
    with_app(boss)
    call_command("reset_two_factor", "quantri")
    assert not two_factor.has_two_factor(boss)
    assert "Đã tắt xác thực hai bước" in capsys.readouterr().out
    with pytest.raises(Exception, match="Không có tài khoản"):
        call_command("reset_two_factor", "khong-co")
