"""Which requests may be answered from the page cache, and which responses kept.

Readers without a session get kept pages; anyone with a session (an editor
logged in, someone half way through logging in) gets pages rendered for them and
leaves nothing behind, so an editor never sees a stale page and a reader never
sees an editor's. The admin (previews included), the API and media are never
kept here: they have their own rules (ETags on the API, ranges on media).
"""

from __future__ import annotations

import hashlib

from django.conf import settings

# Statuses a reader may be given from the cache. A 404 is kept only when the
# purge itself asks for the page (see REFRESH_HEADER): a deleted article's
# address must stop showing the old page, while random missing addresses typed
# by crawlers must not fill the cache.
KEPT_STATUSES = {200, 301, 410}
REFRESH_HEADER = "HTTP_X_TOASOAN_REFRESH"
NEVER_KEPT_PREFIXES = ("/admin/", "/api/", "/documents/", "/django-admin/")


def request_may_use_cache(request) -> bool:
    if not settings.TOASOAN_PAGE_CACHE_SECONDS:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    if path.startswith(NEVER_KEPT_PREFIXES):
        return False
    return not path.startswith(settings.MEDIA_URL) and not path.startswith(
        settings.STATIC_URL
    )


def is_refresh(request) -> bool:
    """A purge asking for the page anew (pagecache/purge.py), not a reader."""
    secret = settings.TOASOAN_PAGE_CACHE_REFRESH_SECRET
    return bool(secret) and request.META.get(REFRESH_HEADER) == secret


def response_may_be_kept(response, refresh: bool) -> bool:
    """``refresh``: the request is the purge's own (is_refresh)."""
    if response.streaming or response.cookies:
        return False
    kept = KEPT_STATUSES | ({404} if refresh else set())
    if response.status_code not in kept:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def page_key(request) -> str:
    """Host, path and query string: the whole address, nothing of the reader."""
    address = f"{request.get_host()}{request.get_full_path()}"
    return "toasoan:page:" + hashlib.sha256(address.encode()).hexdigest()


def content_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


# Pages that show a view count, which grows without a publish (URL names).
COUNTING_PAGES = {"article"}


def keep_seconds(request) -> int:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in COUNTING_PAGES:
        return min(
            settings.TOASOAN_ARTICLE_CACHE_SECONDS,
            settings.TOASOAN_PAGE_CACHE_SECONDS,
        )
    return settings.TOASOAN_PAGE_CACHE_SECONDS
