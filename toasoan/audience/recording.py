"""The beacon's hot path: decide whether a view counts, and write it down cheaply.

A counted view is appended to a queue: a Redis list when REDIS_URL is set, else a
file in the data directory, opened in append mode for each view and written
before the beacon is answered, so a `kill -9` of the web server loses nothing it
acknowledged (the operating system has the bytes). The flusher
(flushing.py, run by the worker) adds the queue to the totals every 2 seconds.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.utils import timezone

from toasoan.audience.models import ReaderKeySecret
from toasoan.audience.readers import is_robot, reader_id

REREAD_WINDOW = 30 * 60  # one view per reader per article per 30 minutes
READER_LIMIT = (60, 60)  # a reader (address + browser): 60 beacons a minute
ADDRESS_LIMIT = (3_000, 60)  # an address: many readers behind one carrier NAT
REDIS_QUEUE = "toasoan:views:queue"


def queue_dir() -> Path:
    path = Path(settings.VIEWS_QUEUE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def uses_redis() -> bool:
    return bool(settings.VIEWS_REDIS_URL)


def secret_of_the_day(now: datetime | None = None) -> bytes:
    day = timezone.localdate(now or timezone.now())
    key = f"toasoan:reader-secret:{day.isoformat()}"
    secret = cache.get(key)
    if secret is None:
        try:
            row, _ = ReaderKeySecret.objects.get_or_create(
                day=day, defaults={"secret": secrets.token_bytes(32)}
            )
        except IntegrityError:  # another process made it first
            row = ReaderKeySecret.objects.get(day=day)
        secret = bytes(row.secret)
        cache.set(key, secret, 3600)
    return secret


def forget_old_secrets(now: datetime | None = None) -> int:
    """Yesterday's and older secrets go: reader ids cannot be linked any more."""
    today = timezone.localdate(now or timezone.now())
    deleted, _ = ReaderKeySecret.objects.filter(day__lt=today).delete()
    return deleted


def over_limit(key: str, limit: tuple[int, int]) -> bool:
    count, seconds = limit
    if cache.add(key, 1, seconds):
        return False
    try:
        return cache.incr(key) > count
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return False


def first_view_in_window(article_id: int, reader: str) -> bool:
    """True once per reader and article in REREAD_WINDOW (an atomic add)."""
    return cache.add(f"toasoan:seen:{article_id}:{reader}", 1, REREAD_WINDOW)


def hour_of(now: datetime) -> str:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0).isoformat()


def append_view(article_id: int, now: datetime) -> None:
    """Write one counted view to the queue before the beacon is answered."""
    line = f"{article_id}\t{hour_of(now)}\n"
    if uses_redis():
        redis_client().rpush(REDIS_QUEUE, line)
        return
    fd = os.open(
        queue_dir() / "current.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
    )
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


@lru_cache(maxsize=4)
def _redis_for(url: str):
    import redis

    return redis.Redis.from_url(url)


def redis_client():
    return _redis_for(settings.VIEWS_REDIS_URL)


MAX_ARTICLE_ID = 2**62  # larger ids exist nowhere and overflow SQLite


def is_readable(article_id: int) -> bool:
    """Published and not withdrawn (kept a minute: the beacon must be cheap)."""
    from toasoan.news.models import Article

    if not 0 < article_id < MAX_ARTICLE_ID:
        return False
    key = f"toasoan:readable:{article_id}"
    readable = cache.get(key)
    if readable is None:
        readable = Article.objects.published().filter(pk=article_id).exists()
        cache.set(key, readable, 60)
    return readable


def receive_beacon(
    article_id: int, ip: str, user_agent: str, now: datetime | None = None
) -> str:
    """What became of one beacon: "counted", "repeat" (same reader within 30
    minutes), "robot", "limited" (a flood) or "missing" (no such public
    article). Only "counted" is written down."""
    now = now or timezone.now()
    if is_robot(user_agent):
        return "robot"
    reader = reader_id(ip, user_agent, secret_of_the_day(now))
    # Limits per reader first; the address limit is high, since a carrier's NAT
    # puts thousands of readers behind one address.
    if over_limit(f"toasoan:limit:reader:{reader}", READER_LIMIT) or over_limit(
        f"toasoan:limit:address:{ip}", ADDRESS_LIMIT
    ):
        return "limited"
    if not is_readable(article_id):
        return "missing"
    if not first_view_in_window(article_id, reader):
        return "repeat"
    append_view(article_id, now)
    return "counted"
