"""Election night on one small machine: how fast are article pages served?

Issue 10's benchmark. It builds a scratch PostgreSQL database with 10,000
articles (bulk inserts, as bench/large_section.py does) and one ~50 KB article
(title, date, rich-text body, keywords, byline, three related links), runs the
production stack (`python -m toasoan serve-production`: nginx with its page
cache, gunicorn gthread app servers, the worker; Redis for the cache and the
view queue), and loads it with wrk on 127.0.0.1, side by side in one run, on the
same article HTML:

- nginx serving that HTML as a static file: the ceiling;
- toasoan, hot: the article through nginx, kept in nginx's cache (X-Cache-Status
  HIT);
- toasoan, cold: the page cache off (TOASOAN_PAGE_CACHE_SECONDS=0), straight to
  gunicorn, so every request renders;
- stock Wagtail (bench/stock_wagtail/): one page model with the same fields, a
  template rendering the same article inside the same page around it, 10,000
  pages, served by gunicorn with the same settings: the peer;
- the view beacon (POST /api/views/<id>, every beacon a new reader, straight to
  the hot stack's gunicorn: through nginx every beacon would come from
  127.0.0.1, and the app refuses more than 3,000 a minute from one address);
- the search page: 20 popular queries through nginx with the page cache on
  (kept by the app in Redis: nginx keeps no address with a query string), and
  200 queries with the cache off.

For each: requests/s, p50 and p99 latency and errors at 16 and 64 connections,
the app workers' CPU seconds during the row and their memory (RSS, /proc).

`--publish-load` adds the load test: 64 readers through nginx for 60 s while
an editor publishes an article every 5 s (through the ORM, in this process,
with the production settings and the stack's refresh address): no 5xx, every new
article visible through nginx (its page, the home page and its section) within
1 s, none of them going back to a page without it, and view counts exact
(beacons with distinct readers, checked after the worker's flush).

    .venv/bin/python bench/pages.py --seconds 5            # quick look
    .venv/bin/python bench/pages.py --publish-load --write
    .venv/bin/python bench/pages.py --publish-load --load-only \
        --page-cache-seconds 60                            # try a setting

Ports 8301-8306 (--port-base), Redis database 8 (emptied), PostgreSQL databases
toasoan_bench_pages and toasoan_bench_pages_stock (made and dropped).

The 1,000,000-article cold render of issue 10 is not measured here yet.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

# bench/ is on sys.path when this file runs as a script.
from large_section import (
    AUTHORS,
    SENTENCES,
    add_section,
    bulk_build,
    create_postgres_database,
    drop_postgres_database,
    log,
    machine_info,
    phase,
    replace_results_block,
    run_in_scratch_database,
    settle_database,
)

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/toasoan_bench_pages"
WORKERS, THREADS = 2, 8  # serve-production's defaults, for every app server
PAGE_BYTES = 50_000
HOST = "127.0.0.1"
AGENT = "Mozilla/5.0 (Linux; Android 14; bench reader {n}) Chrome/126.0 Mobile"
SEARCH_WORDS = [
    "hội nghị", "nông dân", "thu hoạch", "lúa", "khánh thành", "cầu", "sông",
    "thanh niên", "học sinh", "bệnh viện", "kỹ thuật", "khu công nghiệp",
    "bóng đá", "ngư dân", "lễ hội", "du khách", "công tác", "tỉnh ủy",
    "năng suất", "công trình",
]  # fmt: skip
KEYWORDS = ["Thái Bình", "bão số 3", "đê điều", "nông nghiệp", "Vũ Thư"]

# wrk prints its summary as one line of JSON (and, with `count`, the statuses
# and X-Cache-Status answers it saw, which slows it down: load test only).
WRK_SCRIPT = r"""
local mode = "plain"
local paths = {}
local counter = 0
statuses = {}
caches = {}
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "plain"
  for i = 2, #args do paths[#paths + 1] = args[i] end
end

