"""Lighthouse on the reader's pages, as a phone sees them.

Issue 10's page quality targets: on Lighthouse's phone profile (its default: a
mid-range phone's screen, a 4x slower CPU and a slow 4G network, simulated)
performance ≥ 95, accessibility 100, best practices ≥ 95, SEO 100; and the
article page's HTML+CSS+JS ≤ 100 KB transferred, before pictures and video.

It starts the demo (`make run`'s steps: migrate, load_demo, the worker, which
makes the seed article's video ready, and runserver, in embedded mode: SQLite,
no Redis, in a temporary folder) or measures a running site (--url), finds the
pages through the site's API and runs Lighthouse 12.2.3 (npm, under .tools/)
with Debian's chromium on:

- the home page;
- the first top-level section;
- an article with a picture (the newest one that has one);
- the seed article (legacy id 47082, the demo's article with a video).

Each page is measured --runs times (3 unless told) in a fresh browser profile;
the table shows each category's median. HTML+CSS+JS is Lighthouse's count of the
bytes transferred for the document, stylesheets and scripts: runserver does not
compress, so these are the uncompressed sizes (nginx's gzip makes them smaller).

    npm install --prefix .tools --no-save lighthouse@12.2.3   # once
    .venv/bin/python bench/lighthouse.py                     # prints the table
    .venv/bin/python bench/lighthouse.py --write             # and into RESULTS.md
    .venv/bin/python bench/lighthouse.py --url http://127.0.0.1:8000

Port 8310 (--port) for the demo it starts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# bench/ is on sys.path when this file runs as a script.
from large_section import PROJECT_DIR, log, replace_results_block

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = PROJECT_DIR / ".tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
SEED_ARTICLE = PROJECT_DIR / "toasoan" / "demo" / "seed" / "article-47082.txt"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CATEGORY_NAMES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
# Issue 10's targets: the lowest score each category may have.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
PAGE_WEIGHT_LIMIT = 100 * 1024
CODE_RESOURCES = {"Document", "Stylesheet", "Script"}
WAITING = {"pending", "processing"}  # the worker is still making the video


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site to measure (else the demo)")
    parser.add_argument("--port", type=int, default=8310, help="the demo's port")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page")
    parser.add_argument(
        "--reports", type=Path, help="keep Lighthouse's JSON reports in this folder"
    )
    parser.add_argument(
        "--write", action="store_true", help="put the results into bench/RESULTS.md"
    )
    return parser.parse_args()


# ------------------------------------------------------------------------ the demo


class Demo:
    """`make run` in a temporary folder: embedded mode (SQLite, no Redis)."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.folder = Path(tempfile.mkdtemp(prefix="toasoan-lighthouse-"))
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env["TOASOAN_DATA_DIR"] = str(self.folder)
        self.processes: list[subprocess.Popen] = []

    def manage(self, *arguments: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT_DIR,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        log(f"Demo in {self.folder}: migrate, load_demo…")
        self.manage("migrate", "--noinput")
        self.manage("load_demo", "--port", str(self.port))
        for arguments in (
            ["worker"],
            ["runserver", f"127.0.0.1:{self.port}", "--noreload"],
        ):
            with open(self.folder / f"{arguments[0]}.log", "wb") as output:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", *arguments],
                        cwd=PROJECT_DIR,
                        env=self.env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
        wait_for(lambda: get_json(self.url + "/api/v1/sections"), 60, "the demo")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)
    except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
        return None


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    raise SystemExit(f"{what}: not ready after {seconds:.0f} s")


# ----------------------------------------------------------------------- the pages


def all_articles(base: str) -> list[dict]:
    articles, url = [], base + "/api/v1/articles?limit=100"
    while url:
        page = get_json(url)
        if page is None:
            raise SystemExit(f"{url}: no JSON answer")
        articles += page["results"]
        url = page.get("next")
    return articles


