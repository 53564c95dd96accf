"""Does a section with 500,000 articles serve, edit and import as fast as one with 50?

Articles are rows with an indexed foreign key to their section, not children in
Wagtail's page tree. This benchmark builds a site with a small section (50 articles)
and a large one (500,000 by default), then times, side by side: the section page
(first and a deep page), an article page, the SQL queries each needs, importing and
publishing articles through the importer, and the admin's article listing and edit
form. As a baseline it times stock Wagtail's page tree in the same run and database:
``parent.add_child()`` as the parent fills up, and draft + revision + publish.

    .venv/bin/python bench/large_section.py                    # fresh SQLite file
    .venv/bin/python bench/large_section.py --articles 20000 --baseline-children 300
    .venv/bin/python bench/large_section.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_bench

Everything lives in a temporary directory (and, with ``--database-url``, in a
PostgreSQL database this script creates and drops). ``--write`` puts the results
table for the database engine into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:  # Django is set up only once the database exists
    from toasoan.news.models import SectionPage

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
sys.path.insert(0, str(PROJECT_DIR))

BATCH_SIZE = 5_000
SMALL_SECTION_ARTICLES = 50
LARGE_DEEP_PAGE = 1_000
TIME_SPREAD = timedelta(days=3652)  # published_at is spread over ten years

# Built articles draw their text from these; titles get a number to stay distinct.
TITLES = [
    "Hội nghị sơ kết công tác thông tin đối ngoại",
    "Nông dân Thái Bình thu hoạch lúa vụ chiêm xuân",
    "Khánh thành cầu mới bắc qua sông Trà Lý",
    "Tỉnh đoàn phát động tháng thanh niên",
    "Học sinh giỏi quốc gia được khen thưởng",
    "Bệnh viện đa khoa tỉnh triển khai kỹ thuật mới",
    "Ra quân giải phóng mặt bằng khu công nghiệp",
    "Giải bóng đá thiếu niên nhi đồng khai mạc",
    "Hỗ trợ ngư dân vươn khơi bám biển",
    "Lễ hội đền Trần thu hút du khách thập phương",
]
SENTENCES = [
    "Sáng nay, Ban Chỉ đạo tỉnh tổ chức hội nghị sơ kết công tác 6 tháng đầu năm.",
    "Các đại biểu đã thảo luận, làm rõ những kết quả đạt được và tồn tại hạn chế.",
    "Đồng chí Phó Bí thư Thường trực Tỉnh ủy đánh giá cao sự chủ động của các ngành.",
    "Thời gian tới, các địa phương cần tăng cường ý thức trách nhiệm trong công tác.",
    "Người dân phấn khởi vì năng suất lúa vụ này đạt cao nhất trong nhiều năm.",
    "Công trình được khởi công từ đầu năm và hoàn thành vượt tiến độ hai tháng.",
]
AUTHORS = ["Cao Biền", "Thu Hà", "Minh Hương", "Quang Huy", "Thanh Tâm", "Văn Bình"]


@dataclass
class Timing:
    """Repeated wall-clock timings of one measurement, in milliseconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def __str__(self) -> str:
        return f"{self.median:.1f} / {self.p95:.1f}"


@dataclass
class RequestSQL:
    """The SQL statements of one request (captured in a request of its own)."""

    count: int
    total_ms: float
    slowest: list[tuple[float, str]]  # the two slowest: (ms, SQL)


@dataclass
class SectionResult:
    """What was measured for one section."""

    articles: int
    deep_page: int
    timings: dict[str, Timing] = field(default_factory=dict)
    import_rate: float = 0.0
    import_ms: Timing | None = None
    sql: dict[str, RequestSQL] = field(default_factory=dict)


@dataclass
class BaselineResult:
    """Stock Wagtail's page tree, measured in the same database."""

    children: int
    window: int
    first_rate: float
    last_rate: float
    overall_rate: float
    editor_pages: int
    editor_rate: float


