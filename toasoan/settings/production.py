"""Production: everything comes from the environment; refuse to start without it."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
_missing = [
    name
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
    if not os.environ.get(name)
]
if _missing:
    raise ImproperlyConfigured(
        "Thiếu biến môi trường / missing environment variables: " + ", ".join(_missing)
    )
if len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY phải dài ít nhất 50 ký tự / must be 50+ chars"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, behind a TLS-terminating proxy that sets X-Forwarded-Proto. The
# load balancer's plain-HTTP health check is let through.
SECURE_SSL_REDIRECT = os.environ.get("TOASOAN_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
# Browsers remember to use HTTPS for a year (TOASOAN_HSTS_SECONDS=0 turns it off,
# e.g. while trying a new certificate); subdomains are not included by default:
# a station may run other, older services on them.
SECURE_HSTS_SECONDS = int(os.environ.get("TOASOAN_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("TOASOAN_HSTS_SUBDOMAINS") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("TOASOAN_HSTS_PRELOAD") == "1"
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # Deliberate: HSTS for subdomains (and the preload list, which needs it) is
    # for life, and would break a station's older plain-HTTP services on them.
    # Turn both on (TOASOAN_HSTS_SUBDOMAINS=1, TOASOAN_HSTS_PRELOAD=1) once every
    # subdomain speaks HTTPS.
    SILENCED_SYSTEM_CHECKS = [
        *SILENCED_SYSTEM_CHECKS,  # noqa: F405
        "security.W005",
        "security.W021",
    ]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

# Media in an S3-compatible object store (AWS S3, MinIO, Viettel / VNPT / FPT
# cloud storage) when a bucket is named; needs `pip install toasoan[s3]`.
if os.environ.get("TOASOAN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["TOASOAN_S3_BUCKET"],
            "endpoint_url": os.environ.get("TOASOAN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TOASOAN_S3_REGION") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            # Public media at stable addresses, through a CDN when one is named.
            "custom_domain": os.environ.get("TOASOAN_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
