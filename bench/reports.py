"""How long does the period review ("báo cáo sơ kết", issue 8) take over 1,000,000
articles and their hourly view rows?

The issue's target: a six-month report over 1,000,000 articles "in well under a
minute on this machine". This benchmark builds a fresh archive (bulk inserts):
articles published over ten years up to now in a dozen sections (some nested), in
Vietnamese and some English, about 30% with a video from a shared pool, a few
corrected or withdrawn, with bylines and keywords, and hourly view rows for every
article of the last two years in its first days. Then it times, as a median of 3
runs after a warm-up:

- ``build_report(period)`` for the last six months that have ended (the issue's
  case), the last quarter and the last year that have ended;
- ``summarize(period)`` alone, the headline figures built again for the two periods
  each report is compared with;
- ``render_report(report, format, press, today)`` for JSON, CSV and DOCX (two PNG
  charts) of the six-month report;

with the SQL statements each runs and the slowest of them, and checks that each
report's figures agree with each other and with what was built.

    .venv/bin/python bench/reports.py --articles 50000       # fresh SQLite file
    .venv/bin/python bench/reports.py --write
    .venv/bin/python bench/reports.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_reports_bench

Everything lives in a temporary directory (and, with ``--database-url``, in a
PostgreSQL database this script creates and drops) unless ``--keep`` is given.
``--write`` puts the results for the engine and archive size into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import statistics
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, islice
from pathlib import Path
from typing import TYPE_CHECKING

# bench/ is on sys.path when this file runs as a script.
from large_section import (
    ENGINE_NAMES,
    add_section,
    generate_articles,
    log,
    machine_info,
    phase,
    replace_results_block,
    replay_ms,
    run_in_scratch_database,
    settle_database,
    shorten_sql,
)
from sitemaps import megabytes

if TYPE_CHECKING:  # Django is set up only once the database exists
    from toasoan.reports.periods import Period
    from toasoan.reports.services import Report

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
sys.path.insert(0, str(PROJECT_DIR))

SEED = 8  # issue 8
BATCH_SIZE = 5_000
REPEAT = 3  # timed runs of each measurement, after one warm-up
TARGET_SECONDS = 60  # the "well under a minute", for a whole report

# What the archive holds, roughly as a provincial paper's would.
ENGLISH_RATE = 0.03
VIDEO_RATE = 0.30
CORRECTION_RATE = 0.01
WITHDRAWN_RATE = 0.002
SECOND_BYLINE_RATE = 0.3  # ~1.3 bylines an article
KEYWORDS_PER_ARTICLE = (2, 3, 3, 4)  # drawn from, ~3 an article
VIDEO_POOL = 3_000
KEYWORD_POOL = 2_000  # TOPICS × PLACES
VIEW_SPAN = timedelta(days=730)  # articles this recent have view rows
VIEW_WINDOW_HOURS = 72  # their rows fall in their first three days

# (title, slug, parent slug, weight): the share of articles each section gets.
# "Ảnh" publishes nothing: the review must list it as a silent section.
SECTIONS = [
    ("Thời sự", "thoi-su", None, 12),
    ("Trong nước", "trong-nuoc", "thoi-su", 10),
    ("Quốc tế", "quoc-te", "thoi-su", 8),
    ("Kinh tế", "kinh-te", None, 8),
    ("Nông nghiệp", "nong-nghiep", "kinh-te", 5),
    ("Văn hóa", "van-hoa", None, 6),
    ("Xã hội", "xa-hoi", None, 9),
    ("Giáo dục", "giao-duc", None, 5),
    ("Thể thao", "the-thao", None, 6),
    ("Bóng đá", "bong-da", "the-thao", 7),
    ("Pháp luật", "phap-luat", None, 6),
    ("Y tế", "y-te", None, 4),
    ("Ảnh", "anh", None, 0),
]
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
]
GIVEN_NAMES = [
    "Thu Hà", "Minh Hằng", "Quang Huy", "Thanh Tâm", "Văn Bình", "Hồng Nhung",
    "Đức Anh", "Ngọc Lan", "Mạnh Cường", "Thúy Nga", "Xuân Trường", "Phương Thảo",
    "Hải Đăng", "Kim Oanh", "Tuấn Khải", "Bích Ngọc", "Việt Dũng", "Diệu Linh",
    "Trọng Nghĩa", "Cao Biền",
]  # fmt: skip
TOPICS = [
    "Bầu cử", "Lũ lụt", "Nông thôn mới", "Giao thông", "Khởi công", "Lễ hội",
    "Học sinh giỏi", "Bệnh viện", "Giải phóng mặt bằng", "Khu công nghiệp",
    "Thu hoạch lúa", "Đầu tư", "An toàn thực phẩm", "Phòng cháy", "Du lịch",
    "Xuất khẩu", "Bóng đá", "Cải cách hành chính", "Chuyển đổi số", "Y tế cơ sở",
    "Môi trường", "Thiên tai", "Tuyển sinh", "Việc làm", "Nhà ở xã hội",
    "Ngư dân", "Hội nghị", "Khen thưởng", "Biên giới", "Văn hóa đọc",
    "Dịch bệnh", "Điện lực", "Nước sạch", "Thể thao", "Thanh niên",
    "Người cao tuổi", "Phụ nữ", "Trẻ em", "Tín dụng", "Thuế",
]  # fmt: skip
PLACES = [
    "Thái Bình", "Hà Nội", "Đà Nẵng", "Hải Phòng", "Nam Định", "Hưng Yên",
    "Ninh Bình", "Hà Nam", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Huế",
    "Quảng Nam", "Khánh Hòa", "Lâm Đồng", "Cần Thơ", "Đồng Nai", "Bình Dương",
    "Cà Mau", "Kiên Giang", "An Giang", "Lào Cai", "Yên Bái", "Sơn La",
    "Điện Biên", "Cao Bằng", "Lạng Sơn", "Bắc Ninh", "Vĩnh Phúc", "Phú Thọ",
    "Tiền Hải", "Kiến Xương", "Vũ Thư", "Đông Hưng", "Quỳnh Phụ", "Hưng Hà",
    "Thái Thụy", "TP Hồ Chí Minh", "Gia Lai", "Đắk Lắk",
    "Quảng Bình", "Quảng Trị", "Bình Định", "Phú Yên", "Ninh Thuận", "Bình Thuận",
    "Long An", "Bến Tre", "Trà Vinh", "Sóc Trăng",
]  # fmt: skip


@dataclass
class Archive:
    """What was built: rows per kind, and the builder's own tallies by Vietnamese
    day, which the reports' figures are checked against."""

    rows: list[tuple[str, int, str]] = field(default_factory=list)  # kind, n, how
    published: Counter[date] = field(default_factory=Counter)
    bylines: Counter[date] = field(default_factory=Counter)  # by published day
    views: Counter[date] = field(default_factory=Counter)
    own_views: Counter[tuple[date, date]] = field(default_factory=Counter)
    by_section: Counter[tuple[date, str]] = field(default_factory=Counter)  # title
    sections: list[tuple[str, str]] = field(default_factory=list)  # (title, path)
    size: int = 0  # bytes on disk
    rate: str = ""

    def published_in(self, period: Period) -> int:
        return sum(n for day, n in self.published.items() if _within(day, period))

    def by_section_in(self, period: Period) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for (day, title), n in self.by_section.items():
            if _within(day, period):
                counts[title] += n
        return dict(counts)

    def silent_in(self, period: Period) -> list[str]:
        """Sections in tree order where neither they nor any below them published
        in the period."""
        paths = dict(self.sections)
        busy = [paths[title] for title in self.by_section_in(period)]
        return [
            title
            for title, path in sorted(self.sections, key=lambda pair: pair[1])
            if not any(other.startswith(path) for other in busy)
        ]

    def bylines_in(self, period: Period) -> int:
        return sum(n for day, n in self.bylines.items() if _within(day, period))

    def views_in(self, period: Period) -> int:
        return sum(n for day, n in self.views.items() if _within(day, period))

    def own_views_in(self, period: Period) -> int:
        return sum(
            n
            for (published, seen), n in self.own_views.items()
            if _within(published, period) and _within(seen, period)
        )


