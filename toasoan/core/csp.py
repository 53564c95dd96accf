"""Content-Security-Policy on every response: django-csp's middleware, with the
reader site's policy (settings.CONTENT_SECURITY_POLICY) everywhere and the one
Wagtail's admin needs (settings.TOASOAN_ADMIN_CSP) under /admin/. Both let
pictures and video come from where the storage keeps media, when that is another
host (an S3 bucket, a CDN). A response that already has a policy keeps it: media
files (core/media.py) and Wagtail's document downloads send their own.

django-csp chooses one policy for the whole site; get_policy_parts is its
documented hook for choosing per request."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

MEDIA_DIRECTIVES = ("img-src", "media-src")
# Admin pages anyone may reach without an account: the reader site's policy.
OPEN_ADMIN_PAGES = ("login/", "password_reset/")


@functools.cache
def media_origin() -> str | None:
    """The origin of media URLs when it is not ours (S3, a CDN), else None.
    Asked of the storage itself, so it is right whatever the storage settings."""
    url = urlsplit(default_storage.url("csp"))
    return f"{url.scheme}://{url.netloc}" if url.netloc else None


@functools.cache
def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def uses_admin_policy(path: str) -> bool:
    """Under /admin/, except OPEN_ADMIN_PAGES: they work under the stricter one."""
    if not path.startswith(admin_prefix()):
        return False
    return not path.removeprefix(admin_prefix()).startswith(OPEN_ADMIN_PAGES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request, response, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        # A view's own @csp_replace / @csp_update still applies on top.
        if parts.config is None and uses_admin_policy(request.path_info):
            parts.config = default_config(settings.TOASOAN_ADMIN_CSP["DIRECTIVES"])
        if origin := media_origin():
            update = dict(parts.update or {})
            for directive in MEDIA_DIRECTIVES:
                update[directive] = [*update.get(directive, ()), origin]
            parts.update = update
        return parts
