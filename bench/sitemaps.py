"""How do our sitemaps hold up at 1,000,000 articles, next to Django's own framework?

This benchmark builds a fresh site with N published articles (1,000,000 by default,
bulk inserts) and produces each sitemap two ways, side by side in one run:

- ours (``toasoan.sitemaps``): ``/sitemap.xml``, ``/sitemaps/articles-<n>.xml``
  (streamed, split by id range) and ``/sitemaps/news.xml``, through our views;
- Django's (``django.contrib.sitemaps``), the baseline: a ``GenericSitemap`` of the
  same published articles, 50,000 a page, through its ``index`` and ``sitemap``
  views and their templates.

For the index, the first article file, the last one (where Django needs a deep
OFFSET) and our news sitemap it reports the wall time (median of 3 after a warm-up),
the time to the first ``<url>`` of a streamed file, the URLs and bytes written, the
peak Python memory while writing (tracemalloc), the SQL statements, and whether the
output validates against the sitemaps.org schemas.

    .venv/bin/python bench/sitemaps.py --articles 120000     # fresh SQLite file
    .venv/bin/python bench/sitemaps.py --write
    .venv/bin/python bench/sitemaps.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_sitemaps_bench

Everything lives in a temporary directory (and, with ``--database-url``, in a
PostgreSQL database this script creates and drops) unless ``--keep`` is given.
``--write`` puts the results for the engine and archive size into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import ModuleType

# bench/ is on sys.path when this file runs as a script.
from large_section import (
    ENGINE_NAMES,
    add_section,
    generate_articles,
    log,
    machine_info,
    phase,
    replace_results_block,
    run_in_scratch_database,
    settle_database,
    shorten_sql,
)

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
SCHEMAS_DIR = PROJECT_DIR.parent / "shared" / "schemas"
sys.path.insert(0, str(PROJECT_DIR))

BATCH_SIZE = 5_000
REPEAT = 3  # timed runs of each sitemap, after one warm-up
HOST = "localhost"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class Output:
    """What one sitemap request wrote, and how long it took."""

    seconds: float
    first_url: float | None  # streamed responses only: until a chunk with a <url>
    size: int
    body: bytes | None  # kept when asked for
    peak_before_stream: int | None = None  # traced and streamed only


@dataclass
class Producer:
    """One sitemap made one way: how to ask for it, and what was measured."""

    sitemap: str
    who: str
    request: Callable[[], object]
    schema: str  # a file in SCHEMAS_DIR
    wall_ms: list[float] = field(default_factory=list)
    first_url_ms: list[float] = field(default_factory=list)
    streamed: bool = False
    urls: int = 0
    size: int = 0
    peak: int = 0
    stream_peak: int | None = None  # from the first chunk on
    sql: int = 0
    longest_sql: int = 0  # characters
    longest_sql_text: str = ""
    valid: str = ""
    locations: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL; the script creates and drops that database "
        "(default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument(
        "--write", action="store_true", help="put the results into bench/RESULTS.md"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the data directory (and database) and print where they are",
    )
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    return args


def setup_django(data_dir: Path, database_url: str) -> None:
    """Dev settings on a fresh database, migrated, as large_section.setup_django
    does; DEBUG off so that Django keeps no SQL log and templates render as in
    production.

    The project does not install ``django.contrib.sitemaps``, and cannot under its
    own label (ours is "sitemaps" too), so its templates folder is added to the
    template engine's DIRS for this run: its views find "sitemap.xml" and
    "sitemap_index.xml" as they would with the app installed.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "toasoan.settings.dev"
    os.environ["TOASOAN_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url
    import django
    import django.contrib.sitemaps
    from django.conf import settings
    from django.core.management import call_command

    templates = Path(django.contrib.sitemaps.__file__).parent / "templates"
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], templates]}
        for engine in settings.TEMPLATES
    ]
    django.setup()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def build_articles(count: int) -> None:
    """``count`` published articles in one section, ``BATCH_SIZE`` at a time (no
    bylines, images or videos: a sitemap lists none of them here)."""
    from django.db import transaction

    from toasoan.news.models import Article, HomePage

    section = add_section(HomePage.objects.get(), "Thời sự", "thoi-su")
    articles = generate_articles(section, count, seed=1)
    done, started = 0, time.perf_counter()
    while batch := list(islice(articles, BATCH_SIZE)):
        with transaction.atomic():
            Article.objects.bulk_create(batch)
        done += len(batch)
        if done % 50_000 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            log(f"    {done:,} / {count:,} articles ({rate:,.0f}/s)")


# ------------------------------------------------------------- the two sitemaps