def _within(day: date, period: Period) -> bool:
    return period.start <= day <= period.end


@dataclass
class Measurement:
    """One thing timed: what it is, the calls, and what was measured."""

    label: str
    period: Period
    action: Callable[[], object]
    whole_report: bool = False  # held to TARGET_SECONDS
    samples: list[float] = field(default_factory=list)  # seconds
    result: object = None
    queries: int = 0
    sql_seconds: float = 0.0  # each SELECT run again on its own, to its last row
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, SQL)
    repeated: list[tuple[int, str]] = field(default_factory=list)  # (times, SQL)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


@dataclass
class Check:
    name: str
    outcomes: dict[str, tuple[bool, str]] = field(default_factory=dict)  # by period


# --------------------------------------------------------------------------- set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument(
        "--view-rows-per-article",
        type=int,
        default=10,
        help="hourly view rows of each article of the last two years (default 10)",
    )
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
    if not 0 <= args.view_rows_per_article <= 1_000:
        parser.error("--view-rows-per-article must be between 0 and 1000")
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    return args


# ------------------------------------------------------------------------- the data


def build_sections(archive: Archive) -> tuple[list, list[int]]:
    """The sections of SECTIONS under the home page, and cumulative weights for
    drawing one an article (the silent one is never drawn)."""
    from wagtail.models import Locale

    from toasoan.news.models import HomePage

    # The Vietnamese edition's home: `migrate` makes the English one too.
    home = HomePage.objects.get(locale=Locale.get_default())
    made = {}
    for title, slug, parent, _ in SECTIONS:
        made[slug] = add_section(made[parent] if parent else home, title, slug)
        archive.sections.append((title, made[slug].path))
    sections = [made[slug] for _, slug, _, weight in SECTIONS if weight]
    weights = [weight for *_, weight in SECTIONS if weight]
    return sections, list(accumulate(weights))


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights: the first of ``count`` items drawn most often."""
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def build_pools(rng: random.Random) -> tuple[list[int], list[tuple[str, str]], list]:
    """The shared videos (ids), byline names (name, slug) and keywords (ids)."""
    from toasoan.core.vietnamese import slugify_vi
    from toasoan.news.models import Keyword
    from toasoan.videos.models import Video

    videos = Video.objects.bulk_create(
        [
            Video(
                title=f"Bản tin video số {n}",
                original_filename=f"{n}_bantin.mp4",
                # Whole seconds: the checks compare sums made in the database.
                duration_seconds=float(rng.randint(30, 900)),
            )
            for n in range(1, VIDEO_POOL + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    names = [f"{family} {given}" for given in GIVEN_NAMES for family in FAMILY_NAMES]
    keywords = Keyword.objects.bulk_create(
        [
            Keyword(name=name, slug=slugify_vi(name, max_length=90))
            for name in (f"{topic} {place}" for place in PLACES for topic in TOPICS)
        ],
        batch_size=BATCH_SIZE,
    )
    return (
        [video.pk for video in videos],
        [(name, slugify_vi(name)) for name in names],
        [keyword.pk for keyword in keywords],
    )


def build_archive(count: int, views_per_article: int) -> Archive:
    """``count`` public articles, BATCH_SIZE at a time, each batch with its
    bylines, keywords and view rows in one transaction; the builder's tallies
    kept on the way."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from toasoan.audience.models import ArticleViewHour
    from toasoan.news.models import Article, ArticleKeyword, Byline

    rng = random.Random(SEED)
    archive = Archive()
    sections, section_weights = build_sections(archive)
    english = Locale.objects.get_or_create(language_code="en")[0]
    video_ids, names, keyword_ids = build_pools(rng)
    name_weights = zipf_weights(len(names), 0.7)
    keyword_weights = zipf_weights(len(keyword_ids))
    zone = timezone.get_current_timezone()
    now = timezone.now()
    now_hour = now.replace(minute=0, second=0, microsecond=0)
    views_since = now - VIEW_SPAN
    window = max(VIEW_WINDOW_HOURS, 2 * views_per_article)

    def dress(article: Article) -> None:
        """Section, language, video, correction and withdrawal, by the rates."""
        article.section = rng.choices(sections, cum_weights=section_weights)[0]
        if rng.random() < ENGLISH_RATE:
            article.locale = english
        if rng.random() < VIDEO_RATE:
            article.video_id = rng.choice(video_ids)
        if rng.random() < CORRECTION_RATE:
            article.correction_note = "Bài viết đã được đính chính số liệu."
            article.corrected_at = min(article.published_at + timedelta(days=1), now)
        if rng.random() < WITHDRAWN_RATE:
            article.withdrawn_at = min(article.published_at + timedelta(days=2), now)
            article.withdrawal_reason = "Gỡ theo yêu cầu của Ban biên tập."

    def bylines(article: Article, day: date) -> list[Byline]:
        picked = rng.choices(names, cum_weights=name_weights)
        if rng.random() < SECOND_BYLINE_RATE:
            other = picked[0]
            while other == picked[0]:
                other = rng.choices(names, cum_weights=name_weights)[0]
            picked.append(other)
        archive.bylines[day] += len(picked)
        return [
            Byline(article_id=article.pk, name=name, name_slug=slug, sort_order=order)
            for order, (name, slug) in enumerate(picked)
        ]

    def keywords(article: Article) -> list[ArticleKeyword]:
        wanted = rng.choice(KEYWORDS_PER_ARTICLE)
        drawn = rng.choices(keyword_ids, cum_weights=keyword_weights, k=wanted + 2)
        return [
            ArticleKeyword(content_object_id=article.pk, tag_id=tag)
            for tag in list(dict.fromkeys(drawn))[:wanted]
        ]

    def view_rows(article: Article, day: date) -> list[ArticleViewHour]:
        """The first hour and ``views_per_article - 1`` more of the first days,
        views decaying from a heavy-tailed peak; none after the current hour."""
        if not views_per_article or article.published_at < views_since:
            return []
        first = article.published_at.replace(minute=0, second=0, microsecond=0)
        offsets = [0, *sorted(rng.sample(range(1, window), views_per_article - 1))]
        peak = 20 + rng.paretovariate(1.3) * 40
        rows = []
        for offset in offsets:
            hour = first + timedelta(hours=offset)
            if hour > now_hour:
                break
            views = max(1, round(peak * math.exp(-offset / 12)))
            seen = hour.astimezone(zone).date()
            archive.views[seen] += views
            archive.own_views[day, seen] += views
            rows.append(ArticleViewHour(article_id=article.pk, hour=hour, views=views))
        return rows

    articles = generate_articles(sections[0], count, seed=SEED)
    done, started = 0, time.perf_counter()
    while batch := list(islice(articles, BATCH_SIZE)):
        for article in batch:
            dress(article)
        with transaction.atomic():
            Article.objects.bulk_create(batch)
            tagged, signed, seen = [], [], []
            for article in batch:
                day = article.published_at.astimezone(zone).date()
                archive.published[day] += 1
                archive.by_section[day, article.section.title] += 1
                signed += bylines(article, day)
                tagged += keywords(article)
                seen += view_rows(article, day)
            Byline.objects.bulk_create(signed)
            ArticleKeyword.objects.bulk_create(tagged)
            ArticleViewHour.objects.bulk_create(seen)
        done += len(batch)
        if done % 50_000 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            log(f"    {done:,} / {count:,} articles with their rows ({rate:,.0f}/s)")
    archive.rate = f"{done / (time.perf_counter() - started):,.0f} articles/s"
    return archive


