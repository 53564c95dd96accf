"""How fast is the Vietnamese article search on a large archive, and what does its
ranking cost over the bare full-text match?

This benchmark builds a synthetic Vietnamese archive (100,000 articles by default:
real syllables and two-syllable words drawn with Zipf-like frequencies, old and new
tone placement, some text in NFD), indexes it through the app's own
``build_document`` + ``get_backend().upsert``, then times a fixed mix of queries,
seven kinds of five queries each, four ways:

- ours: ``services.search_articles(q, per_page=20)``, relevance-ranked page 1 with
  its count, article rows, highlighted titles and snippets;
- bare: the same folded keys matched in the index table alone, no ranking, no join;
- bare ranked: the same ordered by plain ``bm25()`` / ``ts_rank_cd()``, the floor
  for any relevance-ranked search on this index;
- stock Wagtail: Wagtail's database search backend over a sample of the same
  titles, stored as ``SectionPage`` pages (articles are not Wagtail-indexed).

    .venv/bin/python bench/search.py --articles 5000         # fresh SQLite file
    .venv/bin/python bench/search.py --write
    .venv/bin/python bench/search.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_search_bench

Everything lives in a temporary directory (and, with ``--database-url``, in a
PostgreSQL database this script creates and drops). ``--write`` puts the results
for the engine and archive size into bench/RESULTS.md.
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
import threading
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate, islice, pairwise
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
sys.path.insert(0, str(PROJECT_DIR))

BATCH_SIZE = 2_000
TIME_SPREAD = timedelta(days=3652)  # published_at is spread over ten years
ZIPF_EXPONENT = 1.0
# The most frequent words (của, và, các…) run through every article; the others
# come by topic: each article draws TOPIC_WORDS of them (by weight) and uses only
# those, so that "bão" is in some articles, several times, not once in every one.
COMMON_WORDS = 150
TOPIC_WORDS = (40, 80)
COMMON_SHARE = {"title": 0.25, "text": 0.5}  # the rest of the words are topical
WAGTAIL_TIMEOUT = 20.0  # seconds; a slower stock-Wagtail query is abandoned
NEW_TONE_STYLE_RATE = 0.3  # articles written "hoà", "thuỷ", "khoẻ"
NFD_RATE = 0.1  # articles stored decomposed (NFD), as some old editors wrote them
RARE_RATE = 1 / 2_000  # each rare word appears in about one article in 2,000
PER_PAGE = 20
# A query of ours that takes seconds is timed MIN_RUNS times at least, then until
# BUDGET seconds are spent or --repeat runs are done (the report says so).
MIN_RUNS = 3
BUDGET = {"ours": 20.0, "ours ranking": 5.0}

# Place names and newsroom words the demo texts lack; all mid-frequency.
PLACE_NAMES = [
    "Thái Bình", "Đà Nẵng", "Hà Nội", "Đồng Nai", "Thành phố Hồ Chí Minh",
    "Hải Phòng", "Nam Định", "Hưng Yên", "Cần Thơ", "Quảng Ninh", "Nghệ An",
    "Thanh Hóa", "Huế", "Khánh Hòa", "Lâm Đồng", "Bắc Ninh", "Hải Dương",
    "Ninh Bình", "Quảng Nam", "Bình Dương",
]  # fmt: skip
NEWSROOM_WORDS = [
    "Thủ tướng", "Chính phủ", "hòa bình", "bóng đá", "sức khỏe", "khỏe mạnh",
    "Ủy ban nhân dân", "nông thôn mới", "thủy lợi", "thủy sản", "hòa giải",
    "văn hóa", "an toàn", "quốc phòng", "hợp tác", "bão", "áp thấp nhiệt đới",
    "tòa án", "xóa đói giảm nghèo", "khóa học", "thủy điện", "Quốc hội",
]  # fmt: skip
PLACE_COUNT, NEWSROOM_COUNT = 8, 5  # as if seen this often in the demo texts
# Real syllables whose folded keys no other vocabulary word has: sprinkled into
# bodies at RARE_RATE, they are the "rare word" queries.
RARE_WORDS = ["khuỷu", "nguệch", "xoong", "chuếnh", "khoèo"]
# The tone placement some writers and keyboards use ("hoà", "thuỷ", "khoẻ").
NEW_TONE_STYLE = {
    "hòa": "hoà", "hóa": "hoá", "hỏa": "hoả", "họa": "hoạ", "tòa": "toà",
    "xóa": "xoá", "khóa": "khoá", "thủy": "thuỷ", "thụy": "thuỵ", "khỏe": "khoẻ",
    "ủy": "uỷ", "lũy": "luỹ", "tủy": "tuỷ", "hòe": "hoè",
}  # fmt: skip
NEW_TONE_STYLE |= {
    old.capitalize(): new.capitalize() for old, new in NEW_TONE_STYLE.items()
}
_NEW_STYLE_RE = re.compile(r"\b(" + "|".join(NEW_TONE_STYLE) + r")\b")

QUERIES: dict[str, list[str]] = {
    "one word": ["bão", "lúa", "biển", "điện", "khỏe"],
    "two syllables": ["thái bình", "nông dân", "thu hoạch", "học sinh", "đà nẵng"],
    "unaccented": ["da nang", "thu tuong", "hoa binh", "nong thon", "ha noi"],
    "phrase": [
        '"hòa bình"',
        '"thủy lợi"',
        '"nông thôn mới"',
        '"ủy ban nhân dân"',
        '"sức khỏe"',
    ],
    "rare word": RARE_WORDS,
    "very common": ["của", "và", "các", "được", "có"],
    "prefix": ["thanh pho ho chi m*", "nong ngh*", "giao th*", "hà n*", "kh*"],
}


# ------------------------------------------------- set-up (as in large_section.py)


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


def _admin_url(database_url: str) -> tuple[str, str]:
    """The bench database's name, and a URL to the server's maintenance database."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("--database-url must name a database")
    return name, urlunsplit(parts._replace(path="/postgres"))


