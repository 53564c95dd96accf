"""Fault drill: PostgreSQL restarted under reader load.

The claim to check: while PostgreSQL is down readers get errors, and only then;
the site recovers by itself, without the app being restarted; and no data is
lost, doubled or half-written.

The drill builds the demo site in a scratch PostgreSQL database, serves it with
gunicorn (2 workers, threads) and the app's worker, with persistent connections
(CONN_MAX_AGE=60, so recovery rests on Django's connection health checks) and
views queued in files (no REDIS_URL). Eight client threads then read it for about
25 s (home, a section, articles, a search, and view beacons, each beacon a new
reader) while the local PostgreSQL cluster is stopped (`-m fast`) for a few
seconds and started again. Afterwards it checks:

- the gunicorn master and its workers, and the app's worker, are the processes
  that were there before (nothing was restarted);
- every request whose life overlapped the down window (from the stop command to
  `pg_isready` answering, plus a grace of 2 s) may fail, but only with a clean
  5xx answer or a refused/reset connection, quickly (no hangs); every request
  before and after it succeeded;
- every beacon answered 204 (a counted view, since every beacon is a new reader)
  is in the articles' totals exactly once, those acknowledged while PostgreSQL
  was down included (they wait in the file queue); the hourly counts moved with
  the totals; the number of articles is unchanged; `manage.py check` passes.

    .venv/bin/python bench/drills.py            # run the drill, print the table
    .venv/bin/python bench/drills.py --write    # and put it into bench/RESULTS.md

It stops and starts the machine's PostgreSQL cluster (`pg_ctlcluster`, as root):
run it only where a few seconds without PostgreSQL hurt nobody. PostgreSQL is
started again whatever happens (an error, ^C, SIGTERM; a watchdog process covers
a `kill -9` of the drill). Exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# bench/ is on sys.path when this file runs as a script.
from large_section import (
    create_postgres_database,
    drop_postgres_database,
    log,
    machine_info,
    replace_results_block,
)

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/toasoan_drill"

CLIENTS = 8
LOAD_SECONDS = 25.0
DOWN_AFTER = 6.0  # seconds of load before PostgreSQL is stopped
DOWN_FOR = 4.0  # seconds between the stop and the start command
GRACE = 2.0  # after pg_isready answers, requests may still fail this long
TIMEOUT = 5.0  # a client's timeout for one request: longer is a hang
MAX_REQUESTS = 20_000  # the load stops here even if time is left
THINK_SECONDS = 0.02  # each client's pause between requests
WATCHDOG_SECONDS = 45  # starts PostgreSQL if the drill died with it stopped
FLUSH_TIMEOUT = 60.0

SEARCH_PATH = "/tim-kiem/?q=thai+binh"
AGENT = "Mozilla/5.0 (Linux; Android 14; drill reader {n}) Chrome/126.0 Mobile"
READER_ADDRESSES = [f"10.77.{n // 200}.{n % 200 + 1}" for n in range(1_000)]
# What each client sends, in its own shuffled order, round and round.
MIX = ["beacon"] * 4 + ["article"] * 3 + ["home", "section", "search"] * 1
KINDS = ["home", "section", "article", "search", "beacon"]
SUCCESS = {"home": 200, "section": 200, "article": 200, "search": 200, "beacon": 204}
# A refused or dropped connection is a clean failure; a timeout is a hang.
CLEAN_EXCEPTIONS = {
    "ConnectionRefusedError",
    "ConnectionResetError",
    "ConnectionAbortedError",
    "BrokenPipeError",
    "RemoteDisconnected",
}
PHASES = ["before", "down", "after"]


# ------------------------------------------------------------------ PostgreSQL


def cluster_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    if len(versions) != 1:
        raise SystemExit(
            f"expected one PostgreSQL version in /etc/postgresql: {versions}"
        )
    return versions[0]


def pg_ctlcluster(action: str, *extra: str) -> list[str]:
    return [
        "pg_ctlcluster", "--skip-systemctl-redirect", cluster_version(), "main",
        action, *extra,
    ]  # fmt: skip


def postgres_ready() -> bool:
    ready = subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-t", "1"], check=False
    )
    return ready.returncode == 0


def wait_for_postgres(timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not postgres_ready():
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL did not come back")
        time.sleep(0.05)


def ensure_postgres_running() -> None:
    """Start PostgreSQL if it is not answering; other work on the machine needs it."""
    if postgres_ready():
        return
    log("PostgreSQL is not answering: starting it")
    subprocess.run(pg_ctlcluster("start"), check=False)
    wait_for_postgres()


def start_watchdog() -> subprocess.Popen:
    """A process of its own that starts PostgreSQL if it is still down after
    WATCHDOG_SECONDS, in case this script is killed with it stopped."""
    start = " ".join(pg_ctlcluster("start"))
    script = f"sleep {WATCHDOG_SECONDS}; pg_isready -q -h 127.0.0.1 -t 1 || {start}"
    return subprocess.Popen(
        ["sh", "-c", script],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def article_totals(database_url: str) -> tuple[int, int, int]:
    """(articles, sum of view_count, sum of hourly views), read directly."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as conn:
        articles, views = conn.execute(
            "SELECT count(*), coalesce(sum(view_count), 0) FROM news_article"
        ).fetchone()
        (hourly,) = conn.execute(
            "SELECT coalesce(sum(views), 0) FROM audience_articleviewhour"
        ).fetchone()
    return int(articles), int(views), int(hourly)


