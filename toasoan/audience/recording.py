"""The beacon's hot path: decide whether a view counts, and write it down cheaply.

A counted view is appended to a queue: a Redis list when REDIS_URL is set, else a
file in the data directory, opened in append mode for each view and written
before the beacon is answered, so a `kill -9` of the web server loses nothing it
acknowledged (the operating system has the bytes). The flusher
(flushing.py, run by the worker) adds the queue to the totals every 2 seconds.

With Redis, a beacon costs one round trip: a Lua script applies both limits,
marks the reader as seen and queues the view atomically. The day's secret and
whether an article is readable are kept in the process's memory, since asking
Redis for them cost as much as the rest together (bench/RESULTS.md). When Redis
cannot be reached, beacons are counted as in embedded mode until it is back.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError
from django.utils import timezone

from toasoan.audience.models import ReaderKeySecret
from toasoan.audience.readers import address_id, is_robot, reader_id
from toasoan.core.cache import UNREACHABLE

logger = logging.getLogger(__name__)

REREAD_WINDOW = 30 * 60  # one view per reader per article per 30 minutes
READER_LIMIT = (60, 60)  # a reader (address + browser): 60 beacons a minute
ADDRESS_LIMIT = (3_000, 60)  # an address: many readers behind one carrier NAT
REDIS_QUEUE = "toasoan:views:queue"
# Per article, the views in REDIS_QUEUE: what the page adds to the stored total.
# The beacon script adds to it with the queue; the flush empties both at once.
REDIS_UNFLUSHED = "toasoan:views:unflushed"


def queue_dir() -> Path:
    path = Path(settings.VIEWS_QUEUE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def uses_redis() -> bool:
    return bool(settings.VIEWS_REDIS_URL)


# The day's secret, per process: every process reads the same row, and the
# secret never changes during its day.
_secrets_in_memory: dict = {}


def secret_of_the_day(now: datetime | None = None) -> bytes:
    day = timezone.localdate(now or timezone.now())
    remembered = _secrets_in_memory.get(day)
    if remembered is not None:
        return remembered
    secret = _shared_secret_of(day)
    _secrets_in_memory.clear()  # the old day's secret must not linger either
    _secrets_in_memory[day] = secret
    return secret


def _shared_secret_of(day) -> bytes:
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
    for day in [day for day in _secrets_in_memory if day < today]:
        del _secrets_in_memory[day]
    deleted, _ = ReaderKeySecret.objects.filter(day__lt=today).delete()
    return deleted


def over_limit(key: str, limit: tuple[int, int], store=cache) -> bool:
    count, seconds = limit
    if store.add(key, 1, seconds):
        return False
    try:
        return store.incr(key) > count
    except ValueError:  # expired between add and incr
        store.add(key, 1, seconds)
        return False


def first_view_in_window(article_id: int, reader: str, store=cache) -> bool:
    """True once per reader and article in REREAD_WINDOW (an atomic add)."""
    return store.add(f"toasoan:seen:{article_id}:{reader}", 1, REREAD_WINDOW)


def hour_of(now: datetime) -> str:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0).isoformat()


def append_view(article_id: int, now: datetime) -> None:
    """Write one counted view to the local queue before the beacon is answered
    (with Redis, the beacon script queues it in Redis instead)."""
    line = f"{article_id}\t{hour_of(now)}\n"
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


READABLE_SECONDS = 60  # a withdrawn article may gather views this long
_readable_in_memory: dict[int, tuple[bool, float]] = {}
READABLE_REMEMBERED = 100_000  # article ids; a flood of made-up ids clears it


def is_readable(article_id: int) -> bool:
    """Published and not withdrawn (kept a minute in the process's memory: the
    beacon must be cheap)."""
    from toasoan.news.models import Article

    if not 0 < article_id < MAX_ARTICLE_ID:
        return False
    remembered = _known_readable(article_id)
    if remembered is not None:
        return remembered
    readable = Article.objects.published().filter(pk=article_id).exists()
    if len(_readable_in_memory) >= READABLE_REMEMBERED:
        _readable_in_memory.clear()
    _readable_in_memory[article_id] = (readable, time.monotonic() + READABLE_SECONDS)
    return readable


def forget_in_memory_state() -> None:
    """For tests: a fresh database has other secrets and articles."""
    _secrets_in_memory.clear()
    _readable_in_memory.clear()


def _known_readable(article_id: int) -> bool | None:
    remembered = _readable_in_memory.get(article_id)
    if remembered is None or remembered[1] <= time.monotonic():
        return None
    return remembered[0]


def receive_beacon(
    article_id: int, ip: str, user_agent: str, now: datetime | None = None
) -> str:
    """What became of one beacon: "counted", "repeat" (same reader within 30
    minutes), "robot", "limited" (a flood) or "missing" (no such public
    article). Only "counted" is written down."""
    now = now or timezone.now()
    if is_robot(user_agent):
        return "robot"
    secret = secret_of_the_day(now)
    reader = reader_id(ip, user_agent, secret)
    # The address limit's key: the address itself is never written, not even
    # to Redis (which may save its keys to disk).
    address = address_id(ip, secret)
    if uses_redis():
        try:
            return _receive_with_redis(article_id, address, reader, now)
        except UNREACHABLE as error:
            # Redis is away: count here, as embedded mode does, in this
            # process's memory and the local queue; the flush adds both queues.
            # Until Redis is back, a reader reloading on another process, or
            # counted in Redis just before, may be counted once more.
            logger.warning("Redis unreachable, counting views locally: %s", error)
            return _receive_here(article_id, address, reader, now, _memory_while_away)
    return _receive_here(article_id, address, reader, now, cache)


def _receive_here(
    article_id: int, address: str, reader: str, now: datetime, store
) -> str:
    # Limits per reader first; the address limit is high, since a carrier's NAT
    # puts thousands of readers behind one address.
    if over_limit(f"toasoan:limit:reader:{reader}", READER_LIMIT, store) or over_limit(
        f"toasoan:limit:address:{address}", ADDRESS_LIMIT, store
    ):
        return "limited"
    if not is_readable(article_id):
        return "missing"
    if not first_view_in_window(article_id, reader, store):
        return "repeat"
    append_view(article_id, now)
    return "counted"


# The limits and reader marks while Redis is unreachable (Redis mode only).
_memory_while_away = LocMemCache(
    "toasoan-views-while-redis-is-away", {"OPTIONS": {"MAX_ENTRIES": 1_000_000}}
)


# Limits, the reader's mark, the queue and the article's count of views not yet
# added (REDIS_UNFLUSHED) in one atomic round trip. Mode "all"
# does everything; "limits" only counts against the limits (the article is
# still to be looked up); "count" only marks and queues (limits already taken).
_BEACON_SCRIPT = """
if ARGV[1] ~= 'count' then
  for i = 1, 2 do
    local n = redis.call('INCR', KEYS[i])
    if n == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2 + i * 2]) end
    if n > tonumber(ARGV[1 + i * 2]) then return 'limited' end
  end
  if ARGV[1] == 'limits' then return 'ok' end
