"""Where cached reader pages are kept, and the generation that purges them all.

A page is kept under its host, path and query string together with the
generation it was rendered in; a publish moves the generation on, so every kept
page is stale at once: home, sections, keyword and author pages, their later
pages (?page=3), feeds, sitemaps and search results alike, with no list of keys
to find. Reading a page and the generation is one round trip to Redis.

The generation must be seen by every process that serves pages:
- with Redis (REDIS_URL), it is a Redis key, shared by every app server;
- embedded (no Redis), it is a file in DATA_DIR, so that the worker publishing a
  scheduled article purges the pages runserver keeps in its own memory.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

GENERATION_KEY = "toasoan:pagecache:generation"


@dataclass(frozen=True)
class KeptPage:
    generation: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    seconds: int


def page_cache():
    return caches[settings.TOASOAN_PAGE_CACHE_ALIAS]


def uses_shared_generation() -> bool:
    return isinstance(page_cache(), RedisCache)


def generation_file() -> Path:
    return Path(settings.DATA_DIR) / "pagecache-generation"


def _file_generation() -> str:
    try:
        stat = os.stat(generation_file())
    except FileNotFoundError:
        return "0"
    return f"{stat.st_ino}.{stat.st_mtime_ns}.{stat.st_size}"


def current_generation() -> str:
    if uses_shared_generation():
        return str(page_cache().get(GENERATION_KEY) or 0)
    return _file_generation()


def kept_page(key: str) -> KeptPage | None:
    """The page kept under ``key`` if it belongs to the current generation."""
    cache = page_cache()
    if uses_shared_generation():
        found = cache.get_many([GENERATION_KEY, key])
        generation = str(found.get(GENERATION_KEY) or 0)
        page = found.get(key)
    else:
        generation = _file_generation()
        page = cache.get(key)
    if page is None or page.generation != generation:
        return None
    return page


def keep_page(key: str, page: KeptPage, seconds: int) -> None:
    page_cache().set(key, page, seconds)


def next_generation() -> None:
    """Every kept page is stale from now on, in every process."""
    if uses_shared_generation():
        cache = page_cache()
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 1, timeout=None)
        return
    path = generation_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new file swapped in (new inode, new time): a reader never sees it half
    # written, and the stat that reads the generation costs microseconds.
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=".pagecache-")
    with os.fdopen(fd, "w") as file:
        file.write(os.urandom(8).hex())
    os.replace(scratch, path)
