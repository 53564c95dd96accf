"""Everything toasoan needs; dev, test and production override only what differs."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Where the embedded database, uploaded media and generated files live by default.
DATA_DIR = Path(os.environ.get("TOASOAN_DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "toasoan.core",
    "toasoan.news",
    "toasoan.newsroom",
    "toasoan.audience",
    "toasoan.videos",
    "toasoan.importers",
    "toasoan.archives",
    "toasoan.search",
    "toasoan.feeds",
    "toasoan.api",
    "toasoan.reports",
    "toasoan.pagecache",
    "toasoan.operations",
    "toasoan.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "toasoan.sitemaps",
    "toasoan.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "toasoan.core.csp.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Reader pages for readers without a session, before anything reads the
    # session or the database (toasoan/pagecache).
    "toasoan.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication (accounts/two_factor.py): has this session given
    # the second factor, and must it before going on in the admin?
    "django_otp.middleware.OTPMiddleware",
    "toasoan.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "toasoan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "toasoan.core.site_chrome.site_chrome",
                "toasoan.news.editions.edition_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "toasoan.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'toasoan.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection is checked before each request reuses it, so the
        # site recovers by itself when PostgreSQL restarts (bench/drills.py).
        conn_health_checks=True,
    )
}
# Read replicas (PostgreSQL streaming replication): readers' page renders read
# from them, everything else uses the primary (toasoan/operations/replicas.py).
if os.environ.get("DATABASE_REPLICA_URLS"):
    from toasoan.operations.replicas import replica_settings

    DATABASES.update(
        replica_settings(
            os.environ["DATABASE_REPLICA_URLS"],
            dj_database_url.parse,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
            conn_health_checks=True,
        )
    )
DATABASE_ROUTERS = ["toasoan.operations.replicas.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while the importer or an editor writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    # A Redis outage makes the cache miss instead of failing pages (core/cache.py);
    # short timeouts, so a Redis that hangs costs a page half a second, once.
    CACHES = {
        "default": {
            "BACKEND": "toasoan.core.cache.ForgivingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "toasoan",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Embedded mode: one web process, its memory the cache. Django's default of
    # 300 entries would evict the view counter's "already counted" marks (one per
    # reader and article for 30 minutes) and count reloads; a million entries is
    # some 200 MB at worst.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        # Reader pages (toasoan/pagecache): some 50 KB each, so a bound of their
        # own: 2,000 pages is at most about 100 MB.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        },
    }

# The page cache (toasoan/pagecache): how long a reader page may be kept (by us,
# nginx or a CDN) when nothing is published; a publish purges it at once. A
# minute: listings change by publishing, and their most-read lists are refreshed
# once a minute anyway. 0 turns the cache off.
TOASOAN_PAGE_CACHE_SECONDS = int(os.environ.get("TOASOAN_PAGE_CACHE_SECONDS", 60))
# An article page shows its view count, which grows without a publish: kept a
# few seconds only, so the count is a few seconds behind at most, while a hot
# article is still rendered once per interval, not per reader.
TOASOAN_ARTICLE_CACHE_SECONDS = int(
    os.environ.get("TOASOAN_ARTICLE_CACHE_SECONDS", 5)
)
TOASOAN_PAGE_CACHE_ALIAS = "default" if os.environ.get("REDIS_URL") else "pages"
# The nginx (or other caching proxy) in front, asked for each changed page anew on
# a publish: base URLs such as http://127.0.0.1:8080, and the secret that lets
# such a request through the proxy's cache (docs/operations.md).
TOASOAN_PAGE_CACHE_REFRESH_URLS = [
    url.strip()
    for url in os.environ.get("TOASOAN_PAGE_CACHE_REFRESH_URLS", "").split(",")
    if url.strip()
]
TOASOAN_PAGE_CACHE_REFRESH_SECRET = os.environ.get(
    "TOASOAN_PAGE_CACHE_REFRESH_SECRET", ""
)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's password check, refused while an account or an address has failed too
# often (toasoan/accounts/throttling.py): TOASOAN_LOGIN_ACCOUNT_FAILURES failures
# for one account within TOASOAN_LOGIN_LOCK_MINUTES refuse that account, from every
# address, for as long; one address (an office, a carrier's address shared by many
# phones) may fail TOASOAN_LOGIN_ADDRESS_FAILURES times, so one person's typos do
# not lock out the colleagues behind it. Counted in the cache: set REDIS_URL when
# several web processes serve the admin.
AUTHENTICATION_BACKENDS = ["toasoan.accounts.backends.ThrottledModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "toasoan.accounts.forms.LoginForm"
TOASOAN_LOGIN_ACCOUNT_FAILURES = int(
    os.environ.get("TOASOAN_LOGIN_ACCOUNT_FAILURES", 5)
)
TOASOAN_LOGIN_ADDRESS_FAILURES = int(
    os.environ.get("TOASOAN_LOGIN_ADDRESS_FAILURES", 50)
)
TOASOAN_LOGIN_LOCK_MINUTES = int(os.environ.get("TOASOAN_LOGIN_LOCK_MINUTES", 15))


def _totp_issuer(device) -> str:
    # The name the phone app shows beside the account: the outlet's, not ours.
    from toasoan.accounts.two_factor import issuer_name

    return issuer_name()


OTP_TOTP_ISSUER = _totp_issuer
# A newsroom shift, not a month: the admin asks for the password again after
# 12 hours (TOASOAN_SESSION_HOURS), or when the browser closes unless "Ghi nhớ
# đăng nhập" (remember me) was ticked at login.
SESSION_COOKIE_AGE = int(float(os.environ.get("TOASOAN_SESSION_HOURS", 12)) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No avatars from gravatar.com: staff e-mail hashes stay here and the admin's
# policy needs no third-party images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Security headers on every response, in every environment (docs/security.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites (and a CDN's hot-link check) learn the origin a reader came from,
# never the page.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview shows the page in a frame of the admin: same origin only,
# as the policies' frame-ancestors say to browsers that read CSP. Django's deploy
# check asks for DENY, which would say something else to older browsers.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# The reader site runs only our own scripts and styles (static/), no inline code;
# JSON-LD blocks are data, not scripts. Media may also come from the storage's
# host (S3, a CDN): core/csp.py adds it to img-src and media-src.
_CSP_SELF = ["'self'"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": _CSP_SELF,
        "style-src": _CSP_SELF,
        "img-src": _CSP_SELF,
        "media-src": _CSP_SELF,
        "font-src": _CSP_SELF,
        "connect-src": _CSP_SELF,
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": _CSP_SELF,
        "form-action": _CSP_SELF,
        "frame-ancestors": _CSP_SELF,
    }
}
# Wagtail 8's admin still writes inline <script> blocks (inline panels such as
# the bylines, date and time pickers) and <style> elements and style attributes,
# shows previews in a same-origin frame and image previews as data:/blob: URLs.
# So under /admin/ (login and password reset excepted: they work under the
# policy above) those are allowed, and nothing else: no other origin's scripts,
# styles, frames, forms or connections. wagtail/wagtail#1288 tracks Wagtail's
# progress towards a strict policy.
TOASOAN_ADMIN_CSP = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": _CSP_SELF,
    }
}

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese is the default edition and has no URL prefix; the others get /en/
# and so on. TOASOAN_LANGUAGES="vi,en,ko" adds an edition with no code change
# beyond the interface's translation (locale/<code>/); `migrate` then makes its
# Wagtail locale and home page (news/editions.py). Names as each language writes
# itself: the language switcher shows them.
LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "zh-hans": "中文",
    "lo": "ພາສາລາວ",
    "km": "ភាសាខ្មែរ",
    "ko": "한국어",
    "ja": "日本語",
    "fr": "Français",
    "ru": "Русский",
}
_language_codes = [
    code.strip().lower()
    for code in os.environ.get("TOASOAN_LANGUAGES", "vi,en").split(",")
    if code.strip()
]
LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code, code))
    for code in dict.fromkeys([LANGUAGE_CODE, *_language_codes])
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TOASOAN_CREATE_EDITIONS_ON_MIGRATE = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))

# Counted views wait here for the worker to add them to the totals: a Redis list
# when REDIS_URL is set, else files in VIEWS_QUEUE_DIR (toasoan/audience).
VIEWS_REDIS_URL = os.environ.get("REDIS_URL") or None
VIEWS_QUEUE_DIR = DATA_DIR / "views"
# Behind a proxy that sets the reader's address in a header (e.g. X-Real-IP):
# TOASOAN_CLIENT_IP_HEADER=HTTP_X_REAL_IP. Never set it without such a proxy.
VIEWS_CLIENT_IP_HEADER = os.environ.get("TOASOAN_CLIENT_IP_HEADER") or None
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

WAGTAIL_SITE_NAME = "toasoan"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Articles are searched by our own Vietnamese index, not Wagtail's database backend
# (see docs/architecture.md); Wagtail's index only holds sections and media.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
TAGGIT_CASE_INSENSITIVE = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The seed-format importer refuses files larger than this (bytes).
TOASOAN_IMPORT_MAX_BYTES = int(os.environ.get("TOASOAN_IMPORT_MAX_BYTES", 5 * 1024**2))
# A WordPress export is read whole: 512 MB by default (TOASOAN_WXR_MAX_BYTES).
TOASOAN_WXR_MAX_BYTES = int(os.environ.get("TOASOAN_WXR_MAX_BYTES", 512 * 1024**2))
# Django serves MEDIA_ROOT itself, with byte ranges (core/media.py): on in
# development and tests, and wherever no web server does it (README, Production).
TOASOAN_SERVE_MEDIA = os.environ.get("TOASOAN_SERVE_MEDIA", "") == "1"
# The largest news video accepted (uploads and import-video): 2 GB by default.
TOASOAN_VIDEO_MAX_BYTES = int(os.environ.get("TOASOAN_VIDEO_MAX_BYTES", 2 * 1024**3))
ARTICLES_PER_PAGE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The JSON API (/api/v1/) is public and read-only: by default any site's scripts
# may read it; TOASOAN_API_CORS_ORIGINS="https://a.vn,https://b.vn" narrows that.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
_cors_origins = [
    o.strip() for o in os.environ.get("TOASOAN_API_CORS_ORIGINS", "*").split(",")
]
CORS_ALLOW_ALL_ORIGINS = "*" in _cors_origins
CORS_ALLOWED_ORIGINS = [o for o in _cors_origins if o and o != "*"]
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified")

# Only the schema class is set site-wide: Wagtail's admin uses REST framework
# too, with its own settings; ours are on api.views.ReadOnlyView.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}

SPECTACULAR_SETTINGS = {
    "TITLE": "toasoan API",
    "DESCRIPTION": "Bài viết, chuyên mục, từ khóa, tác giả, tìm kiếm và đọc nhiều "
    "của một tòa soạn, chỉ đọc. Read-only articles, sections, keywords, authors, "
    "search and most read.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Its deploy check documents every REST view, Wagtail's admin API included
    # (which it cannot); our API's schema is checked by the tests instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}