def find_pages(base: str) -> list[tuple[str, str]]:
    """(name, url) of the pages to measure, found through the site's API."""
    sections = get_json(base + "/api/v1/sections") or []
    top = next((s for s in sections if s.get("parent") is None), None)
    articles = all_articles(base)
    seed_title = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0].strip()
    seed = next((a for a in articles if a["title"] == seed_title), None)
    pictured = next(
        (a for a in articles if a.get("image") and a is not seed and not a["url"]
         .removeprefix(base).startswith("/en/")),
        None,
    )  # fmt: skip
    pages = [("home page", base + "/")]
    if top:
        pages.append((f"section ({top['title']})", top["url"]))
    if pictured:
        pages.append(("article with a picture", pictured["url"]))
    if seed:
        # Its video is made by the worker: measure the page with the player.
        def video_done() -> bool:
            detail = get_json(f"{base}/api/v1/articles/{seed['id']}") or {}
            return (detail.get("video") or {}).get("status") not in WAITING

        wait_for(video_done, 300, "the seed article's video")
        pages.append(("seed article (legacy id 47082), with a video", seed["url"]))
    else:
        log(f"No article titled {seed_title!r}: the seed article is left out")
    return pages


# ---------------------------------------------------------------------- Lighthouse


def lighthouse(url: str, keep: Path | None, name: str, attempts: int = 3) -> dict:
    """One Lighthouse run (phone profile) in a fresh chromium profile. On a busy
    machine Lighthouse now and then loses the page load's trace (NO_NAVSTART,
    NO_FCP): that run is repeated, and the report says how often."""
    chromium = shutil.which("chromium")
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory(prefix="toasoan-lighthouse-") as folder:
            report = Path(folder) / "report.json"
            flags = (
                "--headless --no-sandbox --disable-gpu "
                f"--user-data-dir={folder}/profile"
            )
            done = subprocess.run(
                [
                    "node", str(LIGHTHOUSE), url, "--quiet",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--output=json", f"--output-path={report}",
                    f"--chrome-flags={flags}",
                ],
                env={**os.environ, "CHROME_PATH": chromium},
                timeout=300,
            )  # fmt: skip
            data = json.loads(report.read_text()) if report.exists() else {}
            if done.returncode == 0 and data and not data.get("runtimeError"):
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(report, keep / f"{name}.json")
                data["attempts"] = attempt
                return data
        error = (data.get("runtimeError") or {}).get("code", f"exit {done.returncode}")
        log(f"  attempt {attempt} failed ({error})")
    raise SystemExit(f"{url}: Lighthouse failed {attempts} times ({error})")


def summarise(data: dict) -> dict:
    scores = {
        key: round(data["categories"][key]["score"] * 100)
        if data["categories"][key]["score"] is not None
        else None
        for key in CATEGORIES
    }
    requests = data["audits"]["network-requests"]["details"]["items"]
    code = sum(
        item.get("transferSize", 0)
        for item in requests
        if item.get("resourceType") in CODE_RESOURCES
    )
    everything = sum(item.get("transferSize", 0) for item in requests)
    failing = []
    for key in CATEGORIES:
        for ref in data["categories"][key]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{CATEGORY_NAMES[key]}: {audit['title']}")
    return {
        "scores": scores,
        "code_bytes": code,
        "all_bytes": everything,
        "failing": failing,
        "repeated": data["attempts"] - 1,
        "lcp": data["audits"]["largest-contentful-paint"]["displayValue"],
        "tbt": data["audits"]["total-blocking-time"]["displayValue"],
        "cls": data["audits"]["cumulative-layout-shift"]["displayValue"],
    }


def measure(pages, runs: int, keep: Path | None) -> list[dict]:
    results = []
    for index, (name, url) in enumerate(pages):
        summaries = []
        for run in range(runs):
            log(f"Lighthouse {run + 1}/{runs}: {url}")
            data = lighthouse(url, keep, f"{index + 1}-{run + 1}")
            summaries.append(summarise(data))
        median = {
            key: statistics.median_low([s["scores"][key] or 0 for s in summaries])
            for key in CATEGORIES
        }
        # The run whose performance is the median: its metrics and weights.
        typical = next(
            s
            for s in summaries
            if (s["scores"]["performance"] or 0) == median["performance"]
        )
        failing = sorted({f for s in summaries for f in s["failing"]})
        results.append(
            {
                "name": name,
                "url": url,
                "median": median,
                "all": [s["scores"] for s in summaries],
                "typical": typical,
                "failing": failing,
                "repeated": sum(s["repeated"] for s in summaries),
                "version": data["lighthouseVersion"],
                "user_agent": data["environment"]["hostUserAgent"],
                "device": data["configSettings"]["formFactor"],
                "throttling": data["configSettings"]["throttlingMethod"],
            }
        )
    return results


