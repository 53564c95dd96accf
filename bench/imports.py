"""How fast does a station's text archive come in (issue 11: at least 1,000
articles a second into SQLite and PostgreSQL, with 100,000 generated articles)?

This benchmark writes 100,000 archive files in the old portal's shapes (the seed's
and its real-world variants: four date-line styles, both view-line styles, "Video:"
and "Audio:" lines, "Ð" typed for "Đ", glued words, one or two authors, keywords,
some in TCVN3 and VNI) into a temporary folder, then, in one run and database:

- **ours**: ``python -m toasoan import-text FOLDER`` (the command, in process):
  batches of articles published together, each with its revision, bylines,
  keywords, history, references, search entry;
- **again**: the same command on the same folder, which must change nothing;
- **baseline**: the same kind of files one by one through Wagtail's own
  ``save_revision().publish()`` (what the importer did before, and what Wagtail
  offers), on a sample into another section;
- **reading alone**: what the command's reading process does for every file
  (parsing, sanitising, search keys), with no database: the floor under the
  import, which writes on one core while this runs on the other.

It checks that every file made one live article with its revision and search entry.

    .venv/bin/python bench/imports.py --articles 20000          # fresh SQLite file
    .venv/bin/python bench/imports.py --write
    .venv/bin/python bench/imports.py --write \\
        --database-url postgres://postgres@127.0.0.1:5432/toasoan_imports_bench
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

# bench/ is on sys.path when this file runs as a script.
from large_section import (
    AUTHORS,
    ENGINE_NAMES,
    SENTENCES,
    TITLES,
    add_section,
    log,
    machine_info,
    phase,
    replace_results_block,
    run_in_scratch_database,
)

KEYWORDS = ["Thái Bình", "nông nghiệp", "giao thông", "y tế", "giáo dục", "Vũ Thư"]
DATE_LINES = [
    "Thứ 3, {d:02d}/{m:02d}/{y} | {H:02d}:{M:02d}:{S:02d}",
    "Thứ Năm, {d:02d}.{m:02d}.{y} - {H:02d}:{M:02d}:{S:02d}",
    "THỨ SÁU, {d:02d}/{m:02d}/{y} {H:02d}:{M:02d}:{S:02d}",
    "Thứ ba, {d}/{m}/{y}, {H:02d}:{M:02d} (GMT+7)",
]
VIEW_LINES = ["{n:,} lượt xem", "Lượt xem: {n}"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--baseline", type=int, default=1_000, help="files imported one by one"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL; the script creates and drops that database "
        "(default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data")
    parser.add_argument(
        "--write", action="store_true", help="put the results into bench/RESULTS.md"
    )
    args = parser.parse_args()
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    return args


def archive_text(number: int, rng: random.Random) -> str:
    """One archive article, 2–4 KB like the station's news items."""
    H, M, S = divmod(number % 86_400, 3600)[0], (number // 60) % 60, number % 60
    date_line = rng.choice(DATE_LINES).format(
        d=1 + number % 28, m=1 + number % 12, y=2005 + number % 20, H=H, M=M, S=S
    )
    paragraphs = [
        " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(6, 12))
    ]
    if number % 10 == 0:
        paragraphs[0] = paragraphs[0].replace("Đồng chí", "Ðồng chí")  # U+00D0
    if number % 10 == 1:
        paragraphs[1] = paragraphs[1].replace(". ", ".", 1)  # glued sentences
    lines = [
        f"{rng.choice(TITLES)} (bản tin {number})",
        date_line,
        rng.choice(VIEW_LINES).format(n=rng.randint(0, 50_000)),
        *paragraphs,
    ]
    if number % 3 == 0:
        lines.append(f"Video: {number}_TTV.mp4")
    if number % 17 == 0:
        lines.append(f"Audio: {number}_PTTH.mp3")
    lines.append(", ".join(rng.sample(AUTHORS, rng.randint(1, 2))))
    if number % 2 == 0:
        lines.append("• Từ khóa: " + ", ".join(rng.sample(KEYWORDS, 2)))
    return "\n".join(lines) + "\n"


def write_archive(folder: Path, first: int, count: int) -> int:
    """``article-<n>.txt`` files; one in fifty in TCVN3 or VNI. Returns bytes."""
    from toasoan.importers.legacy_encodings import encode_tcvn3, encode_vni

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(first)
    size = 0
    for number in range(first, first + count):
        text = archive_text(number, rng)
        if number % 100 == 7:
            raw = encode_tcvn3(text)
        elif number % 100 == 57:
            raw = encode_vni(text)
        else:
            raw = text.encode("utf-8")
        (folder / f"article-{number}.txt").write_bytes(raw)
        size += len(raw)
    return size


def import_with_command(folder: Path, section) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    start = time.perf_counter()
    call_command("import_text", str(folder), "--section", str(section.pk), stdout=out)
    return time.perf_counter() - start, out.getvalue().strip().splitlines()[-1]


def import_one_by_one(folder: Path, section) -> float:
    """Wagtail's way: each article saved, revised and published on its own."""
    from django.db import transaction

    from toasoan.importers.services import (
        IncomingFile,
        find_text_files,
        save_article_alone,
    )

    start = time.perf_counter()
    for path in find_text_files([folder]):
        item = IncomingFile.read(path)
        with transaction.atomic():
            save_article_alone(item, section)
    return time.perf_counter() - start


def read_alone(folder: Path) -> float:
    """What the command's reading process does for each file (parse, sanitise,
    search keys): with 2 cores, the import can go no faster than this."""
    from toasoan.importers.services import IncomingFile, find_text_files

    start = time.perf_counter()
    for path in find_text_files([folder]):
        IncomingFile.read(path)
    return time.perf_counter() - start


def check(section, count: int) -> None:
    from toasoan.news.models import Article
    from toasoan.search.backends import get_backend
    from toasoan.search.services import search_articles

    articles = Article.objects.filter(section=section)
    assert articles.count() == count, articles.count()
    assert not articles.filter(live_revision__isnull=True).exists()
    assert articles.filter(live=True).count() == count
    assert articles.values("legacy_id").distinct().count() == count
    assert get_backend().indexed_count() >= count
    found = search_articles("ban tin 7").total
    assert found >= 1, "search does not find the imported articles"


def run(args: argparse.Namespace, command: str, timings: dict[str, float]) -> None:
    from django.db import connection

    from toasoan.news.models import HomePage

    work = Path(tempfile.mkdtemp(prefix="toasoan-imports-files-"))
    try:
        home = HomePage.objects.get()
        archive = add_section(home, "Lưu trữ", "luu-tru")
        archive.legacy_id = 46
        archive.save(update_fields=["legacy_id"])
        baseline = add_section(home, "Lưu trữ (từng bài)", "luu-tru-tung-bai")
        size = phase(
            timings,
            "write files",
            lambda: write_archive(work / "archive", 1, args.articles),
        )
        write_archive(work / "baseline", 10_000_000, args.baseline)
        reading = read_alone(work / "archive")
        ours, summary = import_with_command(work / "archive", archive)
        timings["import"] = ours
        check(archive, args.articles)
        again, again_summary = import_with_command(work / "archive", archive)
        assert f"{args.articles} không đổi / unchanged" in again_summary, again_summary
        one_by_one = import_one_by_one(work / "baseline", baseline)
        check(baseline, args.baseline)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n, b = args.articles, args.baseline
    rows = [
        ("reading alone: parse, sanitise, search keys (no database)", n, reading),
        ("**ours**: `import-text`, batches published together", n, ours),
        ("again, nothing changed (every file found unchanged)", n, again),
        ("baseline: one by one, Wagtail `save_revision().publish()`", b, one_by_one),
    ]
    report = [
        f"Command: `{command}`",
        "",
        *[f"- {k}: {v}" for k, v in machine_info().items()],
        f"- archive: {n:,} files, {size / 1e6:,.0f} MB (2 in 100 in TCVN3/VNI)",
        "",
        "| what | articles | seconds | articles/s |",
        "|---|---:|---:|---:|",
        *[f"| {what} | {c:,} | {s:,.1f} | {c / s:,.0f} |" for what, c, s in rows],
        "",
        f"Ours is {(n / ours) / (b / one_by_one):,.0f}× the one-by-one rate. "
        f"The command's summary: {summary}",
        "",
    ]
    text = "\n".join(report)
    print(text)
    if args.write:
        vendor = connection.vendor
        replace_results_block(
            f"imports-{vendor}",
            f"## Archive import, {ENGINE_NAMES.get(vendor, vendor)}",
            text,
        )
    log(f"Phases: {timings}")


def main() -> None:
    run_in_scratch_database("imports", parse_args(), run)


if __name__ == "__main__":
    sys.exit(main())
