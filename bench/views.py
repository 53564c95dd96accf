"""Are reader views counted exactly, and fast enough, on one small machine?

Sends a known mix of view beacons (distinct readers, reloads, robots; readers
spread over many carrier addresses) from concurrent keep-alive clients to a real
server on 127.0.0.1 (gunicorn + the app's worker), then checks every article's
stored total against what the mix should give, exactly. Side by side, in the same
run, the same server answers a trivial endpoint (`/api/health`): the ceiling.
Then a second run kills the server with `kill -9` mid-load, restarts it, and
reports whether any view it had acknowledged was lost. Embedded mode (files) and
Redis mode (with --redis-url) alike.

    .venv/bin/python bench/views.py --beacons 20000          # quick look
    .venv/bin/python bench/views.py --write                  # 200,000, both modes
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
PYTHON = sys.executable
ARTICLES = 200
ADDRESSES = 2_000  # carrier NAT: many readers share an address
ROBOT_SHARE = 0.05
AGENT = "Mozilla/5.0 (Linux; Android 14; reader {n}) Chrome/126.0 Mobile Safari/537.36"
ROBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@dataclass(frozen=True)
class Beacon:
    article: int
    agent: str
    address: str
    counts: bool  # the first from this reader for this article, not a robot


@dataclass
class Outcome:
    sent: int = 0
    answered: Counter = field(default_factory=Counter)  # status → n
    acknowledged: Counter = field(default_factory=Counter)  # article → counted 204s
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def plan(beacons: int, seed: int, reloads: bool) -> list[Beacon]:
    """A known mix: readers read an article once, some reload it, robots visit."""
    rng = random.Random(seed)
    out: list[Beacon] = []
    reader = 0
    while len(out) < beacons:
        reader += 1
        article = rng.randint(1, ARTICLES)
        slot = rng.randrange(ADDRESSES)
        address = f"10.0.{slot // 250}.{slot % 250 + 1}"
        if rng.random() < ROBOT_SHARE:
            out.append(Beacon(article, ROBOT, address, counts=False))
            continue
        agent = AGENT.format(n=reader)
        out.append(Beacon(article, agent, address, counts=True))
        for _ in range(rng.choice((0, 0, 1, 2)) if reloads else 0):
            out.append(Beacon(article, agent, address, counts=False))
    out = out[:beacons]
    # Reloads come later than the first read, as in life; the rest is mixed.
    rng.shuffle(out)
    seen: set[tuple[int, str]] = set()
    fixed = []
    for beacon in out:
        key = (beacon.article, beacon.agent)
        counts = beacon.agent != ROBOT and key not in seen
        seen.add(key)
        fixed.append(Beacon(beacon.article, beacon.agent, beacon.address, counts))
    return fixed


# ------------------------------------------------------------------ the client


async def _connection(port, requests, outcome: Outcome, stop_after=None):
    reader = writer = None
    for request, beacon in requests:
        for attempt in range(3):
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if length and int(length.group(1)):
                    await reader.readexactly(int(length.group(1)))
                outcome.answered[status] += 1
                if status == 204 and beacon is not None and beacon.counts:
                    outcome.acknowledged[beacon.article] += 1
                break
            except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
                # The server went away (kill -9): this request is unanswered.
                if writer is not None:
                    writer.close()
                reader = writer = None
                outcome.answered["no answer"] += 1 if attempt == 2 else 0
                await asyncio.sleep(0.2)
        outcome.sent += 1
    if writer is not None:
        writer.close()


def send(port: int, requests: list, concurrency: int) -> Outcome:
    outcome = Outcome()
    lanes = [requests[n::concurrency] for n in range(concurrency)]

    async def main():
        await asyncio.gather(*(_connection(port, lane, outcome) for lane in lanes))

    start = time.perf_counter()
    asyncio.run(main())
    outcome.seconds = time.perf_counter() - start
    return outcome


# As the TLS-terminating proxy in front sends them (production settings
# redirect plain HTTP to HTTPS, and read the reader's address from X-Real-IP).
PROXIED = "Host: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"


def beacon_request(beacon: Beacon) -> bytes:
    return (
        f"POST /api/views/{beacon.article} HTTP/1.1\r\n{PROXIED}"
        f"User-Agent: {beacon.agent}\r\nX-Real-IP: {beacon.address}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


HEALTH = f"GET /api/health HTTP/1.1\r\n{PROXIED}User-Agent: bench\r\n\r\n".encode()


# ------------------------------------------------------------------ the server


class Site:
    """A fresh database with ARTICLES articles, gunicorn and the worker."""

    def __init__(self, redis_url: str | None, workers: int, threads: int):
        self.dir = Path(tempfile.mkdtemp(prefix="toasoan-views-bench-"))
        self.port = _free_port()
        self.workers, self.threads = workers, threads
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "toasoan.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{self.dir / 'db.sqlite3'}",
            "TOASOAN_DATA_DIR": str(self.dir),
            "TOASOAN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "PYTHONPATH": str(PROJECT_DIR),
        }
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        self.server = self.worker = None
        self._django(["migrate", "--noinput"])
        self._django(["shell", "-c", _MAKE_ARTICLES])

    def _django(self, args, capture=True):
        return subprocess.run(
            [PYTHON, "-m", "toasoan", *args],
            env=self.env,
            cwd=PROJECT_DIR,
            check=True,
            capture_output=capture,
            text=True,
        )

    def start(self):
        self.server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"), "toasoan.wsgi:application",
                "-b", f"127.0.0.1:{self.port}", "--worker-class", "gthread",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning",
            ],
            env=self.env, cwd=PROJECT_DIR, start_new_session=True,
        )  # fmt: skip
        if self.worker is None:
            self.worker = subprocess.Popen(
                [PYTHON, "-m", "toasoan", "worker", "--interval", "1"],
                env=self.env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill_9(self):
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(10)

    def totals(self) -> dict[int, int]:
        out = self._django(["shell", "-c", _PRINT_TOTALS]).stdout
        pairs = re.findall(r"(?m)^(\d+) (\d+)$", out)
        return {int(article): int(views) for article, views in pairs}

    def settled_totals(self, expected: int, timeout: float = 60) -> dict[int, int]:
        """Totals once the worker has added everything (or the time is up)."""
        deadline = time.time() + timeout
        last, stable = None, 0
        while time.time() < deadline:
            totals = self.totals()
            total = sum(totals.values())
            stable = stable + 1 if total == last else 0
            if total >= expected and stable >= 2:
                return totals
            last = total
            time.sleep(1.5)
        return self.totals()

    def stop(self):
        for process in (self.server, self.worker):
            if process and process.poll() is None:
                try:
                    os.killpg(
                        process.pid, signal.SIGTERM
                    ) if process is self.server else process.terminate()
                    process.wait(15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    process.kill()
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


_MAKE_ARTICLES = f"""
from django.utils import timezone
from wagtail.models import Locale
from toasoan.news.models import Article, HomePage, SectionPage
home = HomePage.objects.get(locale=Locale.get_default())  # not the English one
section = SectionPage(title="Tin tức", slug="tin-tuc")
home.add_child(instance=section)
now = timezone.now()
Article.objects.bulk_create([
    Article(title=f"Bài {{n}}", slug=f"bai-{{n}}", section=section, live=True,
            locale=Locale.get_default(), published_at=now, first_published_at=now)
    for n in range(1, {ARTICLES} + 1)
])
"""
_PRINT_TOTALS = """
from toasoan.news.models import Article
for pk, n in Article.objects.values_list("pk", "view_count"):
    print(pk, n)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------ the runs


