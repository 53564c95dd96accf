"""Weak passwords are refused where accounts are made and changed: the admin's
user form says why, in Vietnamese."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(log_in_as):
    return log_in_as("Quản trị", username="quantri")


def add_user(client, password):
    return client.post(
        "/admin/users/new/",
        {
            "username": "nguyenthuha",
            "email": "thuha@example.vn",
            "first_name": "Thu",
            "last_name": "Hà",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab3$xyzw", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("83920174650", "Mật khẩu này hoàn toàn là số."),
        ("nguyenthuha1", "Mật khẩu quá giống với Tên đăng nhập."),
    ],
)
def test_a_weak_password_is_refused_with_a_clear_message(
    administrator, password, message
):
    response = add_user(administrator, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="nguyenthuha").exists()


def test_a_strong_password_is_accepted(administrator):
    response = add_user(administrator, "Lúa-mùa Vũ Thư 2026")
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nguyenthuha")
    assert user.check_password("Lúa-mùa Vũ Thư 2026")