def django_sitemaps() -> dict[str, type]:
    """The baseline: Django's framework used as its documentation shows, over the
    same articles our sitemaps list."""
    from django.contrib.sitemaps import GenericSitemap

    from toasoan.news.models import Article

    class ArticleSitemap(GenericSitemap):
        """Published articles in id order, their last change as lastmod. The
        locale is joined because ``get_absolute_url`` reads its language; the
        queryset is made per request (the views instantiate a class they are
        given), so that "published" means published now."""

        limit = 50_000

        def __init__(self):
            queryset = Article.objects.published().select_related("locale")
            super().__init__(
                {"queryset": queryset.order_by("pk"), "date_field": "updated_at"}
            )

    return {"articles": ArticleSitemap}


def bench_urlconf(sitemaps: dict[str, type]) -> ModuleType:
    """The project's URLs plus Django's sitemap views under /django/ (its index
    view reverses the sitemap view's URL, so that must be routed)."""
    from django.contrib.sitemaps import views
    from django.urls import path

    from toasoan import urls

    module = ModuleType("sitemaps_bench_urls")
    module.urlpatterns = [
        path("django/sitemap.xml", views.index, {"sitemaps": sitemaps}),
        path(
            "django/sitemap-<section>.xml",
            views.sitemap,
            {"sitemaps": sitemaps},
            name="django.contrib.sitemaps.views.sitemap",
        ),
        *urls.urlpatterns,
    ]
    return module


def producers() -> list[list[Producer]]:
    """Pairs (ours, Django's) of the same sitemap, and our news sitemap alone.

    Both sides are their views called with a request from RequestFactory: no
    middleware, no HTTP, the same work a server would do.
    """
    from django.contrib.sitemaps import views as django_views
    from django.test import RequestFactory
    from django.urls import set_urlconf

    from toasoan.sitemaps import services, views

    sitemaps = django_sitemaps()
    urlconf = bench_urlconf(sitemaps)
    factory = RequestFactory(HTTP_HOST=HOST)

    def get(path: str, query: dict | None = None):
        # As Django's request handler does; closing a response resets it.
        set_urlconf(urlconf)
        return factory.get(path, query or {})

    numbers = services.article_sitemap_numbers()
    first, last = numbers[0], numbers[-1]
    pages = sitemaps["articles"]().paginator.num_pages

    def ours(name: str) -> Callable[[], object]:
        return lambda: views.sitemap_file(get(f"/sitemaps/{name}.xml"), name)

    def django_page(page: int) -> Callable[[], object]:
        query = {"p": page} if page > 1 else {}
        return lambda: django_views.sitemap(
            get("/django/sitemap-articles.xml", query),
            sitemaps,
            section="articles",
        )

    def ids(number: int) -> str:
        top = number * services.ARTICLES_PER_SITEMAP
        return f"ids {top - services.ARTICLES_PER_SITEMAP + 1:,}–{top:,}"

    groups = [
        [
            Producer(
                "index",
                "ours `/sitemap.xml`",
                lambda: views.sitemap_index(get("/sitemap.xml")),
                "siteindex.xsd",
            ),
            Producer(
                "index",
                "Django `views.index`",
                lambda: django_views.index(get("/django/sitemap.xml"), sitemaps),
                "siteindex.xsd",
            ),
        ],
        [
            Producer(
                "first article file",
                f"ours `articles-{first}.xml` ({ids(first)})",
                ours(f"articles-{first}"),
                "sitemap.xsd",
            ),
            Producer(
                "first article file",
                "Django `views.sitemap`, page 1",
                django_page(1),
                "sitemap.xsd",
            ),
        ],
        [
            Producer(
                "last article file",
                f"ours `articles-{last}.xml` ({ids(last)})",
                ours(f"articles-{last}"),
                "sitemap.xsd",
            ),
            Producer(
                "last article file",
                f"Django `views.sitemap`, page {pages} "
                f"(OFFSET {(pages - 1) * 50_000:,})",
                django_page(pages),
                "sitemap.xsd",
            ),
        ],
        [
            Producer(
                "news",
                "ours `news.xml`",
                ours("news"),
                "all-sitemaps.xsd",
            ),
        ],
    ]
    if last == first:  # one article file: the first is the last
        del groups[2]
    return groups


# ------------------------------------------------------------------- measurements