def count_rows(archive: Archive, views_per_article: int) -> None:
    """What the database holds now, counted there."""
    from django.db.models import Count, Q

    from toasoan.audience.models import ArticleViewHour
    from toasoan.news.models import (
        Article,
        ArticleKeyword,
        Byline,
        Keyword,
        SectionPage,
    )
    from toasoan.videos.models import Video

    articles = Article.objects.aggregate(
        n=Count("pk"),
        english=Count("pk", filter=Q(locale__language_code="en")),
        video=Count("pk", filter=Q(video__isnull=False)),
        corrected=Count("pk", filter=~Q(correction_note="")),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )
    n = articles["n"]
    read = ArticleViewHour.objects.order_by().values("article_id").distinct().count()

    def share(part: int) -> str:
        return f"{part:,} ({part * 100 / n:.1f}%)"

    sections = SectionPage.objects.all()
    nested = sum(1 for s in sections if s.depth > 3)
    views = ArticleViewHour.objects.count()
    archive.rows = [
        (
            "articles (`news.Article`)",
            n,
            "live, published over ten years up to an hour ago; English "
            f"{share(articles['english'])}, with a video {share(articles['video'])}, "
            f"corrected {share(articles['corrected'])}, withdrawn "
            f"{share(articles['withdrawn'])}",
        ),
        (
            "sections (`news.SectionPage`)",
            len(sections),
            f"{nested} of them under another; one publishes nothing",
        ),
        (
            "bylines (`news.Byline`)",
            Byline.objects.count(),
            f"{Byline.objects.values('name').distinct().count()} names, "
            f"{Byline.objects.count() / n:.2f} an article",
        ),
        (
            "keywords (`news.Keyword`)",
            Keyword.objects.count(),
            "a few used often, most rarely (Zipf)",
        ),
        (
            "article keywords (`news.ArticleKeyword`)",
            ArticleKeyword.objects.count(),
            f"{ArticleKeyword.objects.count() / n:.2f} an article",
        ),
        (
            "videos (`videos.Video`)",
            Video.objects.count(),
            "a pool the articles with a video share",
        ),
        (
            "hourly view rows (`audience.ArticleViewHour`)",
            views,
            f"{share(read)} articles, those of the last two years, "
            f"up to {views_per_article} rows each in their first "
            f"{max(VIEW_WINDOW_HOURS, 2 * views_per_article)} hours; "
            f"{sum(archive.views.values()):,} views",
        ),
    ]
    archive.size = database_size()