# ------------------------------------------------------------------ the site


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The demo site in a scratch database, served by gunicorn, with the worker."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.dir = Path(tempfile.mkdtemp(prefix="toasoan-drill-"))
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "toasoan.settings.dev",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            "TOASOAN_DATA_DIR": str(self.dir),
            "TOASOAN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "PYTHONPATH": str(PROJECT_DIR),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("REDIS_URL", None)
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.server_log = self.dir / "gunicorn.log"
        self.worker_log = self.dir / "worker.log"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, "-m", "toasoan", *args],
            env=self.env,
            cwd=PROJECT_DIR,
            check=check,
            capture_output=True,
            text=True,
        )

    def build(self) -> None:
        create_postgres_database(self.database_url)
        # The worker's single round processes the demo's video now, so that the
        # worker's video thread does not compete with the readers later.
        for args in (["migrate", "--noinput"], ["load-demo"], ["worker", "--once"]):
            started = time.monotonic()
            self.manage(*args)
            log(f"{' '.join(args)}: {time.monotonic() - started:.0f} s")

    def start(self) -> None:
        with self.server_log.open("ab") as out:
            self.server = subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"), "toasoan.wsgi:application",
                    "-b", f"127.0.0.1:{self.port}", "--worker-class", "gthread",
                    "--workers", "2", "--threads", "4", "--log-level", "warning",
                ],
                env=self.env, cwd=PROJECT_DIR, start_new_session=True,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        with self.worker_log.open("ab") as out:
            self.worker = subprocess.Popen(
                [PYTHON, "-m", "toasoan", "worker"],
                env=self.env, cwd=PROJECT_DIR, start_new_session=True,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        for _ in range(300):
            try:
                status, _ = fetch(self.port, "GET", "/api/health")
                if status == 200 and len(self.server_workers()) == 2:
                    return
            except OSError:
                pass
            if self.server.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: see {self.server_log}")

    def server_workers(self) -> list[int]:
        """The gunicorn master's children (its workers), from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces.
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if self.server and ppid == self.server.pid:
                children.append(int(entry.name))
        return sorted(children)

    def processes(self) -> dict[str, object]:
        return {
            "gunicorn master": self.server.pid if self.server.poll() is None else None,
            "gunicorn workers": self.server_workers(),
            "app worker": self.worker.pid if self.worker.poll() is None else None,
        }

    def queued_views(self) -> int:
        """Bytes still waiting in the view queue's files."""
        waiting = 0
        for path in (self.dir / "views").glob("*.log"):
            try:
                waiting += path.stat().st_size
            except FileNotFoundError:  # the worker took it meanwhile
                pass
        return waiting

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            try:
                os.killpg(self.server.pid, signal.SIGTERM)
                self.server.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(5)
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()  # a last flush, then it stops
            try:
                self.worker.wait(20)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait(5)


# ------------------------------------------------------------------ the readers


def fetch(
    port: int, method: str, path: str, headers: dict | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Sent:
    kind: str
    start: float  # seconds since the load began
    end: float
    outcome: int | str  # the status, or the exception's class name

    @property
    def ok(self) -> bool:
        return self.outcome == SUCCESS[self.kind]


@dataclass
class Targets:
    section: str
    articles: list[tuple[str, int]]  # (path, id)


@dataclass
class Timeline:
    """Times in seconds since the load began."""

    stop_sent: float = 0.0
    stopped: float = 0.0
    start_sent: float = 0.0
    ready: float = 0.0
    end: float = 0.0

    def phase(self, sent: Sent) -> str:
        """A request answered before the stop command is "before"; one sent after
        pg_isready answered plus the grace is "after"; the rest overlapped the
        down window."""
        if sent.end < self.stop_sent:
            return "before"
        if sent.start > self.ready + GRACE:
            return "after"
        return "down"


def find_targets(port: int, database_url: str) -> Targets:
    """Articles linked from the home page, and the first section of the tree."""
    import psycopg

    status, body = fetch(port, "GET", "/")
    if status != 200:
        raise RuntimeError(f"home page answered {status}")
    found = re.findall(r'href="(/[a-z0-9-]*-(\d+)\.html)"', body.decode())
    articles = [(path, int(pk)) for path, pk in dict.fromkeys(found)][:6]
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        row = conn.execute(
            """
            SELECT page.url_path, root.url_path
            FROM news_sectionpage section
            JOIN wagtailcore_page page ON page.id = section.page_ptr_id
            JOIN wagtailcore_site site ON site.is_default_site
            JOIN wagtailcore_page root ON root.id = site.root_page_id
            WHERE page.live AND page.path LIKE root.path || '%'
            ORDER BY page.path LIMIT 1
            """
        ).fetchone()
    if len(articles) < 3 or row is None:
        raise RuntimeError("no articles on the home page, or no section")
    section = "/" + row[0][len(row[1]) :]
    for path in [section, *(path for path, _ in articles), SEARCH_PATH]:
        status, _ = fetch(port, "GET", path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} before the drill")
    return Targets(section, articles)


class Readers:
    """CLIENTS threads reading the site until the time or the request budget ends."""

    def __init__(self, port: int, targets: Targets, seconds: float):
        self.port, self.targets, self.seconds = port, targets, seconds
        self.results: list[Sent] = []
        self.readers = itertools.count(1)
        self.budget = itertools.count(1)
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True)
            for n in range(CLIENTS)
        ]
        self.began = 0.0

    def start(self) -> None:
        self.began = time.monotonic()
        for thread in self.threads:
            thread.start()

    def now(self) -> float:
        return time.monotonic() - self.began

    def join(self) -> None:
        for thread in self.threads:
            thread.join(self.seconds + 2 * TIMEOUT)

    def client(self, number: int) -> None:
        rng = random.Random(number)
        mix = MIX[:]
        rng.shuffle(mix)
        for kind in itertools.cycle(mix):
            if self.stopping.is_set() or self.now() >= self.seconds:
                return
            if next(self.budget) > MAX_REQUESTS:
                return
            method, path, headers = self.request(kind, rng)
            start = self.now()
            try:
                outcome: int | str = fetch(self.port, method, path, headers)[0]
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            self.results.append(Sent(kind, start, self.now(), outcome))
            time.sleep(THINK_SECONDS)

    def request(self, kind: str, rng: random.Random) -> tuple[str, str, dict]:
        reader = next(self.readers)
        headers = {
            "User-Agent": AGENT.format(n=reader),
            "X-Real-IP": rng.choice(READER_ADDRESSES),
        }
        if kind == "beacon":
            _, article = rng.choice(self.targets.articles)
            return "POST", f"/api/views/{article}", headers
        path = {
            "home": "/",
            "section": self.targets.section,
            "search": SEARCH_PATH,
        }.get(kind) or rng.choice(self.targets.articles)[0]
        return "GET", path, headers


