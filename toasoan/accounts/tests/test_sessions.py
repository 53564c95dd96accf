"""Admin sessions last a newsroom shift, in cookies scripts cannot read."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from toasoan.core.tests.test_settings import SETUP, run_python

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-Tòa-soạn-1"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "bientap", password=PASSWORD, is_superuser=True
    )


def test_a_remembered_login_lasts_twelve_hours_in_http_only_lax_cookies(client, editor):
    assert "Ghi nhớ đăng nhập" in client.get("/admin/login/").content.decode()
    response = client.post(
        "/admin/login/",
        {"username": "bientap", "password": PASSWORD, "remember": "on"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["max-age"] == 12 * 3600
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_a_login_not_remembered_ends_with_the_browser_and_still_expires(client, editor):
    client.post("/admin/login/", {"username": "bientap", "password": PASSWORD})
    assert client.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    stored = Session.objects.get()
    assert stored.expire_date <= timezone.now() + timedelta(hours=12)


def test_an_expired_session_asks_for_the_password_again(client, editor):
    client.post("/admin/login/", {"username": "bientap", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_session_length_comes_from_the_environment(tmp_path):
    code = (
        SETUP + "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    )
    result = run_python(
        code,
        "toasoan.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        TOASOAN_SESSION_HOURS="8",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(8 * 3600)
