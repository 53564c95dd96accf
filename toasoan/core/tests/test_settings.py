"""Configuration by environment variables, as production and the README describe it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts Django in a process of its own, on SQLite or on nothing.
pytestmark = pytest.mark.sqlite_pass_only

ROOT = Path(__file__).resolve().parents[3]
SETUP = "import django; django.setup(); "


def run_python(code: str, settings: str, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS")
    }
    base.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=base,
        cwd=ROOT,
        timeout=60,
    )


def test_production_refuses_to_start_without_its_environment(tmp_path):
    result = run_python(SETUP, "toasoan.settings.production")
    assert result.returncode != 0
    assert (
        "missing environment variables: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL"
        in result.stderr
    )
    short = run_python(
        SETUP,
        "toasoan.settings.production",
        SECRET_KEY="short",
        ALLOWED_HOSTS="example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path}/x",
    )
    assert "SECRET_KEY phải dài ít nhất 50 ký tự" in short.stderr


def test_production_starts_with_its_environment(tmp_path):
    result = run_python(
        SETUP
        + "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        "toasoan.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="tbtv.example.vn,www.tbtv.example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['tbtv.example.vn', 'www.tbtv.example.vn']"


def test_redis_url_makes_redis_the_shared_cache():
    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    code = SETUP + (
        "from django.core.cache import caches; cache = caches['default']; cache.set('toasoan-test', 'Đà Nẵng', 30); "
        "print(type(cache).__name__, cache.get('toasoan-test')); cache.delete('toasoan-test')"
    )
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    result = run_python(code, "toasoan.settings.dev", REDIS_URL=url)
    assert result.returncode == 0, result.stderr
    # Redis's own cache, which misses instead of failing when Redis is away.
    assert result.stdout.strip() == "ForgivingRedisCache Đà Nẵng"


def test_database_url_selects_the_database(tmp_path):
    result = run_python(
        SETUP + "from django.db import connection; print(connection.vendor)",
        "toasoan.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.stdout.strip() == "postgresql", result.stderr


def test_media_can_live_in_an_s3_compatible_object_store(tmp_path):
    code = SETUP + (
        "from django.core.files.storage import default_storage as s; "
        "print(type(s._wrapped if hasattr(s, '_wrapped') else s).__name__, "
        "s.bucket_name, s.endpoint_url, s.querystring_auth, "
        "s.url('videos/7/web.mp4'))"
    )
    result = run_python(
        code,
        "toasoan.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="tbtv.example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        TOASOAN_S3_BUCKET="tbtv-media",
        TOASOAN_S3_ENDPOINT_URL="https://s3.example.vn",
        TOASOAN_S3_CUSTOM_DOMAIN="media.tbtv.example.vn",
        AWS_ACCESS_KEY_ID="khoa",
        AWS_SECRET_ACCESS_KEY="bi-mat",
    )
    assert result.returncode == 0, result.stderr
    kind, bucket, endpoint, signed, url = result.stdout.split()
    assert (kind, bucket, endpoint, signed) == (
        "S3Storage", "tbtv-media", "https://s3.example.vn", "False",
    )  # fmt: skip
    assert url == "https://media.tbtv.example.vn/videos/7/web.mp4"


def test_django_deploy_check_is_clean_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                # the test runner's own, not production's
                if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
            },
            "DJANGO_SETTINGS_MODULE": "toasoan.settings.production",
            "SECRET_KEY": "Q7!vz" * 12,
            "ALLOWED_HOSTS": "tbtv.example.vn",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_readers_to_https_but_lets_health_checks_through(tmp_path):
    code = SETUP + (
        "from django.test import Client; c = Client(); "
        "print(c.get('/tin-tuc/').status_code, c.get('/tin-tuc/')['Location'], "
        "c.get('/api/health').status_code, "
        "c.get('/api/health', secure=True)['Strict-Transport-Security'])"
    )
    result = run_python(
        code,
        "toasoan.settings.production",
        SECRET_KEY="Q7!vz" * 12,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "301", "https://testserver/tin-tuc/", "200", "max-age=31536000",
    ]  # fmt: skip