# ------------------------------------------------------------------ the drill


@dataclass
class Drill:
    """What happened, and what the checks found."""

    timeline: Timeline
    results: list[Sent]
    processes_before: dict
    processes_after: dict
    totals_before: tuple[int, int, int]
    totals_after: tuple[int, int, int]
    flush_seconds: float
    check_output: str
    check_ok: bool
    server_errors: Counter
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def by_phase(self) -> dict[tuple[str, str], list[Sent]]:
        out: dict[tuple[str, str], list[Sent]] = {}
        for sent in self.results:
            out.setdefault((self.timeline.phase(sent), sent.kind), []).append(sent)
        return out

    def recovery(self, kind: str) -> tuple[float | None, float | None]:
        """(seconds from pg_isready to the first success of this kind sent after
        it, seconds from pg_isready to the last failure of this kind)."""
        ready = self.timeline.ready
        mine = [s for s in self.results if s.kind == kind]
        first_ok = min((s.end for s in mine if s.start >= ready and s.ok), default=None)
        failures = [s.end for s in mine if not s.ok]
        return (
            None if first_ok is None else first_ok - ready,
            max(failures) - ready if failures else None,
        )

    @property
    def acknowledged(self) -> int:
        return sum(1 for s in self.results if s.kind == "beacon" and s.ok)

    @property
    def acknowledged_while_down(self) -> int:
        t = self.timeline
        return sum(
            1
            for s in self.results
            if s.kind == "beacon"
            and s.ok
            and s.end >= t.stop_sent
            and s.start <= t.ready
        )

    def run_checks(self) -> None:
        before, after = self.processes_before, self.processes_after
        self.checks.append(
            (
                "gunicorn master and workers, and the app's worker, not restarted",
                before == after and all(after.values()),
                f"before {before}, after {after}",
            )
        )
        phases = self.by_phase()
        outside = [
            s
            for (phase, _), sent in phases.items()
            if phase != "down"
            for s in sent
            if not s.ok
        ]
        self.checks.append(
            (
                f"no failure before the stop, nor from pg_isready + {GRACE:g} s on",
                not outside,
                f"{len(outside)} failed outside the down window"
                + (f": {_outcomes(outside)}" if outside else ""),
            )
        )
        down_failures = [s for s in self.results if not s.ok]
        unclean = [
            s
            for s in down_failures
            if not (
                (isinstance(s.outcome, int) and 500 <= s.outcome < 600)
                or s.outcome in CLEAN_EXCEPTIONS
            )
        ]
        slowest = max((s.end - s.start for s in down_failures), default=0.0)
        self.checks.append(
            (
                "failures are clean (5xx or a refused/reset connection), not hangs",
                not unclean and slowest < TIMEOUT,
                f"{len(down_failures)} failures: {_outcomes(down_failures) or 'none'}; "
                f"slowest failure {slowest:.2f} s (timeout {TIMEOUT:g} s)",
            )
        )
        missing = [kind for kind in KINDS if self.recovery(kind)[0] is None]
        self.checks.append(
            (
                "every kind of request succeeded again after pg_isready",
                not missing,
                "missing: " + ", ".join(missing) if missing else "all kinds",
            )
        )
        articles0, views0, hourly0 = self.totals_before
        articles1, views1, hourly1 = self.totals_after
        counted, hourly = views1 - views0, hourly1 - hourly0
        self.checks.append(
            (
                "every beacon answered 204 counted exactly once "
                "(view_count after − before)",
                counted == self.acknowledged,
                f"acknowledged {self.acknowledged:,} "
                f"({self.acknowledged_while_down:,} while PostgreSQL was down), "
                f"counted {counted:,}",
            )
        )
        self.checks.append(
            (
                "hourly views moved with the totals (no half-written batch)",
                hourly == counted,
                f"hourly views +{hourly:,}, totals +{counted:,}",
            )
        )
        self.checks.append(
            (
                "number of articles unchanged",
                articles0 == articles1,
                f"{articles0:,} before, {articles1:,} after",
            )
        )
        self.checks.append(
            (
                "`python -m toasoan check` passes",
                self.check_ok,
                self.check_output.strip().splitlines()[-1]
                if self.check_output.strip()
                else "",
            )
        )

    @property
    def passed(self) -> bool:
        return all(ok for _, ok, _ in self.checks)


