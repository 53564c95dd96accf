"""Read replicas of PostgreSQL (DATABASE_REPLICA_URLS): readers' page renders
read from a replica; everything else reads and writes the primary.

Only an anonymous reader's page, rendered because the page cache missed, may
read a replica (pagecache/middleware.py says which request that is). Editors,
the admin, the worker, commands, beacons and the purge's own refresh requests
read the primary: an editor sees what they just saved, and the page a purge
puts in nginx is never an older copy from a replica that has not caught up. A
reader right after a publish may see the page as it was for as long as the
replica lags (usually well under a second on a local network).
"""

from __future__ import annotations

import contextvars
import random

from django.conf import settings

_reader_request = contextvars.ContextVar("toasoan_reader_request", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def replica_settings(urls: str, parse, **options) -> dict:
    """DATABASES entries for a comma-separated list of replica URLs."""
    entries = {}
    for number, url in enumerate(u.strip() for u in urls.split(",") if u.strip()):
        entry = parse(url, **options)
        # Tests read and write one database: the replica is the primary.
        entry["TEST"] = {"MIRROR": "default"}
        entries[f"replica_{number}"] = entry
    return entries


class reading_for_a_reader:
    """Context manager: this request's reads may go to a replica."""

    def __enter__(self):
        self._token = _reader_request.set(True)

    def __exit__(self, *exc):
        _reader_request.reset(self._token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if replicas and _reader_request.get():
            return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, whichever copy it was read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
