"""The production stack on one machine: nginx in front, app servers behind it,
the background worker beside them (docs/operations.md).

Everything a process needs to know comes from the environment (settings/
production.py), so the same app server runs on this machine or on ten: sessions
are in the database, the cache, the view queue and the page generation in
Redis, media on shared or object storage. Past one machine, run app servers
elsewhere and list them in the nginx configuration (--app-server HOST:PORT).
"""

from __future__ import annotations

import gzip
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
# Compressed beside themselves for nginx's gzip_static; others are already
# compressed (pictures, fonts) or too small to gain.
COMPRESSED_SUFFIXES = {".css", ".js", ".svg", ".json", ".xml", ".txt", ".map", ".html"}
MIN_COMPRESSED_BYTES = 512
# nginx's temporary folders, kept under the run folder (not /var/lib/nginx).
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass
class NginxSite:
    listen: str
    app_servers: list[str]
    run_dir: Path
    static_root: Path
    media_root: Path
    refresh_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    forwarded_proto: str = "$scheme"
    upload_max: str = "2100m"


def media_configuration(media_root: Path, cache_dir: Path) -> tuple[str, str]:
    """deploy/nginx/media.conf for this machine: (http-level, server-level)."""
    text = (DEPLOY_DIR / "media.conf").read_text(encoding="utf-8")
    text = text.replace("/srv/toasoan/var/media/", str(media_root).rstrip("/") + "/")
    text = text.replace("/var/cache/nginx/media-access", str(cache_dir / "media"))
    cache_dir.mkdir(parents=True, exist_ok=True)  # nginx makes only the last level
    lines = text.splitlines()
    http = "\n".join(line for line in lines if line.startswith("proxy_cache_path"))
    server = "\n".join(
        line for line in lines if not line.startswith("proxy_cache_path")
    )
    return http, server


def nginx_configuration(site: NginxSite) -> str:
    cache_dir = site.run_dir / "cache"
    media_http, media_server = media_configuration(site.media_root, cache_dir)
    temp_paths = "\n    ".join(
        f"{kind}_temp_path {site.run_dir / 'temp' / kind};" for kind in TEMP_KINDS
    )
    values = {
        # Started by root, nginx's workers would run as www-data, which may not
        # read a data folder under /root or /tmp.
        "user": "user root;" if os.geteuid() == 0 else "",
        "run_dir": str(site.run_dir),
        "cache_dir": str(cache_dir),
        "mime_types": "/etc/nginx/mime.types",
        "upload_max": site.upload_max,
        "temp_paths": temp_paths + "\n    " + media_http,
        "refresh_secret": site.refresh_secret,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "app_servers": "\n".join(
            f"        server {address};" for address in site.app_servers
        ),
        "listen": site.listen,
        "static_root": str(site.static_root).rstrip("/"),
        "forwarded_proto": site.forwarded_proto,
        "media": "\n".join(f"        {line}" for line in media_server.splitlines()),
    }
    text = (DEPLOY_DIR / "toasoan.conf").read_text(encoding="utf-8")
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)
    for kind in TEMP_KINDS:
        (site.run_dir / "temp" / kind).mkdir(parents=True, exist_ok=True)
    (cache_dir / "pages").mkdir(parents=True, exist_ok=True)
    return text


def compress_static_files(static_root: Path) -> int:
    """Write name.gz beside each text file collectstatic made; returns how many."""
    written = 0
    for path in static_root.rglob("*"):
        if (
            not path.is_file()
            or path.suffix not in COMPRESSED_SUFFIXES
            or path.stat().st_size < MIN_COMPRESSED_BYTES
        ):
            continue
        target = path.with_name(path.name + ".gz")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        with open(path, "rb") as source, gzip.open(target, "wb", 9) as out:
            shutil.copyfileobj(source, out)
        written += 1
    return written


def app_server_command(python: str, address: str, workers: int, threads: int):
    """gunicorn's threaded workers: workers × threads bounds the database
    connections (MEASURED.md: unbounded threads exhausted PostgreSQL's 100)."""
    gunicorn = str(Path(python).with_name("gunicorn"))
    return [
        gunicorn,
        "toasoan.wsgi:application",
        "--bind", address,
        "--worker-class", "gthread",
        "--workers", str(workers),
        "--threads", str(threads),
        "--max-requests", "20000",
        "--max-requests-jitter", "2000",
        "--graceful-timeout", "20",
        # Longer than nginx keeps an idle upstream connection (60 s): with
        # gunicorn's default of 2 s it may close one just as nginx sends a
        # request on it ("Connection reset by peer" in nginx's log, bench/
        # pages.py), a 502 unless nginx has a stale copy to give.
        "--keep-alive", "75",
        # gunicorn 27's control socket has one default path per user: a second
        # app server on the machine would take the first one's.
        "--no-control-socket",
        "--access-logfile", "-" if settings.DEBUG else "/dev/null",
    ]  # fmt: skip
