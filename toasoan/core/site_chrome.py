"""The masthead and footer are cached fragments; a version number in their cache
key lets a change of site settings or sections show on the next request."""

from django.core.cache import cache

VERSION_KEY = "toasoan:site-chrome-version"


def site_chrome_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_site_chrome_version(created: bool = False, **kwargs) -> None:
    if created:
        # A settings row created empty on first use changes nothing a reader sees.
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def site_chrome(request) -> dict:
    """Context processor: the fragment version and the outlet's name for <title>."""
    from toasoan.core.models import PressSettings

    version = site_chrome_version()
    name_key = f"toasoan:site-name:{request.get_host()}:{version}"
    name = cache.get(name_key)
    if name is None:
        name = PressSettings.for_request(request).outlet_name or "toasoan"
        cache.set(name_key, name, 600)
    return {"site_chrome_version": version, "site_name": name}