end
if not redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[2]) then return 'repeat' end
redis.call('RPUSH', KEYS[4], ARGV[7])
redis.call('HINCRBY', KEYS[5], ARGV[8], 1)
return 'counted'
"""


@lru_cache(maxsize=4)
def _beacon_script_for(url: str):
    return _redis_for(url).register_script(_BEACON_SCRIPT)


def _receive_with_redis(
    article_id: int, address: str, reader: str, now: datetime
) -> str:
    def run(mode: str) -> str:
        keys = [
            f"toasoan:limit:reader:{reader}",
            f"toasoan:limit:address:{address}",
            f"toasoan:seen:{article_id}:{reader}",
            REDIS_QUEUE,
            REDIS_UNFLUSHED,
        ]
        args = [mode, REREAD_WINDOW, *READER_LIMIT, *ADDRESS_LIMIT]
        args += [f"{article_id}\t{hour_of(now)}\n", article_id]
        script = _beacon_script_for(settings.VIEWS_REDIS_URL)
        return script(keys=keys, args=args).decode()

    readable = _known_readable(article_id)
    if readable is None:  # look it up only once the limits let the beacon in
        if run("limits") == "limited":
            return "limited"
        return run("count") if is_readable(article_id) else "missing"
    if not readable:
        return "limited" if run("limits") == "limited" else "missing"
    return run("all")
