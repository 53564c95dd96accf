"""Running search test vectors (the format of ../shared/vi-search/vectors.tsv)
against the configured backend, in a throwaway index that is rolled back."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from toasoan.demo import content as demo_content
from toasoan.news.models import Article, HomePage, SectionPage
from toasoan.search.services import index_article, search_articles

COLUMNS = ("query", "document_text", "should_match", "note")


class VectorFileError(ValueError):
    pass


@dataclass
class VectorRow:
    line: int
    query: str
    document: str
    should_match: bool
    note: str


@dataclass
class VectorOutcome:
    row: VectorRow
    matched: bool

    @property
    def passed(self) -> bool:
        return self.matched == self.row.should_match


def read_vectors(path: Path) -> list[VectorRow]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise VectorFileError(
            f"{path}: không đọc được / cannot read: {exc.strerror}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise VectorFileError(f"{path}: không phải UTF-8 / not UTF-8") from exc
    reader = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header[:3]) != COLUMNS[:3]:
        raise VectorFileError(
            f"{path}:1: cần cột / expected columns: {', '.join(COLUMNS)}"
        )
    rows = []
    for number, fields in enumerate(reader, start=2):
        if not any(fields):
            continue
        if len(fields) < 3 or fields[2].strip() not in ("yes", "no"):
            raise VectorFileError(
                f"{path}:{number}: dòng sai định dạng / malformed row"
            )
        rows.append(
            VectorRow(
                number,
                fields[0],
                fields[1],
                fields[2].strip() == "yes",
                fields[3] if len(fields) > 3 else "",
            )
        )
    return rows


def run_vectors(rows: list[VectorRow]) -> list[VectorOutcome]:
    """Each row's document goes into an index that also holds the demo articles as
    background; nothing is kept."""
    outcomes = []
    with transaction.atomic():
        section = _scratch_section()
        for item in demo_content.ARTICLES:
            _publish(section, item["title"], item["lead"], " ".join(item["body"]))
        for row in rows:
            with transaction.atomic():
                article = _publish(section, "Bài kiểm tra", "", row.document)
                results = search_articles(row.query, per_page=1000)
                matched = any(hit.article.pk == article.pk for hit in results.hits)
                outcomes.append(VectorOutcome(row, matched))
                transaction.set_rollback(True)
        transaction.set_rollback(True)
    return outcomes


def _scratch_section() -> SectionPage:
    home = HomePage.objects.order_by("path").first()
    section = SectionPage(title="Kiểm tra tìm kiếm", slug="kiem-tra-tim-kiem-tam")
    home.add_child(instance=section)
    return section


def _publish(section: SectionPage, title: str, lead: str, body: str) -> Article:
    article = Article.objects.create(
        title=title,
        lead=lead,
        body=f"<p>{escape(body)}</p>",
        section=section,
        locale=section.locale,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    index_article(article)
    return article