@dataclass
class ModeResult:
    mode: str
    server: str
    beacons: Outcome
    health: Outcome
    expected: int
    counted: int
    lost: int
    doubled: int
    kill: dict = field(default_factory=dict)


def exact_run(mode, redis_url, beacons, concurrency, seed) -> ModeResult:
    workers, threads = (2, 8) if redis_url else (1, 16)
    site = Site(redis_url, workers, threads)
    try:
        site.start()
        mix = plan(beacons, seed, reloads=True)
        expected = Counter(b.article for b in mix if b.counts)
        health = send(site.port, [(HEALTH, None)] * beacons, concurrency)
        outcome = send(site.port, [(beacon_request(b), b) for b in mix], concurrency)
        totals = site.settled_totals(sum(expected.values()))
        lost = sum(max(0, expected[a] - totals.get(a, 0)) for a in expected)
        doubled = sum(max(0, totals.get(a, 0) - expected[a]) for a in totals)
        return ModeResult(
            mode, f"gunicorn gthread, {workers} × {threads}", outcome, health,
            sum(expected.values()), sum(totals.values()), lost, doubled,
        )  # fmt: skip
    finally:
        site.stop()


def kill_run(redis_url, beacons, concurrency, seed) -> dict:
    """Every beacon a new reader; the server is killed half-way and restarted."""
    workers, threads = (2, 8) if redis_url else (1, 16)
    site = Site(redis_url, workers, threads)
    try:
        site.start()
        mix = plan(beacons, seed + 1, reloads=False)
        half = len(mix) // 2
        first = send(
            site.port, [(beacon_request(b), b) for b in mix[:half]], concurrency
        )
        # Kill while a burst is in flight.
        burst = [(beacon_request(b), b) for b in mix[half : half + 2_000]]
        import threading

        timer = threading.Timer(0.3, site.kill_9)
        timer.start()
        during = send(site.port, burst, concurrency)
        timer.join()
        site.start()
        rest = send(
            site.port,
            [(beacon_request(b), b) for b in mix[half + 2_000 :]],
            concurrency,
        )
        acknowledged = first.acknowledged + during.acknowledged + rest.acknowledged
        sent = Counter(b.article for b in mix if b.counts)
        totals = site.settled_totals(sum(acknowledged.values()))
        lost = sum(max(0, acknowledged[a] - totals.get(a, 0)) for a in sent)
        beyond = sum(max(0, totals.get(a, 0) - sent[a]) for a in totals)
        return {
            "acknowledged": sum(acknowledged.values()),
            "counted": sum(totals.values()),
            "lost": lost,
            "doubled": beyond,
            "unanswered": during.answered["no answer"],
        }
    finally:
        site.stop()


