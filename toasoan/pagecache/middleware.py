"""The page cache in front of every reader page (see pagecache/store.py).

Embedded mode (`make run`) keeps pages in the process's memory; with REDIS_URL
they are in Redis, shared by every app server. In production nginx keeps its
own copy and serves it without entering Python: X-Accel-Expires tells it how
long, and the purge asks it for the page anew (docs/architecture.md).

Browsers are told to ask again every time (max-age=0) and get a 304 when their
copy is still the current one, so a reader sees a correction on the next load;
a CDN may keep a page as long as we do (s-maxage), purged through
Wagtail's frontend cache backends when one is configured.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from toasoan.operations.replicas import reading_for_a_reader
from toasoan.pagecache import policy, store

# Added again on every answer: the security headers by the middleware outside
# this one, the validators and lifetimes by answer_from.
NOT_KEPT_HEADERS = {
    "content-security-policy",
    "strict-transport-security",
    "etag",
    "cache-control",
}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not policy.request_may_use_cache(request):
            return self.get_response(request)
        key = policy.page_key(request)
        refresh = policy.is_refresh(request)
        page = None if refresh else store.kept_page(key)
        if page is not None:
            return self.answer_from(page, request, hit=True)
        generation = store.current_generation()
        if refresh:
            response = self.get_response(request)
        else:
            with reading_for_a_reader():
                response = self.get_response(request)
        if not policy.response_may_be_kept(response, refresh):
            return response
        if not refresh and store.current_generation() != generation:
            # Published while this was rendering: it may show the page as it was,
            # and must not replace the fresh copy the purge gave nginx.
            return response
        page = store.KeptPage(
            generation=generation,
            status=response.status_code,
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_KEPT_HEADERS
            ),
            content=response.content,
            etag=response.get("ETag") or policy.content_etag(response.content),
            seconds=policy.keep_seconds(request),
        )
        store.keep_page(key, page, page.seconds)
        return self.answer_from(page, request, hit=False)

    def answer_from(self, page: store.KeptPage, request, hit: bool):
        response = HttpResponse(page.content, status=page.status)
        for name, value in page.headers:
            response[name] = value
        response["ETag"] = page.etag
        if page.status == 200:
            # If-None-Match, else If-Modified-Since, as RFC 9110 orders them.
            modified = response.get("Last-Modified")
            response = get_conditional_response(
                request,
                etag=page.etag,
                last_modified=parse_http_date_safe(modified) if modified else None,
                response=response,
            )
        seconds = page.seconds
        response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        # For nginx's proxy_cache (it strips the header before the reader).
        response["X-Accel-Expires"] = str(seconds)
        response["X-Toasoan-Cache"] = "hit" if hit else "miss"
        return response