def _recreate_postgres_database(database_url: str, create: bool) -> None:
    import psycopg
    from psycopg import sql

    name, admin_url = _admin_url(database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(data_dir: Path, database_url: str) -> None:
    """Dev settings on a fresh database, migrated; DEBUG off so that Django does not
    keep every SQL statement (bulk inserts would fill memory)."""
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


def phase(timings: dict[str, float], name: str, action: Callable[[], object]):
    log(f"{name}…")
    start = time.perf_counter()
    value = action()
    timings[name] = time.perf_counter() - start
    log(f"  {name}: {timings[name]:.1f} s")
    return value


def add_section(parent, title: str, slug: str):
    from toasoan.news.models import SectionPage

    section = SectionPage(title=title, slug=slug, show_in_menus=True)
    parent.add_child(instance=section)
    section.save_revision().publish()
    section.refresh_from_db()
    return section


def settle_database() -> None:
    """Leave the database as a live site would have it some time after a bulk
    load: PostgreSQL's autovacuum vacuums and analyzes the new rows (and flushes
    the GIN index's pending list), so do that here. SQLite keeps no statistics
    unless told to (Django never runs ``ANALYZE``), and FTS5 merges its segments
    as it goes (automerge): leave it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


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


# --------------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    """Words (one to five syllables) in Zipf order: the first COMMON_WORDS and the
    others, each with cumulative weights."""

    words: list[str]
    common_cum_weights: list[float]
    topical_cum_weights: list[float]
    syllable_counts: dict[str, int]

    @property
    def common(self) -> list[str]:
        return self.words[:COMMON_WORDS]

    @property
    def topical(self) -> list[str]:
        return self.words[COMMON_WORDS:]

    @property
    def syllables(self) -> int:
        return len({s.lower() for word in self.words for s in word.split()})


def _demo_counts() -> Counter[str]:
    """Syllables and adjacent syllable pairs (seen twice or more) of the demo
    articles, as written (case kept), with how often they occur."""
    from toasoan.demo import content
    from toasoan.search.syllables import is_syllable

    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for article in content.ARTICLES:
        for chunk in [article["title"], article["lead"], *article["body"]]:
            for piece in re.split(r"[^\w\s]|\d", chunk):
                words = [w for w in piece.split() if is_syllable(w.lower())]
                singles.update(words)
                pairs.update(f"{a} {b}" for a, b in pairwise(words))
    singles.update({p: c for p, c in pairs.items() if c >= 2})
    return singles


def _translation_syllables() -> set[str]:
    """Vietnamese syllables of Django's and Wagtail's own translations: the long
    tail of the vocabulary (interface words the news texts rarely use)."""
    import django
    import wagtail

    from toasoan.search.syllables import is_syllable

    found = set()
    for package in (django, wagtail):
        root = Path(package.__file__).parent
        for po in sorted(root.glob("**/locale/vi/LC_MESSAGES/*.po")):
            text = po.read_text(encoding="utf-8")
            for message in re.findall(r'^msgstr(?:\[\d\])? "(.*)"', text, re.M):
                found.update(
                    w.lower()
                    for w in re.findall(r"[^\W\d_]+", message)
                    if is_syllable(w.lower())
                )
    return found


def build_vocabulary() -> Vocabulary:
    """The demo texts' words by frequency, place names and newsroom words among
    them, Django's and Wagtail's Vietnamese interface words as the tail; weighted
    1/rank**ZIPF_EXPONENT. No word shares a folded key with a rare word."""
    from toasoan.search.syllables import syllable_keys

    counts = _demo_counts()
    for name in PLACE_NAMES:
        counts[name] = max(counts[name], PLACE_COUNT)
    for word in NEWSROOM_WORDS:
        counts[word] = max(counts[word], NEWSROOM_COUNT)
    for word in _translation_syllables():
        counts[word] = max(counts[word], 1)
    rare = {syllable_keys(word)[0] for word in RARE_WORDS}
    words = sorted(
        (w for w in counts if not any(syllable_keys(s)[0] in rare for s in w.split())),
        key=lambda w: (-counts[w], w),
    )
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(words))]
    return Vocabulary(
        words,
        list(accumulate(weights[:COMMON_WORDS])),
        list(accumulate(weights[COMMON_WORDS:])),
        {w: len(w.split()) for w in words},
    )


# ------------------------------------------------------------------- the archive


@dataclass
class ArchiveText:
    """One synthetic article's text."""

    title: str
    lead: str
    body_html: str
    body_text: str
    syllables: int


class ArchiveWriter:
    """Deterministic article texts drawn from a vocabulary (random.Random(seed))."""

    def __init__(self, vocabulary: Vocabulary, seed: int) -> None:
        self.vocabulary = vocabulary
        self.rng = random.Random(seed)

    def _words(self, syllables: int, topic: list[str], common: float) -> list[str]:
        """Words adding up to ``syllables``: a ``common`` share of them common
        words (by weight), the others from the article's ``topic``."""
        rng, vocabulary = self.rng, self.vocabulary
        frequent = rng.choices(
            vocabulary.common, cum_weights=vocabulary.common_cum_weights, k=syllables
        )
        topical = rng.choices(topic, k=syllables)
        words, count = [], 0
        for index in range(syllables):
            if count >= syllables:
                break
            word = frequent[index] if rng.random() < common else topical[index]
            words.append(word)
            count += vocabulary.syllable_counts[word]
        return words

    def _sentences(self, words: list[str]) -> list[str]:
        """Words cut into sentences of 8 to 25 words, some with a comma."""
        rng, sentences, at = self.rng, [], 0
        while at < len(words):
            length = rng.randint(8, 25)
            part = words[at : at + length]
            at += length
            if len(part) > 6 and rng.random() < 0.5:
                comma = rng.randint(3, len(part) - 3)
                part[comma] += ","
            sentence = " ".join(part)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        return sentences

    def article(self) -> ArchiveText:
        rng = self.rng
        vocabulary = self.vocabulary
        topic = rng.choices(
            vocabulary.topical,
            cum_weights=vocabulary.topical_cum_weights,
            k=rng.randint(*TOPIC_WORDS),
        )
        title_words = self._words(rng.randint(8, 20), topic, COMMON_SHARE["title"])
        title = " ".join(title_words)
        title = title[0].upper() + title[1:]
        lead = " ".join(
            self._sentences(
                self._words(rng.randint(30, 60), topic, COMMON_SHARE["text"])
            )
        )
        body_words = self._words(rng.randint(300, 900), topic, COMMON_SHARE["text"])
        for word in RARE_WORDS:
            if rng.random() < RARE_RATE:
                body_words.insert(rng.randrange(len(body_words) + 1), word)
        sentences = self._sentences(body_words)
        paragraphs, at = [], 0
        while at < len(sentences):
            length = rng.randint(3, 6)
            paragraphs.append(" ".join(sentences[at : at + length]))
            at += length
        new_style, nfd = rng.random() < NEW_TONE_STYLE_RATE, rng.random() < NFD_RATE

        def styled(text: str) -> str:
            if new_style:
                text = _NEW_STYLE_RE.sub(lambda m: NEW_TONE_STYLE[m.group()], text)
            return unicodedata.normalize("NFD", text) if nfd else text

        paragraphs = [styled(p) for p in paragraphs]
        syllables = sum(len(text.split()) for text in (title, lead, *paragraphs))
        return ArchiveText(
            title=styled(title),
            lead=styled(lead),
            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
            body_text="\n".join(paragraphs),
            syllables=syllables,
        )


def generate_articles(
    section, vocabulary: Vocabulary, count: int, seed: int
) -> Iterator[tuple]:
    """``count`` unsaved live articles of ``section`` with their text, published
    over ten years."""
    from django.utils import timezone
    from wagtail.models import Locale

    from toasoan.news.models import Article

    writer = ArchiveWriter(vocabulary, seed)
    times = random.Random(seed + 1)
    locale = Locale.get_default()
    latest = timezone.now() - timedelta(hours=1)
    spread = int(TIME_SPREAD.total_seconds())
    for number in range(1, count + 1):
        text = writer.article()
        published_at = latest - timedelta(seconds=times.randrange(spread))
        article = Article(
            title=text.title[:300],
            slug=f"bai-{number}",
            lead=text.lead,
            body=text.body_html,
            section=section,
            locale=locale,
            translation_key=uuid.uuid4(),
            live=True,
            published_at=published_at,
            first_published_at=published_at,
            last_published_at=published_at,
        )
        yield article, text


@dataclass
class BuildStats:
    """How the archive was built: row inserts and the search index, timed apart."""

    articles: int = 0
    syllables: int = 0
    insert_seconds: float = 0.0
    document_seconds: float = 0.0  # build_document()
    upsert_seconds: float = 0.0

    @property
    def index_seconds(self) -> float:
        return self.document_seconds + self.upsert_seconds


def _index_fields(text: ArchiveText) -> dict[str, str]:
    """What ``services.article_fields`` gives for such an article (no keywords,
    no bylines), without the two queries per article it needs."""
    return {
        "title": text.title,
        "lead": text.lead,
        "body": text.body_text,
        "keywords": "",
        "byline": "",
    }


def build_archive(section, vocabulary: Vocabulary, count: int, seed: int) -> BuildStats:
    """Insert ``count`` articles, ``BATCH_SIZE`` at a time, and index each batch
    with the app's own ``build_document`` and backend ``upsert``."""
    from django.db import transaction

    from toasoan.news.models import Article
    from toasoan.search.backends import get_backend
    from toasoan.search.documents import build_document
    from toasoan.search.services import article_facets

    backend = get_backend()
    stats = BuildStats()
    articles = generate_articles(section, vocabulary, count, seed)
    started = time.perf_counter()
    while batch := list(islice(articles, BATCH_SIZE)):
        start = time.perf_counter()
        with transaction.atomic():
            Article.objects.bulk_create([article for article, _ in batch])
        stats.insert_seconds += time.perf_counter() - start
        with transaction.atomic():
            for article, text in batch:
                start = time.perf_counter()
                document = build_document(
                    article.pk, _index_fields(text), article_facets(article)
                )
                middle = time.perf_counter()
                backend.upsert(document)
                stats.document_seconds += middle - start
                stats.upsert_seconds += time.perf_counter() - middle
                stats.articles += 1
                stats.syllables += text.syllables
        if stats.articles % 10_000 < BATCH_SIZE or stats.articles == count:
            elapsed = time.perf_counter() - started
            log(
                f"    {stats.articles:,} / {count:,} articles, {elapsed:.0f} s "
                f"(insert {stats.insert_seconds:.0f} s, index "
                f"{stats.index_seconds:.0f} s)"
            )
    return stats


# ----------------------------------------------------------- stock Wagtail sample


@dataclass
class WagtailSample:
    pages: int
    seconds: float
    indexed_fields: list[str]
    backend: str


def build_wagtail_sample(
    home, vocabulary: Vocabulary, pages: int, seed: int
) -> WagtailSample:
    """The first ``pages`` articles again (same seed), as ``SectionPage`` children
    of the home page with the body text as ``description``, created with
    ``add_child`` (which indexes each page in Wagtail's search backend)."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.index import SearchField

    from toasoan.news.models import SectionPage

    texts = ArchiveWriter(vocabulary, seed)
    start = time.perf_counter()
    for number in range(1, pages + 1):
        text = texts.article()
        page = SectionPage(
            title=text.title[:255],
            slug=f"trang-{number}",
            description=text.body_text,
            show_in_menus=False,
        )
        home.add_child(instance=page)
        if number % 500 == 0:
            log(f"    {number:,} / {pages:,} Wagtail pages")
    seconds = time.perf_counter() - start
    indexed = sorted(
        {f.field_name for f in SectionPage.search_fields if isinstance(f, SearchField)}
    )
    backend = get_search_backend()
    return WagtailSample(
        pages, seconds, indexed, f"{type(backend).__module__}.{type(backend).__name__}"
    )


# ------------------------------------------------------------------- measurements


@dataclass
class QueryResult:
    """Timings and result counts of one query, measured every way."""

    kind: str
    text: str
    ours_total: int = 0
    bare_total: int = 0
    wagtail_hits: int | None = None  # of the first 10; None: did not finish
    timings: dict[str, Timing | None] = field(default_factory=dict)


def bare_expression(raw: str) -> str:
    """The query's folded keys as the backend would match them, without the exact
    spellings, the adjacency alternative or exclusions: an FTS5 MATCH expression
    on SQLite, a to_tsquery text on PostgreSQL."""
    from django.db import connection

    from toasoan.search.backends import PostgreSQLBackend, SQLiteBackend
    from toasoan.search.query import parse_query

    terms = parse_query(raw).required
    if connection.vendor == "postgresql":
        return " & ".join(PostgreSQLBackend._phrase(t.folded, t.prefix) for t in terms)
    sqlite = SQLiteBackend()
    return " AND ".join(
        sqlite._phrase(sqlite.folded_columns, t.folded, t.prefix) for t in terms
    )


def bare_sql(ranked: bool) -> str:
    """The bare query: the index table alone, first 20 by rank or in any order."""
    from django.db import connection

    from toasoan.search.backends import FTS_TABLE, PG_TABLE

    if connection.vendor == "postgresql":
        where = f"FROM {PG_TABLE} WHERE folded @@ to_tsquery('simple', %s)"
        order = " ORDER BY ts_rank_cd(folded, to_tsquery('simple', %s)) DESC"
        return f"SELECT article_id {where}{order if ranked else ''} LIMIT {PER_PAGE}"
    where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    order = f" ORDER BY bm25({FTS_TABLE})"
    return f"SELECT rowid {where}{order if ranked else ''} LIMIT {PER_PAGE}"


def bare_search(expression: str, ranked: bool) -> list[int]:
    from django.db import connection

    sql = bare_sql(ranked)
    params = [expression] * sql.count("%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def bare_count(expression: str) -> int:
    from django.db import connection

    sql = bare_sql(ranked=False).split(" LIMIT ")[0]
    sql = re.sub(r"^SELECT \w+ ", "SELECT count(*) ", sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression])
        return cursor.fetchone()[0]


def timed(
    action: Callable[[], object],
    repeat: int,
    warmup: int = 1,
    budget: float | None = None,
) -> Timing:
    """``repeat`` wall-clock timings of ``action`` in ms, after ``warmup`` calls;
    with a ``budget`` (seconds), fewer once that is spent, but MIN_RUNS at least."""
    for _ in range(warmup):
        action()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < repeat:
        if budget and len(samples) >= MIN_RUNS:
            if time.perf_counter() - started > budget:
                break
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(samples)


class QueryTimeout(Exception):
    pass


@contextmanager
def abandon_after(seconds: float) -> Iterator[None]:
    """Cancel the database query still running after ``seconds`` (from a timer
    thread: SQLite's ``interrupt()``, psycopg's ``cancel_safe()``); raise
    ``QueryTimeout`` if it was cancelled or the block took longer anyway."""
    from django.db import DatabaseError, connection

    connection.ensure_connection()
    raw = connection.connection
    cancel = raw.interrupt if connection.vendor == "sqlite" else raw.cancel_safe
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        cancel()

    timer = threading.Timer(seconds, stop)
    start = time.perf_counter()
    timer.start()
    try:
        yield
    except DatabaseError as error:
        if fired.is_set():
            raise QueryTimeout from error
        raise
    finally:
        timer.cancel()
    if fired.is_set() or time.perf_counter() - start > seconds:
        raise QueryTimeout


def timed_with_timeout(
    action: Callable[[], object], repeat: int, seconds: float
) -> Timing | None:
    """Like ``timed`` (one warm-up), but None as soon as one call exceeds
    ``seconds``."""

    def bounded() -> object:
        with abandon_after(seconds):
            return action()

    try:
        return timed(bounded, repeat, warmup=1)
    except QueryTimeout:
        return None


def reader_filters():
    """What the search page passes: the reader's language (the default one)."""
    from wagtail.models import Locale

    from toasoan.search.backends import SearchFilters

    return SearchFilters(locale_id=Locale.get_default().pk)


def measure_query(
    kind: str, raw: str, repeat: int, diagnostic_repeat: int, wagtail: bool
) -> QueryResult:
    """Counts, then timings: ours, ours' ranking alone, bare, bare ranked, Wagtail."""
    from django.utils import timezone
    from wagtail.search.backends import get_search_backend

    from toasoan.news.models import SectionPage
    from toasoan.search.query import parse_query
    from toasoan.search.services import rank_articles, search_articles

    result = QueryResult(kind, raw)
    expression = bare_expression(raw)
    result.ours_total = search_articles(raw, reader_filters(), per_page=PER_PAGE).total
    result.bare_total = bare_count(expression)

    def ours_sql() -> object:
        filters = reader_filters()
        filters.now = timezone.now()
        return rank_articles(parse_query(raw), filters, False, PER_PAGE, 0)

    timings = result.timings
    timings["ours"] = timed(
        lambda: search_articles(raw, reader_filters(), per_page=PER_PAGE),
        repeat,
        warmup=0,
        budget=BUDGET["ours"],
    )
    timings["ours ranking"] = timed(
        ours_sql, diagnostic_repeat, warmup=0, budget=BUDGET["ours ranking"]
    )
    timings["bare"] = timed(lambda: bare_search(expression, False), repeat)
    timings["bare ranked"] = timed(lambda: bare_search(expression, True), repeat)
    if wagtail:
        backend = get_search_backend()

        def stock(ranked: bool) -> Callable[[], list]:
            def search() -> list:
                pages = SectionPage.objects.live()
                found = backend.search(raw, pages, order_by_relevance=ranked)
                return list(found[:10])

            return search

        try:
            with abandon_after(WAGTAIL_TIMEOUT):
                result.wagtail_hits = len(stock(True)())
        except QueryTimeout:
            result.wagtail_hits = None
        timings["wagtail"] = (
            timed_with_timeout(stock(True), repeat, WAGTAIL_TIMEOUT)
            if result.wagtail_hits is not None
            else None
        )
        timings["wagtail unranked"] = timed_with_timeout(
            stock(False), repeat, WAGTAIL_TIMEOUT
        )
    log(
        f"    {kind:>13}: {raw:<22} ours {timings['ours']} ms "
        f"({result.ours_total:,}), bare ranked {timings['bare ranked']} ms "
        f"({result.bare_total:,})"
    )
    return result


def database_sizes() -> tuple[int, int]:
    """(whole database, search index) in bytes."""
    from django.conf import settings
    from django.db import connection

    from toasoan.search.backends import FTS_TABLE, PG_TABLE

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_database_size(current_database()), "
                "pg_total_relation_size(%s)",
                [PG_TABLE],
            )
            return tuple(cursor.fetchone())
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [f"{FTS_TABLE}%"]
        )
        index = cursor.fetchone()[0] or 0
    path = Path(settings.DATABASES["default"]["NAME"])
    files = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in files if p.exists()), index