# ------------------------------------------------------------------ the report


def render(results: list[ModeResult], args, started: float) -> str:
    lines = [
        f"Beacons: {args.beacons:,} per mode from {args.concurrency} keep-alive "
        f"clients, {ARTICLES} articles, readers spread over {ADDRESSES:,} addresses, "
        f"{ROBOT_SHARE:.0%} robots, a third of readers reload once or twice. "
        "Ceiling: the same server answering `GET /api/health` as many times.",
        "",
        "| mode | server | beacons/s | /api/health/s | ratio | expected views "
        "| counted | lost | doubled |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.mode} | {r.server} | {r.beacons.rate:,.0f} | {r.health.rate:,.0f} "
            f"| {r.beacons.rate / r.health.rate:.2f} | {r.expected:,} | {r.counted:,} "
            f"| {r.lost:,} | {r.doubled:,} |"
        )
    lines += ["", "`kill -9` of the server mid-load (each beacon a new reader):", ""]
    lines += [
        "| mode | acknowledged | counted | acknowledged but lost | counted twice "
        "| unanswered at the kill |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        k = r.kill
        lines.append(
            f"| {r.mode} | {k['acknowledged']:,} | {k['counted']:,} | {k['lost']:,} "
            f"| {k['doubled']:,} | {k['unanswered']:,} |"
        )
    statuses = "; ".join(
        f"{r.mode}: "
        + ", ".join(
            f"{s} × {n:,}" for s, n in sorted(r.beacons.answered.items(), key=str)
        )
        for r in results
    )
    lines += [
        "",
        f"Answers: {statuses}.",
        "",
        "Machine:",
        "",
        f"- date: {datetime.now().astimezone():%Y-%m-%d %H:%M %z}",
        f"- CPUs (nproc): {os.cpu_count()}",
        f"- Python: {platform.python_version()}",
        f"- load average (1 min) at the end: {os.getloadavg()[0]:.2f}",
        f"- wall time: {time.perf_counter() - started:.0f} s",
        f"- command: `python bench/views.py {' '.join(sys.argv[1:])}`",
    ]
    return "\n".join(lines)


def write_results(report: str) -> None:
    start, end = "<!-- results:views -->", "<!-- /results:views -->"
    section = f"{start}\n## Reader views (`bench/views.py`)\n\n{report}\n{end}"
    text = (
        RESULTS_FILE.read_text() if RESULTS_FILE.exists() else "# Benchmark results\n"
    )
    if start in text:
        text = re.sub(
            re.escape(start) + ".*?" + re.escape(end),
            lambda _: section,
            text,
            flags=re.S,
        )
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS_FILE.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beacons", type=int, default=200_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_BENCH_URL", "redis://127.0.0.1:6379/14"),
        help="Redis for the Redis-mode run (its database is emptied); '' skips it",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.beacons < 5_000:
        parser.error("--beacons must be at least 5,000")
    started = time.perf_counter()
    results = []
    for mode, url in (("embedded (files)", None), ("Redis", args.redis_url or None)):
        if mode == "Redis" and not url:
            continue
        print(f"{mode}: exact run…", file=sys.stderr, flush=True)
        result = exact_run(mode, url, args.beacons, args.concurrency, args.seed)
        print(f"{mode}: kill -9 run…", file=sys.stderr, flush=True)
        result.kill = kill_run(
            url, min(args.beacons, 50_000), args.concurrency, args.seed
        )
        results.append(result)
    report = render(results, args, started)
    print(report)
    if args.write:
        write_results(report)


if __name__ == "__main__":
    main()
