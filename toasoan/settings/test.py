"""Tests run on SQLite, or on PostgreSQL when DATABASE_URL points at one."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Everything a run writes (uploads, renditions, video work folders, queued
# views) in a folder of its own, removed at the end: the SQLite and PostgreSQL
# passes run at the same time and must never share a file.
DATA_DIR = Path(tempfile.mkdtemp(prefix="toasoan-test-"))  # noqa: F405
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_ROOT.mkdir()
VIEWS_QUEUE_DIR = DATA_DIR / "views"
VIEWS_REDIS_URL = None  # tests that want Redis ask for it (REDIS_TEST_URL)
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("DATABASE_URL"):  # noqa: F405
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    }
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},  # as base.py: the view counter needs it
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
TOASOAN_PAGE_CACHE_ALIAS = "pages"
TOASOAN_SERVE_MEDIA = True
# The English edition's locale and home page are made by the tests that need
# them (the `english_home` fixture), so that every other test sees one edition.
TOASOAN_CREATE_EDITIONS_ON_MIGRATE = False
