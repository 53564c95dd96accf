"""Adding the queued views to the totals, exactly once.

Each round takes the queue whole (renames the file, or the Redis list) under a
unique batch name, adds its views per article and hour in one transaction that
also records the batch name, and only then deletes the batch. A round that dies
halfway leaves the batch where the next round finds it: if its name is recorded
the views are in, and it is just deleted; if not, it is added then. So a crash
of the worker or of the web server neither loses nor doubles a view.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from toasoan.audience.models import AddedBatch, ArticleViewHour
from toasoan.audience.recording import (
    REDIS_QUEUE,
    REDIS_UNFLUSHED,
    queue_dir,
    redis_client,
    uses_redis,
)
from toasoan.core.cache import UNREACHABLE
from toasoan.news.models import Article

logger = logging.getLogger(__name__)

# A file renamed less than this long ago may still get a write from a web
# process that opened it just before: it is added on the next round.
SETTLE_SECONDS = 1.0
PROCESSING = "processing-"
# Past this much queued (a worker stopped for a while), pages show the stored
# totals only, rather than read the whole queue for every page.
UNFLUSHED_READ_LIMIT = 4 * 1024 * 1024


def flush_views() -> int:
    """One round; returns how many views were added to the totals. With Redis,
    the local queue too: beacons write there while Redis is unreachable."""
    if not uses_redis():
        return _flush_files()
    added = _flush_files()
    try:
        return added + _flush_redis()
    except UNREACHABLE as error:
        logger.warning("Redis unreachable, its queue waits for it: %s", error)
        return added


def _flush_files() -> int:
    directory = queue_dir()
    added = 0
    for path in sorted(directory.glob(f"{PROCESSING}*.log")):
        if time.time() - path.stat().st_mtime < SETTLE_SECONDS:
            continue
        added += _add_batch(path.stem, path.read_text("utf-8", "replace"))
        path.unlink()
    current = directory / "current.log"
    if current.exists() and current.stat().st_size:
        current.rename(
            directory / f"{PROCESSING}{time.time_ns()}-{uuid.uuid4().hex}.log"
        )
    return added


def _flush_redis() -> int:
    client = redis_client()
    try:
        # One transaction: beacons after it start a new list and new unflushed
        # counts. The batch's views leave the counts pages add before they are
        # in the totals: a page may show a few views fewer for a moment, never
        # a view twice.
        name = f"{PROCESSING}{time.time_ns()}-{uuid.uuid4().hex}"
        taking = client.pipeline(transaction=True)
        taking.rename(REDIS_QUEUE, f"{REDIS_QUEUE}:{name}")
        taking.delete(REDIS_UNFLUSHED)
        taking.execute()
    except Exception as error:  # no queue: nothing was counted since
        if "no such key" not in str(error).lower():
            raise
    # This round's batch, and any a round that died left behind, oldest first.
    added = 0
    for key in sorted(client.scan_iter(f"{REDIS_QUEUE}:{PROCESSING}*")):
        name = key.decode().rsplit(":", 1)[-1]
        lines = b"".join(client.lrange(key, 0, -1)).decode("utf-8", "replace")
        added += _add_batch(name, lines)
        client.delete(key)
    return added


def _add_batch(name: str, text: str) -> int:
    counts: Counter[tuple[int, str]] = Counter()
    for line in text.splitlines():
        article_id, _, hour = line.partition("\t")
        if article_id.isdigit() and hour:
            counts[(int(article_id), hour)] += 1
    with transaction.atomic():
        _, fresh = AddedBatch.objects.get_or_create(name=name[:100])
        if not fresh:
            return 0  # added by a round that died before deleting it
        existing = set(
            Article.objects.filter(pk__in={a for a, _ in counts}).values_list(
                "pk", flat=True
            )
        )
        per_article: Counter[int] = Counter()
        for (article_id, hour), views in counts.items():
            if article_id not in existing:
                continue
            at = datetime.fromisoformat(hour)
            row, created = ArticleViewHour.objects.get_or_create(
                article_id=article_id, hour=at, defaults={"views": views}
            )
            if not created:
                ArticleViewHour.objects.filter(pk=row.pk).update(
                    views=F("views") + views
                )
            per_article[article_id] += views
        for article_id, views in per_article.items():
            Article.objects.filter(pk=article_id).update(
                view_count=F("view_count") + views
            )
    return sum(per_article.values())


def forget_added_batches(older_than_days: int = 7) -> None:
    """Batch names are needed only until their files and lists are gone."""
    AddedBatch.objects.filter(
        added_at__lt=timezone.now() - timedelta(days=older_than_days)
    ).delete()


def unflushed_views(article_ids: Iterable[int]) -> dict[int, int]:
    """Per article, the counted views not in the totals yet: what a page adds to
    the ``view_count`` it read *before* calling this. Never a view twice: a
    batch whose views are in the totals is left out (its name is recorded in
    the same transaction); one being added just now may be missed, so the sum
    is at worst the stored total alone."""
    ids = [int(pk) for pk in article_ids if pk]
    found = dict.fromkeys(ids, 0)
    if not ids:
        return found
    for pk, views in _unflushed_in_files(ids).items():
        found[pk] += views
    if uses_redis():
        try:
            counts = redis_client().hmget(REDIS_UNFLUSHED, ids)
        except UNREACHABLE as error:
            logger.warning("Redis unreachable, pages show stored totals: %s", error)
            counts = []
        for pk, views in zip(ids, counts, strict=False):
            found[pk] += int(views or 0)
    return found


def _unflushed_in_files(ids: list[int]) -> Counter[int]:
    """The local queue (embedded mode, or Redis mode while Redis was away).
    ``current.log`` has never been added (it is renamed before it is); a
    ``processing-`` batch has unless its name is recorded as added."""
    try:
        files = [
            entry
            for entry in os.scandir(queue_dir())
            if entry.name == "current.log"
            or (entry.name.startswith(PROCESSING) and entry.name.endswith(".log"))
        ]
        if sum(entry.stat().st_size for entry in files) > UNFLUSHED_READ_LIMIT:
            return Counter()
    except FileNotFoundError:  # a batch added and deleted meanwhile
        return Counter()
    batches = {Path(entry.name).stem: entry for entry in files}
    added = set(
        AddedBatch.objects.filter(
            name__in=[name for name in batches if name != "current"]
        ).values_list("name", flat=True)
    )
    counts: Counter[int] = Counter()
    for name, entry in batches.items():
        if name in added:
            continue
        try:
            text = b"\n" + Path(entry.path).read_bytes()
        except FileNotFoundError:
            continue
        for pk in ids:
            counts[pk] += text.count(b"\n%d\t" % pk)
    return counts
