"""A person sees when their account was last used: on the dashboard after a
password login, and for every account in the users listing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-Tòa-soạn-1"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "bientap", password=PASSWORD, is_superuser=True
    )


def test_the_dashboard_shows_the_login_before_this_one(client, editor):
    editor.last_login = datetime(2026, 11, 20, 22, 15, 7, tzinfo=VIETNAM)
    editor.save()
    client.post("/admin/login/", {"username": "bientap", "password": PASSWORD})
    page = client.get("/admin/").content.decode()
    assert "Lần đăng nhập trước" in page
    assert "Thứ 6, 20.11.2026 | 22:15:07" in page
    assert "Nếu đó không phải bạn, hãy đổi mật khẩu ngay" in page
    editor.refresh_from_db()
    assert editor.last_login > datetime(2026, 11, 21, tzinfo=VIETNAM)  # now


def test_a_first_login_says_so(client, editor):
    client.post("/admin/login/", {"username": "bientap", "password": PASSWORD})
    assert "Đây là lần đầu tài khoản của bạn đăng nhập." in (
        client.get("/admin/").content.decode()
    )


def test_the_users_listing_shows_each_accounts_last_login(log_in_as, editor):
    editor.last_login = datetime(2026, 11, 20, 22, 15, tzinfo=VIETNAM)
    editor.save()
    page = log_in_as("Quản trị").get("/admin/users/").content.decode()
    assert "Đăng nhập lần cuối" in page  # the column, in our Vietnamese
    assert "bientap" in page