def produce(
    request: Callable[[], object], keep: bool = False, traced: bool = False
) -> Output:
    """Ask for a sitemap and read all of it: a streamed one chunk by chunk, as a
    server sends it, keeping nothing unless told to; Django's rendered whole.

    ``traced`` (tracemalloc running): the peak is also taken from the first chunk
    on, to tell what streaming holds from what the view did before it.
    """
    from django.template.response import SimpleTemplateResponse

    start = time.perf_counter()
    response = request()
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    first_url, size, kept, before = None, 0, [], None
    if response.streaming:
        for chunk in response.streaming_content:
            if traced and before is None:
                before = tracemalloc.get_traced_memory()[1]
                tracemalloc.reset_peak()
            if first_url is None and b"<url>" in chunk:
                first_url = time.perf_counter() - start
            size += len(chunk)
            if keep:
                kept.append(chunk)
    else:
        size = len(response.content)
        if keep:
            kept.append(response.content)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, f"HTTP {response.status_code}"
    response.close()
    return Output(
        seconds,
        first_url,
        size,
        b"".join(kept) if keep else None,
        before,
    )


def trace_memory(producer: Producer) -> None:
    """The most Python memory held at once while the sitemap is produced (and,
    streamed, while it streams)."""
    gc.collect()
    tracemalloc.start()
    try:
        output = produce(producer.request, traced=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if output.peak_before_stream is None:
        producer.peak = peak
    else:
        producer.peak = max(peak, output.peak_before_stream)
        producer.stream_peak = peak


def load_schema(name: str):
    from lxml import etree

    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS_DIR / name), parser))


