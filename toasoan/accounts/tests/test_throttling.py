"""Login throttling per account and per address, through Wagtail's login page
and Django's authenticate()."""

import os
import time
import uuid

import pytest
import redis
from django.contrib.auth import authenticate, get_user_model
from django.test import Client

from toasoan.accounts.throttling import address_key

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-Tòa-soạn-1"
OFFICE = "203.0.113.7"  # one carrier address, many phones behind it
LOCKED_VI = "Tài khoản này tạm bị khóa đăng nhập"
LOCKED_EN = "This account is locked after too many failed logins"
ADDRESS_VI = "Địa chỉ mạng của bạn tạm bị chặn đăng nhập"
WRONG = "không trùng với mật khẩu"  # Wagtail's "didn't match", in Vietnamese


@pytest.fixture
def staff(db):
    users = get_user_model().objects
    return [
        users.create_user(name, password=PASSWORD, is_superuser=True)
        for name in ("thuha", "caobien")
    ]


def log_in(username, password, address=OFFICE):
    """A fresh browser (no cookies) at Wagtail's login page."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        "/admin/login/", {"username": username, "password": password}
    )
    response.logged_in = "_auth_user_id" in client.session
    return response


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(staff):
    for _ in range(5):
        response = log_in("thuha", "sai-mat-khau")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    refused = log_in("thuha", PASSWORD)
    assert refused.status_code == 200
    assert not refused.logged_in
    page = refused.content.decode()
    assert LOCKED_VI in page and LOCKED_EN in page
    assert "15 phút" in page and "15 minutes" in page
    # From every address, with any case or spacing of the name.
    assert not log_in("thuha", PASSWORD, address="198.51.100.20").logged_in
    assert not log_in(" ThuHa ", PASSWORD, address="198.51.100.20").logged_in


def test_a_colleague_behind_the_same_address_still_logs_in(staff):
    for _ in range(6):
        log_in("thuha", "sai-mat-khau")
    colleague = log_in("caobien", PASSWORD)
    assert colleague.status_code == 302
    assert colleague["Location"] == "/admin/"
    assert colleague.logged_in


def test_the_account_opens_again_after_the_cooldown(staff, monkeypatch):
    for _ in range(5):
        log_in("thuha", "sai-mat-khau")
    assert not log_in("thuha", PASSWORD).logged_in
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's clock too
    assert log_in("thuha", PASSWORD).logged_in


def test_a_successful_login_is_not_counted_and_clears_the_account_count(staff):
    for _ in range(4):
        log_in("thuha", "sai-mat-khau")
    assert log_in("thuha", PASSWORD).logged_in
    for _ in range(4):
        log_in("thuha", "sai-mat-khau")
    assert log_in("thuha", PASSWORD).logged_in


def test_one_address_is_refused_only_after_fifty_failures(staff):
    # Fifty different people mistyping once each from one carrier address.
    for n in range(49):
        log_in(f"nguoi-{n}", "sai-mat-khau")
    assert log_in("caobien", PASSWORD).logged_in
    log_in("nguoi-49", "sai-mat-khau")
    refused = log_in("caobien", PASSWORD)
    assert not refused.logged_in
    assert ADDRESS_VI in refused.content.decode()
    assert log_in("caobien", PASSWORD, address="198.51.100.20").logged_in


def test_limits_are_configurable(staff, settings):
    settings.TOASOAN_LOGIN_ACCOUNT_FAILURES = 2
    settings.TOASOAN_LOGIN_LOCK_MINUTES = 60
    log_in("thuha", "sai-mat-khau")
    assert log_in("thuha", PASSWORD).logged_in  # and the count starts again
    log_in("thuha", "sai-mat-khau")
    log_in("thuha", "sai-mat-khau")
    refused = log_in("thuha", PASSWORD)
    assert not refused.logged_in
    assert "60 phút" in refused.content.decode()


def test_djangos_authenticate_is_throttled_too(staff):
    for _ in range(5):
        assert authenticate(username="thuha", password="sai-mat-khau") is None
    assert authenticate(username="thuha", password=PASSWORD) is None
    assert not Client().login(username="thuha", password=PASSWORD)
    assert authenticate(username="caobien", password=PASSWORD) == staff[1]


def test_ipv6_addresses_count_by_their_64():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:203.0.113.7") == address_key("203.0.113.7")
    assert address_key("khong-phai-dia-chi").startswith("address:")


@pytest.mark.parametrize(
    "username",
    [
        "",
        " ",
        "x" * 10_000,
        "thuha\x00",
        "\x00",
        "thu\u0301ha\u200b",  # a combining mark and an invisible space
        "Đ" * 254,
        "'; DROP TABLE auth_user; --",
        "\ufeff\U0001f600",
    ],
)
def test_odd_usernames_never_give_a_500(staff, username):
    for _ in range(6):
        response = log_in(username, "sai-mat-khau")
        assert response.status_code == 200
        assert not response.logged_in
    assert authenticate(username=username, password="sai-mat-khau") is None
    assert log_in("caobien", PASSWORD).logged_in


@pytest.mark.parametrize(
    "body",
    [
        b"username=%FF%FE%FD&password=%C3%28",  # percent-escaped non-UTF-8
        b"username=\xff\xfe\x00&password=\xc3\x28",  # raw non-UTF-8 bytes
        b"username=" + b"%E1%BB" * 5000 + b"&password=x",  # cut UTF-8, 10,000 bytes
        b"username&password",
        b"",
    ],
)
def test_non_utf8_and_malformed_posts_never_give_a_500(staff, body):
    client = Client(REMOTE_ADDR="2001:db8::7")
    response = client.post(
        "/admin/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200


def test_odd_addresses_never_give_a_500(staff):
    for address in ("", "khong-phai-dia-chi", "fe80::1%eth0", "1" * 500):
        response = log_in("thuha", "sai-mat-khau", address=address)
        assert response.status_code == 200


def test_counts_are_shared_through_redis_when_it_is_the_cache(staff, settings):
    """Several web processes see the same counts: the cache is Redis in
    production (a real redis-server here, database 15, keys of this test only)."""
    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    prefix = f"toasoan-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "toasoan.core.cache.ForgivingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        for _ in range(5):
            log_in("thuha", "sai-mat-khau")
        assert not log_in("thuha", PASSWORD).logged_in
        assert log_in("caobien", PASSWORD).logged_in
        stored = redis.Redis.from_url(url).keys(f"{prefix}:*")
        assert any(b"login-refused:account:" in key for key in stored)
    finally:
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