def _outcomes(sent: list[Sent]) -> str:
    counts = Counter(str(s.outcome) for s in sent)
    return ", ".join(f"{outcome} × {n:,}" for outcome, n in counts.most_common())


def server_errors(log_path: Path) -> Counter:
    """The database errors in gunicorn's log, by their reason ("Connection
    refused", "the database system is shutting down"...)."""
    found: Counter = Counter()
    if not log_path.exists():
        return found
    for line in log_path.read_text(errors="replace").splitlines():
        match = re.match(r"^django\.db\.utils\.(\w+): (.*)$", line)
        if match:
            reason = match.group(2).rsplit("failed: ", 1)[-1].replace("FATAL: ", "")
            found[f"{match.group(1)}: {reason.strip()}"] += 1
    return found


def wait_for_flush(site: Site, database_url: str) -> tuple[tuple[int, int, int], float]:
    """Totals once the worker has emptied the queue and two rounds changed
    nothing; and how long that took."""
    started = time.monotonic()
    last, stable = None, 0
    while time.monotonic() - started < FLUSH_TIMEOUT:
        totals = article_totals(database_url)
        if site.queued_views() == 0 and totals == last:
            stable += 1
            if stable >= 2:
                break
        else:
            stable = 0
        last = totals
        time.sleep(2.0)  # one worker round
    return article_totals(database_url), time.monotonic() - started