def inspect(producer: Producer) -> None:
    """One more request, untimed: its SQL, and what it wrote, parsed and
    validated."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from lxml import etree

    with CaptureQueriesContext(connection) as queries:
        output = produce(producer.request, keep=True)
    producer.sql = len(queries)
    longest = max((q["sql"] for q in queries), key=len, default="")
    producer.longest_sql, producer.longest_sql_text = len(longest), longest
    producer.streamed = output.first_url is not None
    document = etree.fromstring(output.body)
    producer.urls = len(document)
    producer.locations = document.xpath("//s:loc/text()", namespaces={"s": SITEMAP_NS})
    if not SCHEMAS_DIR.is_dir():
        producer.valid = "skipped (no schemas)"
        return
    schema = load_schema(producer.schema)
    if schema.validate(document):
        producer.valid = f"yes, {producer.schema}"
    else:
        error = schema.error_log.last_error
        producer.valid = (
            f"**NO**, {producer.schema}: line {error.line}: {error.message}"
        )


def measure(groups: list[list[Producer]]) -> None:
    """Each sitemap: a warm-up, then REPEAT timed runs with ours and Django's taking
    turns (so that other load on the machine falls on both alike), then a run to
    inspect the output and its SQL, and one under tracemalloc (which slows Python
    down, so neither is timed)."""
    if not SCHEMAS_DIR.is_dir():
        log(f"  {SCHEMAS_DIR} is absent: the sitemaps are not validated")
    for group in groups:
        for attempt in range(1 + REPEAT):
            for producer in group:
                output = produce(producer.request)
                if attempt == 0:
                    continue
                producer.wall_ms.append(output.seconds * 1000)
                producer.size = output.size
                if output.first_url is not None:
                    producer.first_url_ms.append(output.first_url * 1000)
        for producer in group:
            inspect(producer)
            trace_memory(producer)
            log(
                f"  {producer.sitemap}, {producer.who}: "
                f"{statistics.median(producer.wall_ms):.0f} ms, "
                f"{producer.urls:,} URLs, peak {megabytes(producer.peak)}"
            )


# ------------------------------------------------------------------------ reports


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def times(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.2g}×"


def render_report(
    groups: list[list[Producer]],
    articles: int,
    info: dict[str, str],
    timings: dict[str, float],
    command: str,
) -> str:
    """The results as Markdown: one table, what it shows, the run, the machine."""
    lines = [
        f"{articles:,} published articles (ids 1–{articles:,}), published over ten "
        "years up to an hour ago. Both sides are their views, called in process "
        "with a RequestFactory request (no middleware, no HTTP), the whole output "
        "read. Django's: a `GenericSitemap` of `Article.objects.published()"
        '.select_related("locale").order_by("pk")`, `date_field="updated_at"`, '
        "50,000 a page, through `django.contrib.sitemaps.views.index` / `.sitemap` "
        "and their templates.",
        "",
        f"Wall time: median (min–max) in ms of {REPEAT} runs after a warm-up, ours "
        "and Django's taking turns. First `<url>`: until a streamed response gives "
        "its first chunk with a URL (one not streamed gives nothing before it is "
        "complete). Peak memory: tracemalloc's peak of Python allocations while one "
        "response is produced and read (ours chunk by chunk, kept nowhere, with the "
        "peak from the first chunk on in brackets; Django's rendered whole, as its "
        "views do), in an untimed run. Valid: lxml against the sitemaps.org schemas "
        "(`all-sitemaps.xsd` adds Google's News extension).",
        "",
        "| sitemap | made by | wall ms | first `<url>` ms | URLs | bytes "
        "| peak Python memory | SQL statements | valid |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group in groups:
        ours = group[0]
        for producer in group:
            wall = statistics.median(producer.wall_ms)
            low, high = min(producer.wall_ms), max(producer.wall_ms)
            cell = f"{wall:.1f} ({low:.1f}–{high:.1f})"
            memory = megabytes(producer.peak)
            if producer.stream_peak is not None:
                memory += f" ({megabytes(producer.stream_peak)})"
            if producer is not ours:
                cell += f", {times(wall / statistics.median(ours.wall_ms))} ours"
                memory += f", {times(producer.peak / ours.peak)} ours"
            first = (
                f"{statistics.median(producer.first_url_ms):.1f}"
                if producer.streamed
                else "not streamed"
            )
            sql = str(producer.sql)
            if producer.longest_sql >= 10_000:
                sql += f" (longest {megabytes(producer.longest_sql)})"
            lines.append(
                f"| {producer.sitemap} | {producer.who} | {cell} | {first} "
                f"| {producer.urls:,} | {producer.size:,} | {memory} | {sql} "
                f"| {producer.valid} |"
            )
    lines += ["", *observations(groups), "", "Run:", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in timings.items()]
    lines += [f"- command: `{command}`", "", "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def observations(groups: list[list[Producer]]) -> list[str]:
    """What to check in the table, worked out rather than left to the reader."""
    lines = []
    for ours, django in (g for g in groups if len(g) == 2):
        if ours.sitemap == "index":
            continue
        same = ours.locations == django.locations
        lines.append(
            f"- {ours.sitemap}: Django's page lists "
            + ("the same URLs, in the same order, as ours" if same else "OTHER URLs")
            + f" ({len(django.locations):,} and {len(ours.locations):,})."
        )
    if len(groups) == 3:
        lines.append("- One article file only: the first is also the last.")
    files = [g[0] for g in groups if g[0].sitemap.endswith("article file")]
    peaks = ", ".join(
        f"{megabytes(p.peak)} ({megabytes(p.stream_peak or 0)} from the first chunk "
        f"on) for {p.urls:,} URLs"
        for p in files
    )
    lines.append(
        f"- Our article files' peak Python memory: {peaks}. Django's grows with the "
        "URLs of a page: every article a model instance and a dict, then the whole "
        "rendered text."
    )
    for producer in (p for group in groups for p in group):
        if producer.longest_sql >= 10_000:
            lines.append(
                f"- {producer.who} sends a SQL statement of "
                f"{producer.longest_sql:,} characters: "
                f"`{shorten_sql(producer.longest_sql_text, 240)}`"
            )
    lines += [
        "- Index: ours lists the sections sitemap, every article file and the news "
        "sitemap; Django's lists the pages of its one article sitemap, with the "
        "articles' latest `updated_at` as lastmod (a query over all articles).",
        "- Articles have no featured image or video, so each `<url>` holds `<loc>` "
        "and `<lastmod>` only (ours a W3C datetime, Django's a date, hence more "
        "bytes for ours); ours would add `image:` and `video:` entries.",
    ]
    return lines


RESULTS_HEADER = "# Benchmark results\n"


def write_results(report: str, vendor: str, articles: int) -> None:
    """Replace (or append) this engine and size's section in bench/RESULTS.md."""
    title = ENGINE_NAMES.get(vendor, vendor)
    replace_results_block(
        f"sitemaps-{vendor}-{articles}",
        f"## Sitemaps, {title}, {articles:,} articles (`bench/sitemaps.py`)",
        report,
    )


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace, command: str, timings: dict[str, float]) -> None:
    from django.db import connection

    phase(timings, "build", lambda: build_articles(args.articles))
    phase(timings, "settle", settle_database)
    groups = producers()
    load_before = os.getloadavg()[0]
    phase(timings, "measure", lambda: measure(groups))
    info = machine_info()
    info["load average (1 min) before / after measuring"] = (
        f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    )
    timings["total"] = sum(timings.values())
    report = render_report(groups, args.articles, info, timings, command)
    print(report)
    if args.write:
        write_results(report, connection.vendor, args.articles)


def main() -> None:
    run_in_scratch_database("sitemaps", parse_args(), run, setup=setup_django)


if __name__ == "__main__":
    main()