def database_size() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    path = Path(settings.DATABASES["default"]["NAME"])
    files = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in files if p.exists())


# ------------------------------------------------------------------- measurements


def periods(today: date) -> dict[str, Period]:
    """The last half, quarter and year that have ended (the half before the
    current one is the issue's "six-month report")."""
    from toasoan.reports.periods import half_of, quarter_of, year_of

    return {
        "half": half_of(today.year, 1 if today.month <= 6 else 2).previous(),
        "quarter": quarter_of(today.year, (today.month - 1) // 3 + 1).previous(),
        "year": year_of(today.year).previous(),
    }


def bench_press():
    """The outlet named in the Word document's header (unsaved)."""
    from toasoan.core.models import PressSettings

    return PressSettings(
        outlet_name="Báo Thái Bình điện tử",
        short_name="Báo Thái Bình",
        governing_agency="Tỉnh ủy Thái Bình",
        editor_in_chief="Nguyễn Văn Bình",
    )


def measurements(chosen: dict[str, Period]) -> list[Measurement]:
    """What is timed, in order: the renderers use the six-month report that the
    first measurement returns."""
    from django.utils import timezone

    from toasoan.reports.services import build_report, summarize
    from toasoan.reports.writers import render_report

    half = chosen["half"]
    items = [
        Measurement(
            f"`build_report`, {kind}", period, lambda p=period: build_report(p), True
        )
        for kind, period in (
            ("six months", half),
            ("quarter", chosen["quarter"]),
            ("year", chosen["year"]),
        )
    ]
    items.append(Measurement("`summarize` alone", half, lambda: summarize(half)))
    press, today = bench_press(), timezone.localdate()
    for format_name in ("json", "csv", "docx"):
        items.append(
            Measurement(
                f"`render_report`, {format_name.upper()}",
                half,
                lambda f=format_name: render_report(items[0].result, f, press, today),
            )
        )
    return items


def measure(item: Measurement) -> None:
    """A warm-up, REPEAT timed runs, then one run whose SQL is captured and each
    SELECT run again on its own (Django times only ``execute()``; SQLite does
    much of a query's work while its rows are fetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item.result = item.action()
    for _ in range(REPEAT):
        start = time.perf_counter()
        item.action()
        item.samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        item.action()
    timed = sorted(
        ((replay_ms(q["sql"], float(q["time"])), q["sql"]) for q in captured),
        key=lambda pair: pair[0],
        reverse=True,
    )
    item.queries = len(timed)
    item.sql_seconds = sum(ms for ms, _ in timed) / 1000
    item.slowest = timed[:5]
    runs = Counter(q["sql"] for q in captured)
    item.repeated = [(n, sql) for sql, n in runs.most_common() if n > 1]
    log(
        f"  {item.label} ({item.period.name}): "
        f"{seconds(item.median)} s, {item.queries} SQL statements, slowest "
        f"{timed[0][0] if timed else 0:,.0f} ms"
    )


# ------------------------------------------------------------------------ checks


def distinct_videos(period: Period) -> tuple[int, float]:
    """The distinct videos of the period's articles and their seconds, counted
    without the model's default ordering."""
    from toasoan.reports.services import published_in

    rows = list(
        published_in(period)
        .exclude(video=None)
        .order_by()
        .values_list("video_id", "video__duration_seconds")
        .distinct()
    )
    return len(rows), sum(duration or 0 for _, duration in rows)


def check_reports(reports: list[Report], archive: Archive) -> list[Check]:
    """Each report's figures against each other and against the builder's
    tallies; one row a check, one column a report."""
    from toasoan.reports.services import views_in

    checks: dict[str, Check] = {}

    def check(name: str, period: Period, ok: bool, detail: str = "") -> None:
        checks.setdefault(name, Check(name)).outcomes[period.name] = (ok, detail)

    def equal(name: str, period: Period, got: float, expected: float) -> None:
        ok = got == expected
        check(name, period, ok, f"{got:,}" if ok else f"{got:,} ≠ {expected:,}")

    for report in reports:
        period, summary = report.period, report.summary
        published, views = summary.published, summary.views
        equal("published = the builder's count", period, published,
              archive.published_in(period))  # fmt: skip
        wrong = [
            day
            for day, count, seen in report.daily
            if count != archive.published[day] or seen != archive.views[day]
        ]
        check(
            "every day's published and views = the builder's",
            period,
            not wrong,
            f"{len(report.daily)} days" if not wrong else f"{len(wrong)} days differ",
        )
        equal("views = the builder's", period, views, archive.views_in(period))
        equal("Σ daily published = published", period,
              sum(p for _, p, _ in report.daily), published)  # fmt: skip
        equal("Σ daily views = views", period,
              sum(v for _, _, v in report.daily), views)  # fmt: skip
        equal("Σ by section = published", period,
              sum(n for _, n in report.by_section), published)  # fmt: skip
        expected = archive.by_section_in(period)
        differ = [t for t in expected.keys() | dict(report.by_section) if
                  dict(report.by_section).get(t) != expected.get(t)]  # fmt: skip
        check("by section = the builder's counts", period, not differ,
              f"{len(differ)} sections differ" if differ else
              f"{len(expected)} sections")  # fmt: skip
        equal("Σ by language = published", period,
              sum(n for _, n in report.by_language), published)  # fmt: skip
        equal("by kind: text + video = published", period,
              report.by_kind["text"] + report.by_kind["video"], published)  # fmt: skip
        equal("Σ by author = the builder's bylines", period,
              sum(n for _, n in report.by_author),
              archive.bylines_in(period))  # fmt: skip
        equal("Σ views by section = views", period,
              sum(n for _, n in report.views_by_section), views)  # fmt: skip
        equal("views by kind: text + video = views", period,
              sum(report.views_by_kind.values()), views)  # fmt: skip
        equal("mean views × published = the builder's views of them", period,
              round(summary.mean_views * published),
              archive.own_views_in(period))  # fmt: skip
        videos, video_seconds = distinct_videos(period)
        equal("videos = distinct videos of the period's articles", period,
              summary.videos, videos)  # fmt: skip
        equal("video seconds = theirs", period,
              round(summary.video_seconds), round(video_seconds))  # fmt: skip
        for name, changes in report.compared.items():
            earlier = report.compared_periods[name]
            equal(f"compared ({name}): published = the builder's count", period,
                  changes[0].before, archive.published_in(earlier))  # fmt: skip
        top = [article.views for article in report.top_articles]
        read = views_in(period).order_by().values("article").distinct().count()
        check("top articles: 10 (or all read), most viewed first", period,
              len(top) == min(10, read) and top == sorted(top, reverse=True),
              f"{len(top)}, {top[0]:,}–{top[-1]:,}" if top else "none")  # fmt: skip
        check("silent sections = those the builder filled nothing in", period,
              report.silent_sections == archive.silent_in(period),
              ", ".join(report.silent_sections) or "none")  # fmt: skip
    return list(checks.values())


def check_outputs(items: list[Measurement]) -> list[str]:
    """What each rendered file holds, read back."""
    from docx import Document

    lines = []
    for item in items:
        if not isinstance(item.result, bytes):
            continue
        content, kind = item.result, item.label.split()[-1]
        if kind == "JSON":
            data = json.loads(content)
            detail = f"parses; {len(data['daily'])} days"
        elif kind == "CSV":
            rows = content.decode("utf-8-sig").count("\n")
            detail = f"{rows:,} lines"
        else:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                images = [n for n in archive.namelist() if n.startswith("word/media/")]
            tables = len(Document(io.BytesIO(content)).tables)
            detail = f"opens; {tables} tables, {len(images)} images"
        lines.append(f"- {kind}: {megabytes(len(content))}, {detail}.")
    return lines


# ------------------------------------------------------------------------ reports


def seconds(value: float) -> str:
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def describe_sql(sql: str, limit: int = 400) -> str:
    """shorten_sql's one line, with what the statement selects (cut short) put
    back: for an aggregate that names the figure it computes."""
    short = shorten_sql(sql, limit)
    found = re.match(r"SELECT (DISTINCT )?(.+?) FROM ", re.sub(r"\s+", " ", sql))
    if not found or not short.startswith("SELECT … FROM "):
        return short
    columns = found[2].replace('"', "")
    if len(columns) > 160:
        columns = columns[:159] + "…"
    return (
        f"SELECT {found[1] or ''}{columns} FROM {short.removeprefix('SELECT … FROM ')}"
    )


def render_results(
    items: list[Measurement],
    checks: list[Check],
    archive: Archive,
    args: argparse.Namespace,
    info: dict[str, str],
    timings: dict[str, float],
    command: str,
) -> str:
    """The results as Markdown: what was built, one table, the slowest SQL, the
    checks, the files, the run, the machine."""
    half = items[0]
    lines = [
        f"{args.articles:,} articles, built with bulk inserts "
        f"({megabytes(archive.size)} on disk):",
        "",
        "| rows | built | how |",
        "|---|---|---|",
        *(f"| {kind} | {n:,} | {how} |" for kind, n, how in archive.rows),
        "",
        "Each report is for a period that has ended: the last six months "
        f"(\u201c{half.period.name}\u201d, the issue's case), quarter and year. "
        "`build_report` computes every figure, with `summarize` for the period and "
        "the two it is compared with; the renderers turn the six-month report into "
        f"a file. Wall time: median (min–max) of {REPEAT} runs after a warm-up, "
        "in process. SQL: the statements of one more run, each SELECT run again on "
        "its own to its last row (Django times only `execute()`).",
        "",
        "| measurement | period | wall s | SQL statements | SQL s | slowest statement "
        "ms | target | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for item in items:
        cell = (
            f"{seconds(item.median)} "
            f"({seconds(min(item.samples))}–{seconds(max(item.samples))})"
        )
        slowest = f"{item.slowest[0][0]:,.0f}" if item.slowest else "–"
        target, mark = "", ""
        if item.whole_report:
            target = f"< {TARGET_SECONDS} s"
            mark = "pass" if item.median < TARGET_SECONDS else "**FAIL**"
        lines.append(
            f"| {item.label} | {item.period.name} | {cell} | {item.queries} "
            f"| {seconds(item.sql_seconds)} | {slowest} | {target} | {mark} |"
        )
    docx = items[-1]
    whole = half.median + docx.median
    lines += [
        f"| six-month report as a Word file (`build_report` + DOCX, the sum of "
        f"their medians) | {half.period.name} | {seconds(whole)} | | | "
        f"| < {TARGET_SECONDS} s | "
        f"{'pass' if whole < TARGET_SECONDS else '**FAIL**'} |",
        "",
        f"Slowest SQL statements of `build_report`, {half.period.name}:",
        "",
    ]
    lines += [f"- {ms:,.0f} ms: `{describe_sql(sql)}`" for ms, sql in half.slowest]
    lines += ["", "Statements it runs more than once (the same text):", ""]
    lines += [f"- {n}×: `{describe_sql(sql)}`" for n, sql in half.repeated] or [
        "- none"
    ]
    names = [item.period.name for item in items if item.whole_report]
    lines += [
        "",
        "Checks of each report's figures, against each other and against what the "
        "builder counted as it built (by Vietnamese day):",
        "",
        f"| check | {' | '.join(names)} |",
        "|---|" + "---|" * len(names),
    ]
    for check in checks:
        cells = []
        for name in names:
            ok, detail = check.outcomes.get(name, (True, "–"))
            cells.append(f"{'✓' if ok else '**✗**'} {detail}")
        lines.append(f"| {check.name} | {' | '.join(cells)} |")
    failed = [c.name for c in checks if not all(ok for ok, _ in c.outcomes.values())]
    lines += [
        "",
        f"**{len(failed)} of {len(checks)} checks fail:** " + "; ".join(failed) + "."
        if failed
        else f"All {len(checks)} checks pass for every report.",
        "",
        f"Files rendered from the six-month report ({half.period.name}):",
        "",
        *check_outputs(items),
        "",
        "Run:",
        "",
    ]
    lines += [f"- {name}: {value:.0f} s" for name, value in timings.items()]
    lines += [
        f"- build rate: {archive.rate}, with their bylines, keywords and view rows",
        f"- command: `{command}`",
        "",
        "Machine:",
        "",
    ]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def write_results(report: str, vendor: str, articles: int) -> None:
    """Replace (or append) this engine and size's section in bench/RESULTS.md."""
    title = ENGINE_NAMES.get(vendor, vendor)
    replace_results_block(
        f"reports-{vendor}-{articles}",
        f"## Period review, {title}, {articles:,} articles (`bench/reports.py`)",
        report,
    )


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace, command: str, timings: dict[str, float]) -> None:
    from django.db import connection
    from django.utils import timezone

    archive = phase(
        timings,
        "build",
        lambda: build_archive(args.articles, args.view_rows_per_article),
    )
    phase(timings, "settle", settle_database)
    phase(timings, "count", lambda: count_rows(archive, args.view_rows_per_article))
    chosen = periods(timezone.localdate())
    items = measurements(chosen)
    load_before = os.getloadavg()[0]

    def measure_all() -> None:
        for item in items:
            measure(item)

    phase(timings, "measure", measure_all)
    info = machine_info()
    info["load average (1 min) before / after measuring"] = (
        f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    )
    reports = [item.result for item in items if item.whole_report]
    checks = phase(timings, "check", lambda: check_reports(reports, archive))
    timings["total"] = sum(timings.values())
    report = render_results(items, checks, archive, args, info, timings, command)
    print(report)
    if args.write:
        write_results(report, connection.vendor, args.articles)


def main() -> None:
    run_in_scratch_database("reports", parse_args(), run)


if __name__ == "__main__":
    main()