# ---------------------------------------------------------------------- the report


def render(results: list[dict], base: str, runs: int, started: float) -> str:
    def mark(key: str, score: int) -> str:
        return (
            f"{score}"
            if score >= TARGETS[key]
            else f"**{score}** (target {TARGETS[key]})"
        )

    header = [CATEGORY_NAMES[key] for key in CATEGORIES]
    columns = " | ".join(header)
    lines = [
        f"Lighthouse {results[0]['version']}, {results[0]['device']} profile "
        f"({results[0]['throttling']} throttling: slow 4G, 4× slower CPU), Debian's "
        f"chromium, {runs} run(s) a page in a fresh profile; each score is the median "
        f"of the runs. Targets: performance ≥ 95, accessibility 100, best practices "
        f"≥ 95, SEO 100; HTML+CSS+JS ≤ 100 KB on the article page. Site: {base} "
        "(runserver: no compression, so transferred = uncompressed). All bytes: "
        "everything the page loads before any click, pictures and video included "
        "(chromium plays HLS itself, and preload=metadata fetches its first "
        "segments).",
        "",
        f"| page | {columns} | LCP / TBT / CLS | HTML+CSS+JS KB | all bytes KB |",
        "|---|" + "---|" * (len(header) + 3),
    ]
    for r in results:
        t = r["typical"]
        lines.append(
            f"| {r['name']} | "
            + " | ".join(mark(key, r["median"][key]) for key in CATEGORIES)
            + f" | {t['lcp']} / {t['tbt']} / {t['cls']}"
            + f" | {t['code_bytes'] / 1024:.1f} | {t['all_bytes'] / 1024:.1f} |"
        )
    lines += ["", "Pages:", ""]
    lines += [f"- {r['name']}: {r['url']}" for r in results]
    lines += ["", f"Every run's scores ({', '.join(header)}):", ""]
    for r in results:
        runs_text = "; ".join(
            ", ".join(str(s[key]) for key in CATEGORIES) for s in r["all"]
        )
        lines.append(f"- {r['name']}: {runs_text}")
    failing = sorted({f for r in results for f in r["failing"]})
    lines += ["", "Scored audits below full marks in some run:", ""]
    lines += [f"- {f}" for f in failing] or ["- none"]
    missed = [
        f"{r['name']}: {CATEGORY_NAMES[key]} {r['median'][key]}"
        for r in results
        for key in CATEGORIES
        if r["median"][key] < TARGETS[key]
    ] + [
        f"{r['name']}: HTML+CSS+JS {r['typical']['code_bytes']:,} bytes"
        for r in results
        if r["typical"]["code_bytes"] > PAGE_WEIGHT_LIMIT
    ]
    lines += ["", "Targets missed:", ""]
    lines += [f"- {m}" for m in missed] or ["- none"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    lines += [
        "",
        "Run:",
        "",
        f"- command: `python bench/lighthouse.py {' '.join(sys.argv[1:])}`",
        f"- time: {time.monotonic() - started:.0f} s",
        "- Lighthouse runs repeated after a lost trace (NO_NAVSTART and the like): "
        + str(sum(r["repeated"] for r in results)),
        "",
        "Machine:",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- CPUs (nproc): {len(os.sched_getaffinity(0))}",
        f"- browser: {results[0]['user_agent']}",
        f"- Node.js: {node.strip()}",
        f"- load average (1, 5, 15 min) at the end: {load}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    if shutil.which("chromium") is None:
        raise SystemExit(
            "Debian's chromium is not installed (apt-get install chromium)"
        )
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"{LIGHTHOUSE} is missing: npm install --prefix .tools --no-save "
            f"lighthouse@{LIGHTHOUSE_VERSION}"
        )
    demo = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            demo = Demo(args.port)
            demo.start()
            base = demo.url
        pages = find_pages(base)
        results = measure(pages, args.runs, args.reports)
    finally:
        if demo is not None:
            demo.stop()
    report = render(results, base, args.runs, started)
    print(report)
    if args.write:
        replace_results_block(
            "lighthouse", "## Page quality on a phone (`bench/lighthouse.py`)", report
        )


if __name__ == "__main__":
    main()