def run_drill(site: Site, args: argparse.Namespace) -> Drill:
    site.build()
    log(f"site built in {site.dir}; starting gunicorn on port {site.port}")
    site.start()
    targets = find_targets(site.port, site.database_url)
    log(f"targets: section {targets.section}, articles {targets.articles}")
    processes_before = site.processes()
    totals_before = article_totals(site.database_url)

    readers = Readers(site.port, targets, args.seconds)
    timeline = Timeline()
    readers.start()
    try:
        time.sleep(max(0.0, args.down_after - readers.now()))
        watchdog = start_watchdog()
        timeline.stop_sent = readers.now()
        log(f"{timeline.stop_sent:5.1f} s: stopping PostgreSQL")
        subprocess.run(pg_ctlcluster("stop", "-m", "fast"), check=True)
        timeline.stopped = readers.now()
        time.sleep(args.down_for)
        timeline.start_sent = readers.now()
        log(f"{timeline.start_sent:5.1f} s: starting PostgreSQL")
        subprocess.run(pg_ctlcluster("start"), check=False)
        wait_for_postgres()
        timeline.ready = readers.now()
        log(f"{timeline.ready:5.1f} s: pg_isready answers")
    except BaseException:
        readers.stopping.set()
        raise
    finally:
        ensure_postgres_running()
    # Only on this path: after an interruption the watchdog stays, in case a
    # stop command was still under way; it ends by itself.
    if watchdog.poll() is None:
        os.killpg(watchdog.pid, signal.SIGTERM)
        watchdog.wait(5)
    readers.join()
    timeline.end = readers.now()
    log(f"{timeline.end:5.1f} s: load over, {len(readers.results):,} requests")

    totals_after, flush_seconds = wait_for_flush(site, site.database_url)
    processes_after = site.processes()
    check = site.manage("check", check=False)
    drill = Drill(
        timeline=timeline,
        results=sorted(readers.results, key=lambda s: s.start),
        processes_before=processes_before,
        processes_after=processes_after,
        totals_before=totals_before,
        totals_after=totals_after,
        flush_seconds=flush_seconds,
        check_output=check.stdout + check.stderr,
        check_ok=check.returncode == 0,
        server_errors=server_errors(site.server_log),
    )
    drill.run_checks()
    return drill


# ------------------------------------------------------------------ the report