# --------------------------------------------------------------------------- set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500_000)
    parser.add_argument("--baseline-children", type=int, default=2_000)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL; the script creates and drops that database "
        "(default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timings per request")
    parser.add_argument("--import-files", type=int, default=50)
    parser.add_argument("--editor-pages", type=int, default=50)
    parser.add_argument(
        "--write", action="store_true", help="put the results into bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.repeat < 20:
        parser.error("--repeat must be at least 20")
    if args.articles < SMALL_SECTION_ARTICLES:
        parser.error(f"--articles must be at least {SMALL_SECTION_ARTICLES}")
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    return args


def _admin_url(database_url: str) -> tuple[str, str]:
    """The bench database's name, and a URL to the server's maintenance database."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("--database-url must name a database")
    return name, urlunsplit(parts._replace(path="/postgres"))


def create_postgres_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name, admin_url = _admin_url(database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name, admin_url = _admin_url(database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def setup_django(data_dir: Path, database_url: str) -> None:
    """Dev settings on a fresh database, migrated; DEBUG off so that Django does not
    keep every SQL statement (bulk inserts would fill memory) and templates render
    as in production."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "toasoan.settings.dev"
    os.environ["TOASOAN_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------ the site


def add_section(parent, title: str, slug: str, *, in_menu: bool = True):
    from toasoan.news.models import SectionPage

    section = SectionPage(title=title, slug=slug, show_in_menus=in_menu)
    parent.add_child(instance=section)
    section.save_revision().publish()
    section.refresh_from_db()
    return section


def generate_articles(section, count: int, seed: int) -> Iterator:
    """``count`` unsaved live articles of ``section``, published over ten years."""
    from django.utils import timezone
    from wagtail.models import Locale

    from toasoan.core.vietnamese import slugify_vi
    from toasoan.news.models import Article

    rng = random.Random(seed)
    locale = Locale.get_default()
    latest = timezone.now() - timedelta(hours=1)
    spread = int(TIME_SPREAD.total_seconds())
    title_slugs = [(title, slugify_vi(title)) for title in TITLES]
    for number in range(1, count + 1):
        title, slug = rng.choice(title_slugs)
        published_at = latest - timedelta(seconds=rng.randrange(spread))
        paragraphs = rng.sample(SENTENCES, 3)
        yield Article(
            title=f"{title} ({number})",
            slug=f"{slug}-{number}",
            lead=paragraphs[0],
            body="".join(f"<p>{p}</p>" for p in paragraphs),
            section=section,
            locale=locale,
            translation_key=uuid.uuid4(),
            live=True,
            published_at=published_at,
            first_published_at=published_at,
            last_published_at=published_at,
            view_count=int(rng.paretovariate(1.2) * 50),
        )


def bulk_build(section, count: int, seed: int) -> None:
    """Insert ``count`` articles and one byline each, ``BATCH_SIZE`` at a time."""
    from django.db import transaction

    from toasoan.core.vietnamese import slugify_vi
    from toasoan.news.models import Article, Byline

    names = [(name, slugify_vi(name)) for name in AUTHORS]
    articles = generate_articles(section, count, seed)
    done = 0
    while batch := list(islice(articles, BATCH_SIZE)):
        with transaction.atomic():
            Article.objects.bulk_create(batch)
            bylines = []
            for article in batch:
                name, name_slug = names[article.pk % len(names)]
                bylines.append(
                    Byline(article_id=article.pk, name=name, name_slug=name_slug)
                )
            Byline.objects.bulk_create(bylines)
        done += len(batch)
        if done % 50_000 == 0 or done == count:
            log(f"    {section.slug}: {done:,} / {count:,} articles")


def build_site(large_count: int) -> tuple:
    """The default site's home page with a small and a large section."""
    from toasoan.news.models import HomePage

    home = HomePage.objects.get()
    small = add_section(home, "Chuyên mục nhỏ", "chuyen-muc-nho")
    large = add_section(home, "Chuyên mục lớn", "chuyen-muc-lon")
    bulk_build(small, SMALL_SECTION_ARTICLES, seed=1)
    bulk_build(large, large_count, seed=2)
    return home, small, large


def settle_database() -> None:
    """Leave the database as a live site would have it some time after a bulk load.

    PostgreSQL's autovacuum vacuums and analyzes the new rows (without the
    visibility map, counts cannot use index-only scans), so do that here. SQLite
    keeps no statistics unless told to (Django never runs ``ANALYZE``): leave it.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# ------------------------------------------------------------------- measurements


def time_round_robin(
    client, requests: list[tuple[str, str | None]], repeat: int
) -> list[Timing]:
    """GET each (url, text expected in the page) ``repeat`` times, taking turns so
    that other load on the machine falls on all of them alike, after two warm-up
    rounds. Every response must be 200."""
    samples: list[list[float]] = [[] for _ in requests]
    for attempt in range(repeat + 2):
        for (url, expect), times in zip(requests, samples, strict=True):
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
            if expect is not None and attempt == 0:
                body = response.content.decode()
                assert expect in body, f"{url}: {expect!r} not in the page"
            if attempt >= 2:
                times.append(elapsed)
    return [Timing(times) for times in samples]


def capture_sql(client, url: str) -> RequestSQL:
    """The SQL statements one GET of ``url`` runs: how many, how long, the slowest.

    Django times only ``execute()``, but SQLite does most of a query's work while
    rows are fetched; so each SELECT is run again here and timed to its last row.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    timed = sorted(
        ((replay_ms(q["sql"], float(q["time"])), q["sql"]) for q in captured),
        key=lambda pair: pair[0],
        reverse=True,
    )
    return RequestSQL(len(timed), sum(ms for ms, _ in timed), timed[:2])


def replay_ms(sql: str, recorded_seconds: float) -> float:
    """How long a captured SELECT takes, all rows fetched; others as recorded."""
    from django.db import DatabaseError, connection, transaction

    if not sql.lstrip().upper().startswith("SELECT"):
        return recorded_seconds * 1000
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            return (time.perf_counter() - start) * 1000
    except DatabaseError:
        return recorded_seconds * 1000


def sample_article(section, count: int):
    """An article from the middle of the section (by id)."""
    from toasoan.news.models import Article

    pk = (
        Article.objects.filter(section=section)
        .order_by("pk")
        .values_list("pk", flat=True)[count // 2]
    )
    return Article.objects.get(pk=pk)


Requests = dict[str, tuple[str, str | None]]  # label: (url, text expected)


def reader_requests(result: SectionResult, section) -> Requests:
    url = section.url
    article = sample_article(section, result.articles)
    return {
        "section page": (url, "Trang 1 / "),
        "deep page": (
            f"{url}?page={result.deep_page}",
            f"Trang {result.deep_page} / ",
        ),
        "article page": (article.get_absolute_url(), "article__title"),
    }


def admin_requests(result: SectionResult, section) -> Requests:
    from django.urls import reverse

    article = sample_article(section, result.articles)
    listing = reverse("wagtailsnippets_news_article:list")
    edit = reverse("wagtailsnippets_news_article:edit", args=[article.pk])
    return {
        "admin listing": (f"{listing}?section={section.pk}", None),
        "admin edit form": (edit, article.title),
    }


def measure_side_by_side(
    client, cases: list[tuple[SectionResult, Requests]], repeat: int
) -> None:
    """Time each kind of request for every section in turn, then capture its SQL."""
    for label in cases[0][1]:
        requests = [urls[label] for _, urls in cases]
        timings = time_round_robin(client, requests, repeat)
        for (result, urls), timing in zip(cases, timings, strict=True):
            result.timings[label] = timing
            result.sql[label] = capture_sql(client, urls[label][0])


def write_seed_files(folder: Path, first: int, count: int) -> list[Path]:
    """``count`` small seed-format files, ``bench-<n>.txt`` with n from ``first``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, first + count):
        minute, second = divmod(number % 3600, 60)
        path = folder / f"bench-{number}.txt"
        path.write_text(
            f"Bản tin nhập thử số {number}\n\n"
            f"Thứ 2, 22.07.2019 | 08:{minute:02d}:{second:02d}\n\n"
            f"{SENTENCES[number % len(SENTENCES)]} {SENTENCES[0]}\n\n"
            f"{AUTHORS[number % len(AUTHORS)]}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def measure_imports(
    cases: list[tuple[SectionResult, SectionPage, list[Path]]],
) -> None:
    """Import and publish the files the importer's way, one section's file after
    the other's; every file must add a new article to its section."""
    from toasoan.importers.services import import_text_article
    from toasoan.news.models import Article

    samples: list[list[float]] = [[] for _ in cases]
    for index in range(len(cases[0][2])):
        for (_, section, paths), times in zip(cases, samples, strict=True):
            start = time.perf_counter()
            outcome = import_text_article(paths[index], section)
            times.append((time.perf_counter() - start) * 1000)
            assert outcome.created, f"{paths[index].name} updated an article"
            article = Article.objects.get(pk=outcome.article.pk)
            assert article.section_id == section.pk and article.live_revision_id
    for (result, _, _), times in zip(cases, samples, strict=True):
        result.import_ms = Timing(times)
        result.import_rate = len(times) / (sum(times) / 1000)


def run_baseline(home, children: int, editor_pages: int) -> BaselineResult:
    """Stock Wagtail: ``add_child`` one page at a time under one parent, then the
    editor path (draft, revision, publish). Wagtail's search index is updated on
    each save, as it is out of the box."""
    from toasoan.news.models import SectionPage

    parent = add_section(home, "Cây trang Wagtail", "cay-trang", in_menu=False)
    samples = []
    for number in range(1, children + 1):
        page = SectionPage(title=f"Trang con {number}", slug=f"trang-con-{number}")
        start = time.perf_counter()
        parent.add_child(instance=page)
        samples.append(time.perf_counter() - start)
        if number % 500 == 0:
            log(f"    add_child: {number:,} / {children:,}")
    window = min(200, children // 2)
    editor = []
    for number in range(1, editor_pages + 1):
        page = SectionPage(
            title=f"Bản nháp {number}", slug=f"ban-nhap-{number}", live=False
        )
        start = time.perf_counter()
        parent.add_child(instance=page)
        page.save_revision().publish()
        editor.append(time.perf_counter() - start)
    return BaselineResult(
        children=children,
        window=window,
        first_rate=window / sum(samples[:window]),
        last_rate=window / sum(samples[-window:]),
        overall_rate=children / sum(samples),
        editor_pages=editor_pages,
        editor_rate=editor_pages / sum(editor),
    )


# ------------------------------------------------------------------------ reports


def machine_info() -> dict[str, str]:
    import django
    import wagtail
    from django.db import connection

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            engine = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": cpu,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "Wagtail": wagtail.__version__,
        "database": engine,
    }


def render_report(
    small: SectionResult,
    large: SectionResult,
    baseline: BaselineResult,
    info: dict[str, str],
    timings: dict[str, float],
    command: str,
) -> str:
    """The results as Markdown: one table, the slowest SQL, the run, the machine."""

    def row(label: str, a: object = "", b: object = "", c: object = "") -> str:
        return f"| {label} | {a} | {b} | {c} |"

    def both(label: str) -> tuple[Timing, Timing]:
        return small.timings[label], large.timings[label]

    def importer(result: SectionResult) -> str:
        return f"{result.import_rate:.1f} articles/s ({result.import_ms})"

    base = baseline
    repeat = len(small.timings["section page"].samples)
    lines = [
        f"Times are median / p95 in ms over {repeat} "
        "requests (django.test.Client, in process). SQL times: each SELECT of one "
        "request run again on its own, all rows fetched.",
        "",
        f"| measurement | small section ({small.articles:,} articles) "
        f"| large section ({large.articles:,} articles) "
        "| stock Wagtail page tree (baseline) |",
        "|---|---|---|---|",
        row("section page 1, ms", *both("section page")),
        row(
            f"deep page (page {small.deep_page} / page {large.deep_page}), ms",
            *both("deep page"),
        ),
        row("article page, ms", *both("article page")),
        row(
            "admin article listing, filtered by section, ms",
            *both("admin listing"),
        ),
        row("admin article edit form, ms", *both("admin edit form")),
    ]
    for label, sql in large.sql.items():
        other = small.sql[label]
        same = " (same count)" if other.count == sql.count else " (COUNTS DIFFER)"
        lines.append(
            row(
                f"SQL statements / total SQL ms: {label}"
                + (same if label in ("section page", "article page") else ""),
                f"{other.count} / {other.total_ms:.0f}",
                f"{sql.count} / {sql.total_ms:.0f}",
            )
        )
    lines += [
        row(
            "create + publish: importer, articles/s (median / p95 ms each); "
            "stock: `add_child` as draft + `save_revision()` + `publish()`",
            importer(small),
            importer(large),
            f"{base.editor_rate:.1f} pages/s ({base.editor_pages} pages, parent "
            f"holding {base.children:,}+)",
        ),
        row(
            f"stock `add_child`, first {base.window} children",
            c=(f"{base.first_rate:.1f} pages/s"),
        ),
        row(
            f"stock `add_child`, last {base.window} (up to {base.children:,})",
            c=(f"{base.last_rate:.1f} pages/s"),
        ),
        row(
            f"stock `add_child`, all {base.children:,}",
            c=(f"{base.overall_rate:.1f} pages/s"),
        ),
        "",
        "Slowest SQL statements of one request, large section:",
        "",
    ]
    for label, sql in large.sql.items():
        for ms, statement in sql.slowest:
            lines.append(f"- {label}, {ms:.0f} ms: `{shorten_sql(statement)}`")
    lines += ["", "Run:", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in timings.items()]
    lines += [f"- command: `{command}`", "", "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def shorten_sql(sql: str, limit: int = 300) -> str:
    """One line, without the column list and quotes, at most ``limit`` characters."""
    sql = re.sub(r"\s+", " ", sql).replace('"', "")
    sql = re.sub(r"^SELECT (?:DISTINCT )?.+? FROM ", "SELECT … FROM ", sql)
    sql = re.sub(
        r" (?:INNER|LEFT OUTER) JOIN .+? (?=WHERE |ORDER BY )", " JOIN … ", sql
    )
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


RESULTS_HEADER = """\
# Large-section benchmark

`bench/large_section.py` checks a design claim: because articles are rows with an
indexed foreign key to their section (not children in Wagtail's page tree), a
section with 500,000 articles serves, edits and imports as fast as one with 50.

It builds a fresh site (bulk inserts, not the editor path) with a small section of
50 articles and a large one of 500,000, then times reader pages, SQL query counts,
the importer (`import_text_article`: parse, save, revision, publish) and the admin
for both. In the same run and database it times stock Wagtail's page tree as the
baseline: `parent.add_child(instance=page)` as the parent fills up, and draft +
`save_revision()` + `publish()`.

- Requests go through `django.test.Client` in process (no web server), with
  `toasoan.settings.dev` but `DEBUG = False`; small and large section take turns,
  so load from other processes on the machine falls on both alike.
- "SQL ms" runs each SELECT of one request again on its own, to its last row
  (Django times only `execute()`, and SQLite does most of its work while fetching).
- PostgreSQL gets `VACUUM ANALYZE` after the bulk load, as autovacuum would;
  SQLite is left without statistics, as Django leaves it.
- Bulk-built articles have no revisions and are not in the site's search index;
  only the imported ones are.

    .venv/bin/python bench/large_section.py --write
    .venv/bin/python bench/large_section.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_bench

Each run replaces the section for its database engine below.
"""


ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def replace_results_block(key: str, heading: str, report: str) -> None:
    """Replace (or add) the ``<!-- results:key -->`` section of bench/RESULTS.md;
    every benchmark writes its results through this."""
    begin, end = f"<!-- results:{key} -->", f"<!-- /results:{key} -->"
    block = f"{begin}\n{heading}\n\n{report}{end}\n"
    text = RESULTS_FILE.read_text() if RESULTS_FILE.exists() else RESULTS_HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS_FILE.write_text(text)
    log(f"Wrote {RESULTS_FILE} ({key})")


def write_results(report: str, vendor: str) -> None:
    """Replace (or add) this engine's section in bench/RESULTS.md."""
    replace_results_block(vendor, f"## {ENGINE_NAMES.get(vendor, vendor)}", report)


def run_in_scratch_database(name: str, args, run, setup=None) -> None:
    """Set Django up on a database made for this run (SQLite in a temporary
    folder, or the PostgreSQL database --database-url names), call
    ``run(args, command, timings)``, and clean up after, even when stopped with
    kill or ^C; --keep keeps the data for a look afterwards. ``setup`` replaces
    setup_django for a benchmark that needs more of Django."""
    command = f"python bench/{name}.py " + " ".join(sys.argv[1:])
    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix=f"toasoan-{name}-bench-"))
    database_url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    timings: dict[str, float] = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        if args.database_url:
            create_postgres_database(args.database_url)
        prepare = setup or setup_django
        phase(timings, "migrate", lambda: prepare(data_dir, database_url))
        run(args, command, timings)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            log(f"Kept: {database_url} (data directory {data_dir})")
        else:
            if args.database_url:
                drop_postgres_database(args.database_url)
            shutil.rmtree(data_dir, ignore_errors=True)
        log(f"Wall time: {time.perf_counter() - started:.0f} s")


# --------------------------------------------------------------------------- main


def phase(timings: dict[str, float], name: str, action: Callable[[], object]):
    log(f"{name}…")
    start = time.perf_counter()
    value = action()
    timings[name] = time.perf_counter() - start
    log(f"  {name}: {timings[name]:.1f} s")
    return value


def run(
    args: argparse.Namespace, data_dir: Path, command: str, timings: dict[str, float]
) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    home, small, large = phase(timings, "build", lambda: build_site(args.articles))
    phase(timings, "vacuum", settle_database)

    per_page = settings.ARTICLES_PER_PAGE
    results = {
        small.pk: SectionResult(
            SMALL_SECTION_ARTICLES,
            deep_page=math.ceil(SMALL_SECTION_ARTICLES / per_page),
        ),
        large.pk: SectionResult(
            args.articles,
            deep_page=min(LARGE_DEEP_PAGE, math.ceil(args.articles / per_page)),
        ),
    }
    reader, editor = Client(), Client()
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "-")
    editor.force_login(user)

    def measure_everything() -> None:
        sections = [(results[s.pk], s) for s in (small, large)]
        readers = [(r, reader_requests(r, s)) for r, s in sections]
        measure_side_by_side(reader, readers, args.repeat)
        admins = [(r, admin_requests(r, s)) for r, s in sections]
        measure_side_by_side(editor, admins, args.repeat)
        imports = []
        for number, (result, section) in enumerate(sections):
            folder = data_dir / "import" / section.slug
            first = 1 + number * args.import_files
            files = write_seed_files(folder, first, args.import_files)
            imports.append((result, section, files))
        measure_imports(imports)

    phase(timings, "measure sections", measure_everything)
    baseline = phase(
        timings,
        "baseline",
        lambda: run_baseline(home, args.baseline_children, args.editor_pages),
    )
    timings["total"] = sum(timings.values())
    report = render_report(
        results[small.pk],
        results[large.pk],
        baseline,
        machine_info(),
        timings,
        command,
    )
    print(report)
    if args.write:
        write_results(report, connection.vendor)


def main() -> None:
    args = parse_args()
    command = "python bench/large_section.py " + " ".join(sys.argv[1:])
    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="toasoan-bench-"))
    database_url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    timings: dict[str, float] = {}
    try:
        if args.database_url:
            create_postgres_database(args.database_url)
        phase(timings, "migrate", lambda: setup_django(data_dir, database_url))
        run(args, data_dir, command, timings)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.database_url:
            drop_postgres_database(args.database_url)
        shutil.rmtree(data_dir, ignore_errors=True)
        log(f"Wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