# ------------------------------------------------------------------------ reports


def _pooled(results: list[QueryResult], name: str) -> Timing | None:
    """All samples of one way of searching over a kind's queries; None if any
    query did not finish in time."""
    timings = [r.timings.get(name) for r in results]
    if any(t is None for t in timings):
        return None
    return Timing([s for t in timings for s in t.samples])


def _cell(timing: Timing | None, missing: str = "") -> str:
    return str(timing) if timing is not None else missing


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"


def render_report(
    results: list[QueryResult],
    stats: BuildStats,
    vocabulary: Vocabulary,
    wagtail: WagtailSample | None,
    sizes: tuple[int, int],
    info: dict[str, str],
    timings: dict[str, float],
    command: str,
    repeat: int,
) -> str:
    """The results as Markdown: per kind, per query, the build, the run, the
    machine."""
    timeout = f"did not finish in {WAGTAIL_TIMEOUT:.0f} s"
    pages = f"{wagtail.pages:,} pages" if wagtail else "not run"
    lines = [
        "Ways of searching: **ours** `search_articles(q, per_page=20)` (count, "
        "relevance-ranked page 1, article rows, highlighted titles and snippets); "
        "**ours, ranking only** `rank_articles()` (the count, the best "
        "candidates by BM25 and their rerank, no article rows); **bare** the "
        "same folded keys matched in the index table alone, `LIMIT 20`, no "
        "ranking, no join; **bare ranked** the same ordered by `bm25()` / "
        "`ts_rank_cd()`; **stock Wagtail** `get_search_backend().search(q, "
        "SectionPage.objects.live())[:10]` over a sample of the same "
        "articles stored as pages.",
        "",
        f"Times are p50 / p95 in ms, pooled over the five queries of a kind, "
        f"{repeat} runs each after a warm-up (in process, no HTTP), except that "
        f"a query of ours stops after {BUDGET['ours']:.0f} s of runs ("
        f"{MIN_RUNS} runs at least; ours' ranking alone: "
        f"{BUDGET['ours ranking']:.0f} s, "
        f"at most --diagnostic-repeat runs). Archive: {stats.articles:,} "
        f"articles; stock Wagtail: {pages}.",
        "",
        "| query kind | ours | ours, ranking only | bare | bare ranked "
        "| ours / bare ranked, p95 | stock Wagtail, ranked "
        "| stock Wagtail, unranked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in QUERIES:
        group = [r for r in results if r.kind == kind]
        ours, ranked = _pooled(group, "ours"), _pooled(group, "bare ranked")
        ratio = f"{ours.p95 / ranked.p95:.1f}×" if ours and ranked else ""
        wagtail_cells = (
            [_cell(_pooled(group, n), timeout) for n in ("wagtail", "wagtail unranked")]
            if wagtail
            else ["", ""]
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    kind,
                    _cell(ours),
                    _cell(_pooled(group, "ours ranking")),
                    _cell(_pooled(group, "bare")),
                    _cell(ranked),
                    ratio,
                    *wagtail_cells,
                ]
            )
            + " |"
        )
    lines += [
        "",
        "Per query: results found (ours: the page's total; bare: count of the bare "
        "match; Wagtail: hits among its first 10) and p50 ms.",
        "",
        "| kind | query | ours found | bare found | ours p50 | ours ranking p50 "
        "| bare ranked p50 | Wagtail hits | Wagtail p50 | note |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        notes = []
        if r.ours_total == 0 and r.bare_total:
            notes.append("**ours finds nothing, bare does**")
        elif r.bare_total and r.ours_total < 0.9 * r.bare_total:
            notes.append(f"ours finds {r.ours_total / r.bare_total:.0%} of bare")
        ours, ranked = r.timings["ours"], r.timings["bare ranked"]
        if ours.p95 > 2 * ranked.p95:
            notes.append(f"ours p95 {ours.p95 / ranked.p95:.1f}× bare ranked")
        if len(ours.samples) < repeat:
            notes.append(f"ours timed {len(ours.samples)}× (time budget)")
        stock = r.timings.get("wagtail")
        hits = (
            "" if not wagtail else ("–" if r.wagtail_hits is None else r.wagtail_hits)
        )
        lines.append(
            f"| {r.kind} | `{r.text}` | {r.ours_total:,} | {r.bare_total:,} "
            f"| {ours.median:.1f} | {r.timings['ours ranking'].median:.1f} "
            f"| {ranked.median:.1f} | {hits} "
            f"| {f'{stock.median:.1f}' if stock else ('–' if wagtail else '')} "
            f"| {'; '.join(notes)} |"
        )
    lines += [
        "",
        "Archive and index:",
        "",
        f"- {stats.articles:,} articles, {stats.syllables / stats.articles:,.0f} "
        f"syllables each on average; vocabulary {len(vocabulary.words):,} words "
        f"({vocabulary.syllables:,} distinct syllables), Zipf exponent "
        f"{ZIPF_EXPONENT}, {COMMON_WORDS} common words in every article and "
        f"{TOPIC_WORDS[0]}–{TOPIC_WORDS[1]} topical ones per article; "
        f"{NEW_TONE_STYLE_RATE:.0%} of articles in new tone "
        f"placement, {NFD_RATE:.0%} in NFD",
        f"- row inserts (bulk_create, {BATCH_SIZE:,} a batch): "
        f"{stats.articles / stats.insert_seconds:,.0f} articles/s",
        f"- index build (the app's build_document + upsert): "
        f"{stats.articles / stats.index_seconds:,.0f} articles/s "
        f"(build_document {stats.articles / stats.document_seconds:,.0f}/s, "
        f"upsert {stats.articles / stats.upsert_seconds:,.0f}/s); whole index "
        f"{stats.index_seconds / 60:,.1f} min",
    ]
    lines += [
        f"- database size {_mb(sizes[0])}, of which the search index {_mb(sizes[1])}",
    ]
    if wagtail:
        fields = ", ".join(wagtail.indexed_fields)
        lines.append(
            f"- stock Wagtail: {wagtail.pages:,} `SectionPage` pages via "
            f"`add_child`, {wagtail.pages / wagtail.seconds:,.1f} pages/s, backend "
            f"`{wagtail.backend}`; its indexed text fields: {fields}"
            + (
                " (the body, put in `description`, is not indexed: Wagtail "
                "searches titles only)"
                if "description" not in wagtail.indexed_fields
                else ""
            )
        )
    lines += ["", "Run:", ""]
    lines += [f"- {name}: {seconds:.0f} s" for name, seconds in timings.items()]
    lines += [f"- command: `{command}`", "", "Machine:", ""]
    lines += [f"- {name}: {value}" for name, value in info.items()]
    return "\n".join(lines) + "\n"


def write_results(report: str, vendor: str, articles: int) -> None:
    """Replace (or append) this engine and size's section in bench/RESULTS.md."""
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
    key = f"search-{vendor}-{articles}"
    begin, end = f"<!-- results:{key} -->", f"<!-- /results:{key} -->"
    heading = f"## Search, {title}, {articles:,} articles (`bench/search.py`)"
    block = f"{begin}\n{heading}\n\n{report}{end}\n"
    text = RESULTS_FILE.read_text() if RESULTS_FILE.exists() else ""
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS_FILE.write_text(text)
    log(f"Wrote {RESULTS_FILE} ({key})")


# --------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL; the script creates and drops that database "
        "(default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument(
        "--wagtail-pages",
        type=int,
        default=2_000,
        help="stock Wagtail sample size, at most --articles (add_child runs "
        "at 30–50 pages/s); 0 skips it",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timings per query")
    parser.add_argument(
        "--diagnostic-repeat",
        type=int,
        default=10,
        help="timings per query of ours' ranking alone",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the SQLite file (or PostgreSQL database) for a closer look",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--write", action="store_true", help="put the results into bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.repeat < 30:
        parser.error("--repeat must be at least 30")
    if args.articles < 100:
        parser.error("--articles must be at least 100")
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    args.wagtail_pages = min(args.wagtail_pages, args.articles)
    return args


def run(args: argparse.Namespace, command: str, timings: dict[str, float]) -> None:
    from django.db import connection

    from toasoan.news.models import HomePage

    vocabulary = phase(timings, "vocabulary", build_vocabulary)
    log(f"  {len(vocabulary.words):,} words")
    home = HomePage.objects.get()
    section = add_section(home, "Tin tức", "tin-tuc")
    stats = phase(
        timings,
        "build archive + index",
        lambda: build_archive(section, vocabulary, args.articles, args.seed),
    )
    phase(timings, "settle", settle_database)
    wagtail = None
    if args.wagtail_pages:
        wagtail = phase(
            timings,
            "stock Wagtail pages",
            lambda: build_wagtail_sample(
                home, vocabulary, args.wagtail_pages, args.seed
            ),
        )
        settle_database()
    sizes = database_sizes()

    def measure_all() -> list[QueryResult]:
        return [
            measure_query(kind, raw, args.repeat, args.diagnostic_repeat, bool(wagtail))
            for kind, queries in QUERIES.items()
            for raw in queries
        ]

    load_before = os.getloadavg()[0]
    results = phase(timings, "queries", measure_all)
    info = machine_info()
    info["load average (1 min) before / after the queries"] = (
        f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    )
    timings["total"] = sum(timings.values())
    report = render_report(
        results,
        stats,
        vocabulary,
        wagtail,
        sizes,
        info,
        timings,
        command,
        args.repeat,
    )
    print(report)
    if args.write:
        write_results(report, connection.vendor, args.articles)


def main() -> None:
    args = parse_args()
    command = "python bench/search.py " + " ".join(sys.argv[1:])
    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="toasoan-search-bench-"))
    database_url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    timings: dict[str, float] = {}
    # Stopped with kill (or ^C): still clean up the directory and the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        if args.database_url:
            _recreate_postgres_database(args.database_url, create=True)
        phase(timings, "migrate", lambda: setup_django(data_dir, database_url))
        run(args, command, timings)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            log(f"Kept: {database_url} (data directory {data_dir})")
        else:
            if args.database_url:
                _recreate_postgres_database(args.database_url, create=False)
            shutil.rmtree(data_dir, ignore_errors=True)
        log(f"Wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