def render(drill: Drill, info: dict[str, str], command: str, wall: float) -> str:
    t = drill.timeline
    phases = drill.by_phase()
    lines = [
        f"{CLIENTS} client threads read the demo site for {t.end:.0f} s "
        "(home, a section, articles, a search, and view beacons, each beacon a new "
        "reader), served by gunicorn (gthread, 2 workers × 4 threads, "
        "`toasoan.settings.dev`, CONN_MAX_AGE=60 with health checks) and the app's "
        "worker, views queued in files (no Redis). PostgreSQL was stopped "
        f"(`pg_ctlcluster … stop -m fast`) at {t.stop_sent:.1f} s (down at "
        f"{t.stopped:.1f} s), started at {t.start_sent:.1f} s, and `pg_isready` "
        f"answered at {t.ready:.1f} s: down window {t.ready - t.stop_sent:.1f} s. "
        '"before": answered before the stop command; "after": sent more than '
        f'{GRACE:g} s after `pg_isready` answered; "down": the rest, whose life '
        "overlapped the window. The last two columns count from `pg_isready`'s "
        "answer (a negative last failure came before it). Under dev settings a "
        "500 is Django's debug page.",
        "",
        "| request | before: sent / failed | down: sent / failed "
        "| after: sent / failed | first success after pg_isready "
        "| last failure |",
        "|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        cells = []
        for phase in PHASES:
            sent = phases.get((phase, kind), [])
            cells.append(f"{len(sent):,} / {sum(1 for s in sent if not s.ok):,}")
        first_ok, last_failure = drill.recovery(kind)
        cells.append("never" if first_ok is None else f"{first_ok:.2f} s")
        cells.append("no failure" if last_failure is None else f"{last_failure:+.2f} s")
        label = "`POST /api/views/<id>`" if kind == "beacon" else kind
        if kind == "search":
            label = f"`{SEARCH_PATH}`"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for phase in PHASES:
        sent = [s for (p, _), group in phases.items() if p == phase for s in group]
        cells.append(f"{len(sent):,} / {sum(1 for s in sent if not s.ok):,}")
    lines.append("| all | " + " | ".join(cells) + " | | |")
    failures = [s for s in drill.results if not s.ok]
    counted = drill.totals_after[1] - drill.totals_before[1]
    errors = "; ".join(e for e, _ in drill.server_errors.most_common())
    beacons_failed = any(s.kind == "beacon" for s in failures)
    if drill.acknowledged_while_down and not beacons_failed:
        lines += [
            "",
            "Beacons need no database once a web process knows the day's secret "
            "and that the article is public (both kept in its memory), so they "
            "were answered while PostgreSQL was down and their views waited in "
            "the file queue.",
        ]
    lines += [
        "",
        f"Failed answers: {_outcomes(failures) or 'none'}. "
        f"The exceptions behind them in gunicorn's log, most frequent first: "
        f"{errors or 'none'}.",
        "",
        f"Views: {drill.acknowledged:,} beacons answered 204 "
        f"({drill.acknowledged_while_down:,} of them while PostgreSQL was down); "
        f"the articles' totals grew by {counted:,} "
        f"once the worker had emptied the queue ({drill.flush_seconds:.0f} s after "
        "the load).",
        "",
        "| check | result | evidence |",
        "|---|---|---|",
    ]
    for name, ok, evidence in drill.checks:
        lines.append(f"| {name} | {'ok' if ok else '**FAILED**'} | {evidence} |")
    lines += ["", "Run:", "", f"- command: `{command}`", f"- wall time: {wall:.0f} s"]
    lines += [f"- load average (1 min) at the end: {os.getloadavg()[0]:.2f}"]
    lines += ["", "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def site_machine_info(site: Site) -> dict[str, str]:
    """machine_info() needs Django: set it up here, on the drill's database."""
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TOASOAN_DATA_DIR"):
        os.environ[name] = site.env[name]
    import django
    from django.db import connections

    django.setup()
    try:
        return machine_info()
    finally:
        connections.close_all()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seconds", type=float, default=LOAD_SECONDS)
    parser.add_argument("--down-after", type=float, default=DOWN_AFTER)
    parser.add_argument("--down-for", type=float, default=DOWN_FOR)
    parser.add_argument("--write", action="store_true", help="update RESULTS.md")
    parser.add_argument(
        "--keep", action="store_true", help="keep the data directory (logs)"
    )
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the drill restarts the local PostgreSQL: use a local database")
    if not 0 < args.down_after < args.seconds - args.down_for - 2 * GRACE:
        parser.error("PostgreSQL must be down and back well within the load")
    if args.seconds > 60:
        parser.error("--seconds: at most 60 (the machine is shared)")
    return args


def main() -> int:
    args = parse_args()
    command = "python bench/drills.py " + " ".join(sys.argv[1:])
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    site = Site(args.database_url)
    drill = None
    try:
        drill = run_drill(site, args)
        report = render(
            drill, site_machine_info(site), command.strip(), time.monotonic() - started
        )
        print(report)
        if not drill.passed:
            log(f"A check failed; gunicorn's log: {site.server_log}")
            tail = site.server_log.read_text(errors="replace").splitlines()[-60:]
            log("\n".join(tail))
        if args.write:
            replace_results_block(
                "drill-postgresql-restart",
                "## Fault drill: PostgreSQL restarted under reader load",
                report,
            )
    finally:
        # Nothing may stop the clean-up half-way: PostgreSQL must run again.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            ensure_postgres_running()
        finally:
            site.stop()
            try:
                drop_postgres_database(args.database_url)
            except Exception as error:  # noqa: BLE001  (clean-up goes on)
                log(f"could not drop the drill database: {error}")
            if args.keep:
                log(f"kept {site.dir} (logs, view queue)")
            else:
                shutil.rmtree(site.dir, ignore_errors=True)
            log(f"wall time: {time.monotonic() - started:.0f} s")
    return 0 if drill is not None and drill.passed else 1


if __name__ == "__main__":
    sys.exit(main())