function request()
  counter = counter + 1
  if mode == "beacon" then
    local n = id * 10000000 + counter
    local path = paths[(counter % #paths) + 1]
    return wrk.format("POST", path, {
      ["User-Agent"] = "Mozilla/5.0 (Linux; Android 14; bench reader " .. n
        .. ") Chrome/126.0 Mobile",
      ["X-Real-IP"] = "10." .. id .. "." .. (counter % 250) .. "." ..
        (math.floor(counter / 250) % 250 + 1),
      ["Content-Length"] = "0",
    })
  end
  if #paths > 0 then
    return wrk.format("GET", paths[(counter % #paths) + 1])
  end
  return wrk.request()
end

if os.getenv("WRK_COUNT") == "1" then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    local cache = headers[os.getenv("WRK_HEADER") or "X-Cache-Status"] or "-"
    caches[cache] = (caches[cache] or 0) + 1
  end
end

function done(summary, latency, requests)
  local s, c = {}, {}
  for _, thread in ipairs(threads) do
    for k, v in pairs(thread:get("statuses")) do s[k] = (s[k] or 0) + v end
    for k, v in pairs(thread:get("caches")) do c[k] = (c[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(s) do parts[#parts + 1] = '"' .. k .. '":' .. v end
  local cparts = {}
  for k, v in pairs(c) do cparts[#cparts + 1] = '"' .. k .. '":' .. v end
  io.write(string.format(
    'WRK {"requests":%d,"seconds":%.3f,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"max":%d,' ..
    '"statuses":{%s},"caches":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(parts, ","), table.concat(cparts, ",")))
end
"""

STATIC_NGINX = """\
{user}
worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    server_tokens off;
    access_log off;
    client_body_temp_path {run}/temp/body;
    proxy_temp_path {run}/temp/proxy;
    fastcgi_temp_path {run}/temp/fastcgi;
    uwsgi_temp_path {run}/temp/uwsgi;
    scgi_temp_path {run}/temp/scgi;
    server {{
        listen {listen} reuseport backlog=4096;
        root {root};
        location / {{ default_type text/html; }}
    }}
}}
"""


# ------------------------------------------------------------------ set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--seconds", type=float, default=10, help="wrk's run for each row"
    )
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--publish-load", action="store_true")
    parser.add_argument("--publish-seconds", type=float, default=60)
    parser.add_argument("--publish-every", type=float, default=5)
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the load test (with --publish-load): no side-by-side rows",
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        help="TOASOAN_PAGE_CACHE_SECONDS for the production stack "
        "(default: the settings' own)",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database this script creates and drops (and NAME_stock "
        "for stock Wagtail)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--port-base", type=int, default=8300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.load_only and (args.write or not args.publish_load):
        parser.error("--load-only goes with --publish-load, and without --write")
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    args.connections = [int(n) for n in args.connections.split(",")]
    ports = iter(range(args.port_base + 1, args.port_base + 100))
    args.ports = {
        name: next(ports)
        for name in ("static", "hot", "hot_app", "cold", "cold_app", "stock")
    }
    args.stock_database_url = args.database_url + "_stock"
    args.secret = secrets.token_urlsafe(24)
    return args


def production_environment(args, data_dir: Path) -> dict[str, str]:
    """What serve-production's processes and this one get (see /tmp/prodenv.sh)."""
    return {
        "DJANGO_SETTINGS_MODULE": "toasoan.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "TOASOAN_SSL_REDIRECT": "0",
        "TOASOAN_HSTS_SECONDS": "0",
        "TOASOAN_DATA_DIR": str(data_dir),
        "TOASOAN_PAGE_CACHE_REFRESH_SECRET": args.secret,
        "TOASOAN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "PYTHONPATH": str(PROJECT_DIR),
    }


def make_setup(args):
    def setup(data_dir: Path, database_url: str) -> None:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        os.environ.update(production_environment(args, data_dir))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        # Pages name their static files by hash (ManifestStaticFilesStorage):
        # this process renders pages before serve-production collects them.
        call_command("collectstatic", interactive=False, verbosity=0)

    return setup


# ------------------------------------------------------------------ the site


def paragraph(rng: random.Random, number: int) -> str:
    text = " ".join(rng.choice(SENTENCES) for _ in range(4))
    if number % 7 == 3:
        return f"<h2>Diễn biến {number // 7 + 1}</h2><p>{text}</p>"
    if number % 11 == 5:
        items = "".join(f"<li>{rng.choice(SENTENCES)}</li>" for _ in range(3))
        return f"<ul>{items}</ul>"
    if number % 5 == 0:
        return f"<p><strong>{text[:60]}</strong> {text[60:]}</p>"
    return f"<p>{text}</p>"


def article_body(paragraphs: int) -> str:
    rng = random.Random(paragraphs)
    return "".join(paragraph(rng, n) for n in range(paragraphs))


def render_size(article) -> int:
    from django.test import Client

    from toasoan.pagecache.store import next_generation

    next_generation()  # not the page kept by the last call
    response = Client().get(article.get_absolute_url(), HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    return len(response.content)


def build_site(args) -> dict:
    """Section, articles, search index, and the showcase article of ~50 KB."""
    from django.utils import timezone
    from wagtail.models import Locale, Site

    from toasoan.news.models import Article, Byline, HomePage, RelatedArticle
    from toasoan.search.services import reindex_all

    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    section = add_section(home, "Thời sự", "thoi-su")
    bulk_build(section, args.articles, seed=10)
    latest = list(Article.objects.filter(section=section).order_by("-pk")[:3])
    article = Article(
        title="Bão số 3 đổ bộ: tỉnh huy động lực lượng bảo vệ đê điều",
        lead=SENTENCES[0] + " " + SENTENCES[1],
        body=article_body(10),
        section=section,
        locale=Locale.get_default(),
        published_at=timezone.now() - timedelta(minutes=30),
    )
    article.bylines = [Byline(name=AUTHORS[0])]
    article.related_links = [RelatedArticle(target=t) for t in latest]
    article.save()
    article.keywords.add(*KEYWORDS)
    article.save()
    article.save_revision().publish()
    # Grow the body to make the page PAGE_BYTES, measured as readers get it.
    small = render_size(article)
    article.body = article_body(20)
    article.save()
    per_paragraph = (render_size(article) - small) / 10
    paragraphs = 20 + max(0, round((PAGE_BYTES - render_size(article)) / per_paragraph))
    article.body = article_body(paragraphs)
    article.save()
    article.save_revision().publish()
    reindex_all()
    settle_database()
    return {"home": home, "section": section, "article": article}


def export_for_stock(site: dict, path: Path) -> None:
    """The same articles for stock Wagtail: the bulk ones and the showcase."""
    from toasoan.news.models import Article, Byline

    article = site["article"]
    authors = dict(Byline.objects.values_list("article_id", "name"))
    rows = Article.objects.filter(section=site["section"]).exclude(pk=article.pk)
    articles = [
        {
            "title": a.title,
            "slug": a.slug,
            "lead": a.lead,
            "body": a.body,
            "date": a.published_at.isoformat(),
            "author": authors.get(a.pk, ""),
        }
        for a in rows.order_by("pk").iterator()
    ]
    showcase = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "date": article.published_at.isoformat(),
        "author": AUTHORS[0],
        "tags": KEYWORDS,
        "related": [link.target.slug for link in article.related_links.all()],
    }
    path.write_text(json.dumps({"articles": articles, "showcase": showcase}))


# ------------------------------------------------------------------ servers


def wait_for_port(port: int, process: subprocess.Popen | None, seconds=120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), 0.5).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"port {port}: the process stopped") from None
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


@dataclass
class Servers:
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name, command, env, port, log_path: Path, cwd=PROJECT_DIR):
        with log_path.open("ab") as out:
            process = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.processes[name] = process
        wait_for_port(port, process)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def stack_command(args, listen: str, app: str, extra: list[str]) -> list[str]:
    return [
        PYTHON, "-m", "toasoan", "serve-production",
        "--listen", f"{HOST}:{args.ports[listen]}",
        "--app-server", f"{HOST}:{args.ports[app]}",
        "--workers", str(WORKERS), "--threads", str(THREADS), *extra,
    ]  # fmt: skip


def gunicorn_command(app: str, port: int) -> list[str]:
    """The app server's own settings (toasoan/operations/stack.py), any app."""
    from toasoan.operations.stack import app_server_command

    command = app_server_command(PYTHON, f"{HOST}:{port}", WORKERS, THREADS)
    command[1] = app
    return command


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    out = []
    for child in children(pid):
        out += [child, *descendants(child)]
    return out


def app_workers(root_pid: int) -> list[int]:
    """gunicorn's workers under ``root_pid``: gunicorn processes whose parent is
    gunicorn too."""

    def is_gunicorn(pid: int) -> bool:
        try:
            return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    pids = [root_pid, *descendants(root_pid)]
    return [
        pid
        for pid in pids
        if is_gunicorn(pid)
        and any(is_gunicorn(parent) and pid in children(parent) for parent in pids)
    ]


def rss_mb(pid: int) -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024 if found else 0.0


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def fetch(
    port: int, path: str, method="GET", headers=None, timeout: float = 10
) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# ------------------------------------------------------------------ load


@dataclass
class Run:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    statuses: dict
    caches: dict

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(
    script: Path,
    port: int,
    connections: int,
    seconds: float,
    mode="plain",
    paths=(),
    count=False,
    header="X-Cache-Status",
) -> Run:
    """wrk on 127.0.0.1, two threads, for ``seconds``; stopped if it overruns."""
    command = [
        "wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s",
        "--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}/",
        "--", mode, *paths,
    ]  # fmt: skip
    env = {**os.environ, "WRK_COUNT": "1" if count else "0", "WRK_HEADER": header}
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60
    )
    found = re.search(r"^WRK (\{.*\})$", out.stdout, re.M)
    if not found:
        raise RuntimeError(f"wrk: {out.stdout}\n{out.stderr}")
    data = json.loads(found.group(1))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Run(
        data["requests"], data["seconds"], errors, data["p50"] / 1000,
        data["p99"] / 1000, data["statuses"], data["caches"],
    )  # fmt: skip


@dataclass
class Row:
    name: str
    server: str
    runs: dict[int, Run] = field(default_factory=dict)
    cpu: dict[int, float] = field(default_factory=dict)
    rss: list[float] = field(default_factory=list)
    note: str = ""


def measure_row(
    row: Row, args, script, port, root, mode="plain", paths=(), header=None
):
    """``root``: the process whose gunicorn workers serve the row (None: nginx);
    ``header``: count this response header's values (slows wrk down)."""
    for connections in args.connections:
        workers = app_workers(root.pid) if root else []
        log(f"  {row.name}, {connections} connections…")
        wrk(script, port, connections, 2, mode, paths)  # warm-up
        before = cpu_seconds(workers)
        row.runs[connections] = wrk(
            script, port, connections, args.seconds, mode, paths,
            count=bool(header), header=header or "X-Cache-Status",
        )  # fmt: skip
        if header:
            answers = row.runs[connections].caches
            row.note += (
                f"{connections} connections, {header}: "
                + ", ".join(f"{value} × {n:,}" for value, n in sorted(answers.items()))
                + "; "
            )
        row.cpu[connections] = cpu_seconds(workers) - before
        run = row.runs[connections]
        log(
            f"    {run.rate:,.0f} requests/s, p50 {run.p50_ms:.1f} ms, "
            f"p99 {run.p99_ms:.1f} ms, {run.errors} errors"
        )
    row.rss = [rss_mb(pid) for pid in (app_workers(root.pid) if root else [])]


def split_chrome(html: str, chrome_dir: Path) -> None:
    """toasoan's page around the article, for stock Wagtail's template."""
    start = html.index('<article class="article">')
    related = html.index('<section class="box related"')
    end = html.index("</section>", related) + len("</section>")
    chrome_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (("chrome_top", html[:start]), ("chrome_bottom", html[end:])):
        (chrome_dir / f"{name}.html").write_text(
            "{% verbatim %}" + text + "{% endverbatim %}", encoding="utf-8"
        )


# ------------------------------------------------------------------ load test


@dataclass
class Published:
    title: str
    url: str
    first_seen: dict[str, float] = field(default_factory=dict)  # where → seconds
    reverted: Counter = field(default_factory=Counter)  # where → polls without it
    statuses: Counter = field(default_factory=Counter)

    @property
    def worst(self) -> float:
        if len(self.first_seen) < 3:
            return float("inf")  # some place never showed it
        return max(self.first_seen.values())

    def places(self) -> str:
        return " / ".join(
            f"{self.first_seen[w] * 1000:.0f}" if w in self.first_seen else "never"
            for w in ("article", "home", "section")
        )


def publish_one(section, number: int):
    from django.utils import timezone
    from wagtail.models import Locale

    from toasoan.news.models import Article, Byline

    article = Article(
        title=f"Tin nóng số {number}: mực nước sông Trà Lý lên nhanh",
        lead=SENTENCES[number % len(SENTENCES)],
        body=article_body(8),
        section=section,
        locale=Locale.get_default(),
        published_at=timezone.now(),
        translation_key=uuid.uuid4(),
    )
    article.bylines = [Byline(name=AUTHORS[number % len(AUTHORS)])]
    article.save()
    article.save_revision().publish()
    return article


def watch(item: Published, port: int, places: dict[str, str], until: float) -> None:
    """Poll nginx as a reader would until ``until``: when does each place first
    show the article, and does any show a page without it afterwards?"""
    started = time.monotonic()
    marker = item.url.encode()
    while time.monotonic() < until:
        for where, path in places.items():
            status, _, body = fetch(port, path)
            item.statuses[status] += 1
            shown = status == 200 and (marker in body if where != "article" else True)
            if shown and where not in item.first_seen:
                item.first_seen[where] = time.monotonic() - started
            elif not shown and where in item.first_seen:
                item.reverted[where] += 1
        time.sleep(0.02)


def beacons(port: int, ids: list[int], stop: threading.Event, sent: Counter):
    """Beacons through nginx, every one a new reader, at most 40 a second (all
    come from 127.0.0.1, and the app refuses more than 3,000 a minute from one
    address as a flood)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    number = 0
    while not stop.is_set():
        number += 1
        article = ids[number % len(ids)]
        try:
            connection.request(
                "POST",
                f"/api/views/{article}",
                headers={"User-Agent": AGENT.format(n=number), "Content-Length": "0"},
            )
            response = connection.getresponse()
            response.read()
            sent[response.status] += 1
            if response.status == 204:
                sent[("counted", article)] += 1
        except (OSError, http.client.HTTPException):
            sent["no answer"] += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
        time.sleep(0.025)
    connection.close()


def view_totals(ids: list[int]) -> dict[int, int]:
    from toasoan.news.models import Article

    return dict(Article.objects.filter(pk__in=ids).values_list("pk", "view_count"))


def publish_load(args, site, script: Path) -> dict:
    from toasoan.news.models import Article

    port = args.ports["hot"]
    section, article = site["section"], site["article"]
    sample = list(
        Article.objects.filter(section=section).order_by("-pk")[:50].iterator()
    )
    paths = ["/", section.url, article.get_absolute_url()]
    paths += [a.get_absolute_url() for a in sample]
    ids = [a.pk for a in sample]
    before = view_totals(ids)
    results: dict = {"published": []}

    def readers():
        results["wrk"] = wrk(
            script, port, 64, args.publish_seconds, "plain", paths, count=True
        )

    reading = threading.Thread(target=readers)
    sent: Counter = Counter()
    stop = threading.Event()
    beaconing = threading.Thread(target=beacons, args=(port, ids, stop, sent))
    start = time.monotonic()
    reading.start()
    beaconing.start()
    number = 0
    try:
        time.sleep(args.publish_every / 2)
        while time.monotonic() - start < args.publish_seconds - args.publish_every:
            number += 1
            new = publish_one(section, number)
            item = Published(new.title, new.get_absolute_url())
            results["published"].append(item)
            places = {"article": item.url, "home": "/", "section": section.url}
            watch(item, port, places, time.monotonic() + args.publish_every - 0.05)
            log(
                f"    published {number}: visible after {item.worst * 1000:.0f} ms "
                f"(article / home / section: {item.places()})"
                + (f", went back {dict(item.reverted)}" if item.reverted else "")
            )
    finally:
        reading.join()
        stop.set()
        beaconing.join()
    counted = Counter({k[1]: v for k, v in sent.items() if isinstance(k, tuple)})
    expected = sum(counted.values())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        after = view_totals(ids)
        added = {pk: after[pk] - before[pk] for pk in ids}
        if sum(added.values()) >= expected:
            time.sleep(3)  # anything more would be counted twice: wait for it
            after = view_totals(ids)
            added = {pk: after[pk] - before[pk] for pk in ids}
            break
        time.sleep(1)
    results["beacons"] = {k: v for k, v in sent.items() if not isinstance(k, tuple)}
    results["views_expected"] = expected
    results["views_counted"] = sum(added.values())
    results["views_wrong_articles"] = sum(1 for pk in ids if added[pk] != counted[pk])
    return results


# ------------------------------------------------------------------ the run


def run(args, command: str, timings: dict[str, float]) -> None:
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    site = phase(timings, "build", lambda: build_site(args))
    article = site["article"]
    export = data_dir / "stock.json"
    export_for_stock(site, export)
    servers = Servers()
    script = data_dir / "bench.lua"
    script.write_text(WRK_SCRIPT)
    env = {**os.environ, **production_environment(args, data_dir)}
    env["SECRET_KEY"] = settings.SECRET_KEY
    stock_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stock_wagtail.settings",
        "DATABASE_URL": args.stock_database_url,
        "PYTHONPATH": str(BENCH_DIR),
        "STOCK_WAGTAIL_CHROME_DIR": str(data_dir / "chrome"),
        "STOCK_WAGTAIL_MEDIA_ROOT": str(data_dir / "stock-media"),
    }
    try:

        def build_stock():
            create_postgres_database(args.stock_database_url)
            out = subprocess.run(
                [PYTHON, "-m", "stock_wagtail.build", str(export)],
                env=stock_env, cwd=BENCH_DIR, check=True, capture_output=True,
                text=True,
            )  # fmt: skip
            return json.loads(out.stdout.strip().splitlines()[-1])

        stock = phase(timings, "build stock Wagtail", build_stock)

        def start_servers():
            hot_env = dict(env)
            if args.page_cache_seconds is not None:
                hot_env["TOASOAN_PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
            servers.start(
                "hot", stack_command(args, "hot", "hot_app", []), hot_env,
                args.ports["hot"], data_dir / "hot.log",
            )  # fmt: skip
            cold_env = {**env, "TOASOAN_PAGE_CACHE_SECONDS": "0"}
            servers.start(
                "cold",
                stack_command(
                    args, "cold", "cold_app",
                    ["--skip-setup", "--no-worker", "--run-dir",
                     str(data_dir / "prod-cold")],
                ),
                cold_env, args.ports["cold"], data_dir / "cold.log",
            )  # fmt: skip

        phase(timings, "start the stack", start_servers)
        # The first requests load templates and warm caches: give them time.
        for port in ("hot", "cold_app"):
            fetch(args.ports[port], article.get_absolute_url(), timeout=60)
        status, headers, body = fetch(args.ports["hot"], article.get_absolute_url())
        assert status == 200, status
        html = body.decode()
        root = data_dir / "static-site"
        root.mkdir()
        (root / "article.html").write_bytes(body)
        split_chrome(html, data_dir / "chrome")
        run_dir = data_dir / "static-nginx"
        for kind in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / "temp" / kind).mkdir(parents=True)
        (run_dir / "nginx.conf").write_text(
            STATIC_NGINX.format(
                user="user root;" if os.geteuid() == 0 else "",
                run=run_dir,
                listen=f"{HOST}:{args.ports['static']}",
                root=root,
            )
        )
        servers.start(
            "static",
            ["nginx", "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"),
             "-g", "daemon off;"],
            env, args.ports["static"], data_dir / "static.log",
        )  # fmt: skip
        servers.start(
            "stock", gunicorn_command("stock_wagtail.wsgi:application",
                                      args.ports["stock"]),
            stock_env, args.ports["stock"], data_dir / "stock.log", cwd=BENCH_DIR,
        )  # fmt: skip
        checks = check_servers(args, article, stock, body)
        rows = []
        if not args.load_only:
            rows = phase(
                timings,
                "measure",
                lambda: measure_all(args, site, stock, script, servers),
            )
        load = None
        if args.publish_load:
            # This process publishes now: it must ask the stack's nginx for the
            # changed pages, as the stack's own processes do (serve-production
            # gives them this address).
            settings.TOASOAN_PAGE_CACHE_REFRESH_URLS = [
                f"http://{HOST}:{args.ports['hot']}"
            ]
            load = phase(
                timings, "publish load", lambda: publish_load(args, site, script)
            )
        checks += server_log_problems(data_dir)
        report = render(args, rows, checks, load, len(body), timings, command)
        print(report)
        if args.write:
            replace_results_block(
                "pages",
                "## Serving article pages (`bench/pages.py`)",
                report,
            )
    finally:
        servers.stop()
        if not args.keep:
            drop_postgres_database(args.stock_database_url)


def server_log_problems(data_dir: Path) -> list[str]:
    """What nginx and the app servers complained about during the run."""
    found = []
    logs = {
        "nginx (hot)": data_dir / "prod" / "nginx-error.log",
        "nginx (cache off)": data_dir / "prod-cold" / "nginx-error.log",
        "nginx (static)": data_dir / "static-nginx" / "nginx-error.log",
        "stack (hot)": data_dir / "hot.log",
        "stack (cache off)": data_dir / "cold.log",
        "stock Wagtail": data_dir / "stock.log",
    }
    for name, path in logs.items():
        if not path.exists():
            continue
        lines = path.read_text(errors="replace").splitlines()
        bad = [
            line
            for line in lines
            if re.search(r"\[(error|crit|alert|emerg)\]|Traceback|CRITICAL|ERROR", line)
        ]
        kinds = Counter(
            re.sub(r"^.*?\] \d+#\d+: \*?\d* ?|, client:.*$", "", line)[:100]
            + (
                f" ({m.group(1)})"
                if (m := re.search(r'request: "(\S+ [^\s?]+)', line))
                else ""
            )
            for line in bad
        )
        summary = "; ".join(f"{n} × {kind}" for kind, n in kinds.most_common(3))
        found.append(
            f"{name} log: {len(bad)} error lines" + (f" ({summary})" if bad else "")
        )
    return found


def check_servers(args, article, stock, body: bytes) -> list[str]:
    """What each server answers, before the load: the right page, cached or not."""
    url = article.get_absolute_url()
    checks = []
    hot = [fetch(args.ports["hot"], url)[1].get("X-Cache-Status") for _ in range(5)]
    checks.append(f"hot, X-Cache-Status of 5 requests: {', '.join(map(str, hot))}")
    cold_app = fetch(args.ports["cold_app"], url)[1]
    cold = [fetch(args.ports["cold"], url)[1].get("X-Cache-Status") for _ in range(3)]
    checks.append(
        "cache off (TOASOAN_PAGE_CACHE_SECONDS=0): the app sends X-Accel-Expires: "
        f"{cold_app.get('X-Accel-Expires', 'none')}, Cache-Control: "
        f"{cold_app.get('Cache-Control', 'none')}; its nginx, X-Cache-Status of 3 "
        f"requests: {', '.join(map(str, cold))}"
    )
    status, _, stock_body = fetch(args.ports["stock"], stock["url"])
    assert status == 200, f"stock Wagtail: {status}"
    static = fetch(args.ports["static"], "/article.html")[2]
    checks.append(
        f"sizes: toasoan {len(body):,} bytes, static file {len(static):,}, stock "
        f"Wagtail {len(stock_body):,}; stock Wagtail pages: {stock['pages']:,}"
    )
    for check in checks:
        log("  " + check)
    return checks


def measure_all(args, site, stock, script: Path, servers: Servers) -> list[Row]:
    from toasoan.news.models import Article

    url = site["article"].get_absolute_url()
    hot_workers = servers.processes["hot"]
    cold_workers = servers.processes["cold"]
    stock_workers = servers.processes["stock"]
    gunicorn = f"gunicorn gthread {WORKERS} × {THREADS}"
    ids = list(
        Article.objects.filter(section=site["section"])
        .order_by("pk")  # the oldest: the load test's beacons go to the newest
        .values_list("pk", flat=True)[:2_000]
    )
    queries = [
        "/tim-kiem/?" + urlencode({"q": f"{a} {b}"})
        for a in SEARCH_WORDS
        for b in SEARCH_WORDS[:11]
        if a != b
    ][:200]
    plan = [
        (Row("nginx, static file (ceiling)", "nginx"), "static", None, "plain",
         ["/article.html"], None),
        (Row("toasoan hot (nginx cache)", f"nginx → {gunicorn}"), "hot",
         hot_workers, "plain", [url], None),
        (Row("toasoan cold (cache off)", gunicorn), "cold_app", cold_workers,
         "plain", [url], None),
        (Row("stock Wagtail", gunicorn), "stock", stock_workers, "plain",
         [stock["url"]], None),
        (Row("view beacon (new readers)", gunicorn), "hot_app", hot_workers,
         "beacon", [f"/api/views/{pk}" for pk in ids], None),
        (Row("search, 20 popular queries (page cache on)", f"nginx → {gunicorn}"),
         "hot", hot_workers, "plain", queries[:20], "X-Toasoan-Cache"),
        (Row("search, 200 queries (cache off)", gunicorn), "cold_app",
         cold_workers, "plain", queries, None),
    ]  # fmt: skip
    rows = []
    for row, port, workers, mode, paths, header in plan:
        measure_row(row, args, script, args.ports[port], workers, mode, paths, header)
        rows.append(row)
    hits = [fetch(args.ports["hot"], url)[1].get("X-Cache-Status") for _ in range(5)]
    rows[1].note = (
        f"X-Cache-Status of 5 requests after the run: {', '.join(map(str, hits))} "
        "(STALE and UPDATING are nginx's kept copy too, while one request "
        "renders the page anew)"
    )
    return rows


# ------------------------------------------------------------------ the report


def ratio(a: float, b: float, digits: int) -> str:
    return f"{a / b:.{digits}f}" if b else "n/a (nothing answered)"


def render(args, rows: list[Row], checks, load, size: int, timings, command) -> str:
    lines = render_rows(args, rows, size) if rows else []
    lines += ["", "Checks:", ""] + [f"- {check}" for check in checks]
    lines += [f"- {row.name}: {row.note}" for row in rows if row.note]
    if load:
        lines += ["", *render_load(args, load)]
    lines += [
        "",
        "Not measured yet: the cold render with 1,000,000 articles.",
        "",
        "Run:",
        "",
    ]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in timings.items()]
    lines += [f"- command: `{command}`", "", "Machine:", ""]
    info = machine_info()
    info["load average (1, 5, 15 min) at the start"] = args.load_before
    info["load average (1, 5, 15 min) at the end"] = ", ".join(
        f"{n:.2f}" for n in os.getloadavg()
    )
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def render_rows(args, rows: list[Row], size: int) -> list[str]:
    static, hot, cold, stock = rows[:4]
    lines = [
        f"One article page of {size:,} bytes, {args.articles:,} articles in "
        "PostgreSQL; wrk (2 threads) on 127.0.0.1 for "
        f"{args.seconds:g} s per cell after a 2 s warm-up. Every app server: "
        f"gunicorn gthread, {WORKERS} workers × {THREADS} threads (serve-production's "
        "defaults), CONN_MAX_AGE from the environment (unset: 0). Latency p50 / p99 "
        "in ms; errors: refused, reset, timed out or not 2xx/3xx. App CPU: the "
        "server's workers' CPU seconds during the cell (near 0: nginx answered).",
        "",
        "| what | server | "
        + " | ".join(
            f"{c} conn: requests/s | p50 / p99 ms | errors | app CPU s"
            for c in args.connections
        )
        + " | RSS per app worker, MB |",
        "|---|---|" + "---|---|---|---|" * len(args.connections) + "---|",
    ]
    for row in rows:
        cells = []
        for c in args.connections:
            run = row.runs[c]
            cells += [
                f"{run.rate:,.0f}",
                f"{run.p50_ms:.1f} / {run.p99_ms:.1f}",
                f"{run.errors:,}",
                f"{row.cpu[c]:.1f}",
            ]
        rss = ", ".join(f"{mb:.0f}" for mb in row.rss) or "–"
        lines.append(f"| {row.name} | {row.server} | {' | '.join(cells)} | {rss} |")
    lines += ["", "Ratios (targets: hot ≥ 0.8 × nginx static; cold ≥ 5 × stock):", ""]
    for c in args.connections:
        hot_ok = hot.runs[c].rate >= 0.8 * static.runs[c].rate
        cold_ok = cold.runs[c].rate >= 5 * stock.runs[c].rate
        lines.append(
            f"- {c} connections: hot / nginx static = "
            f"{ratio(hot.runs[c].rate, static.runs[c].rate, 2)} "
            f"({'met' if hot_ok else 'NOT met'}); cold / stock Wagtail = "
            f"{ratio(cold.runs[c].rate, stock.runs[c].rate, 1)} "
            f"({'met' if cold_ok else 'NOT met'})"
        )
    errors = sum(run.errors for row in rows for run in row.runs.values())
    lines.append(
        f"- errors in all rows: {errors} ({'met' if not errors else 'NOT met'})"
    )
    return lines


def render_load(args, load: dict) -> list[str]:
    run: Run = load["wrk"]
    published: list[Published] = load["published"]
    fivexx = sum(n for s, n in run.statuses.items() if str(s).startswith("5"))
    fivexx += sum(n for s, n in load["beacons"].items() if str(s).startswith("5"))
    fivexx += sum(
        n for p in published for s, n in p.statuses.items() if str(s).startswith("5")
    )
    worst = max((p.worst for p in published), default=0)
    reverted = sum(sum(p.reverted.values()) for p in published)
    lines = [
        f"Load test: 64 readers (wrk, keep-alive) through nginx for "
        f"{args.publish_seconds:g} s on the home page, the section, the article "
        f"and 50 others, while an article was published every "
        f"{args.publish_every:g} s through the ORM (this process, production "
        "settings, purge asking nginx for the changed pages); a poller read the "
        "new article, the home page and the section through nginx every ~20 ms; "
        "beacons through nginx, each a new reader, at most 40 a second. Pages are "
        "kept for TOASOAN_PAGE_CACHE_SECONDS = "
        f"{args.page_cache_seconds if args.page_cache_seconds is not None else 5}.",
        "",
        "| measurement | result |",
        "|---|---|",
        f"| reader requests, requests/s | {run.requests:,}, {run.rate:,.0f} |",
        f"| reader p50 / p99 ms | {run.p50_ms:.1f} / {run.p99_ms:.1f} |",
        "| reader statuses | "
        + ", ".join(f"{s} × {n:,}" for s, n in sorted(run.statuses.items()))
        + " |",
        "| X-Cache-Status | "
        + ", ".join(f"{s} × {n:,}" for s, n in sorted(run.caches.items()))
        + " |",
        f"| 5xx (readers, beacons, poller) | {fivexx} |",
        f"| articles published | {len(published)} |",
        "| shown through nginx after, ms (article / home / section), each | "
        + "; ".join(p.places() for p in published)
        + " |",
        f"| worst delay | {worst * 1000:.0f} ms (target ≤ 1,000: "
        f"{'met' if worst <= 1 else 'NOT met'}) |",
        f"| polls showing a page without the article once it was shown | {reverted} |",
        "| beacons answered | "
        + ", ".join(f"{s} × {n:,}" for s, n in sorted(load["beacons"].items(), key=str))
        + " |",
        f"| views acknowledged (204) / counted after the flush | "
        f"{load['views_expected']:,} / {load['views_counted']:,} "
        f"({load['views_wrong_articles']} articles off) |",
    ]
    return lines


def main() -> None:
    args = parse_args()
    args.load_before = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    log(f"load average before: {args.load_before}")
    run_in_scratch_database("pages", args, run, setup=make_setup(args))


if __name__ == "__main__":
    main()
