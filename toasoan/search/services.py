"""Vietnamese search over published articles: indexing, querying, snippets."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale

from toasoan.core.vietnamese import slugify_vi
from toasoan.news.models import Article, Keyword
from toasoan.search.backends import SearchFilters, get_backend
from toasoan.search.documents import Facets, build_document, html_to_text
from toasoan.search.models import IndexState
from toasoan.search.query import SearchQuery, parse_query
from toasoan.search.ranking import Candidate, Ranking, rank_page, window_for
from toasoan.search.spelling import suggest_spelling
from toasoan.search.syllables import KEY_VERSION, clean_text, first_match, syllables
from toasoan.search.typing import convert_typing

SNIPPET_LENGTH = 220


def article_fields(article: Article) -> dict[str, str]:
    return {
        "title": article.title,
        "lead": article.lead,
        "body": html_to_text(article.body),
        # Through tagged_keywords so that a reindex's prefetch is used.
        "keywords": " ; ".join(t.tag.name for t in article.tagged_keywords.all()),
        "byline": " ; ".join(b.display_name for b in article.bylines.all()),
    }


def article_facets(article: Article) -> Facets:
    return Facets(
        locale_id=article.locale_id,
        section_id=article.section_id,
        has_video=article.video_id is not None,
    )


def article_document(
    article: Article,
    known_keys: Mapping[str, tuple[str, str]] | None = None,
    languages: Mapping[int, str] | None = None,
):
    """The article's search entry, in its edition's language (``languages``:
    locale id → language code, when the caller has them all at hand)."""
    language = (
        languages[article.locale_id]
        if languages is not None
        else article.locale.language_code
    )
    return build_document(
        article.pk,
        article_fields(article),
        article_facets(article),
        known_keys,
        language,
    )


def _languages() -> dict[int, str]:
    return dict(Locale.objects.values_list("pk", "language_code"))


def index_article(article: Article) -> None:
    """Put a published article in the index, or take out one that is not public."""
    if not article.live or article.withdrawn_at:
        remove_article(article.pk)
        return
    get_backend().upsert(article_document(article))


def index_articles(
    articles: list[Article], known_keys: Mapping[str, tuple[str, str]] | None = None
) -> None:
    """``index_article`` for many new, live articles at once, none of them in
    the index yet; ``known_keys`` as ``build_document`` takes them."""
    languages = _languages()
    get_backend().add_many(
        [article_document(a, known_keys, languages) for a in articles]
    )


def remove_article(article_id: int) -> None:
    get_backend().delete(article_id)


def ensure_index_current() -> bool:
    """Rebuild the index when it was built with other key rules (post_migrate).

    Returns True when it rebuilt. A new database has no state and an empty index,
    so its "rebuild" costs nothing."""
    state = IndexState.objects.first()
    if state and state.key_version == KEY_VERSION:
        return False
    reindex_all()
    IndexState.objects.update_or_create(pk=1, defaults={"key_version": KEY_VERSION})
    return True


def reindex_all(
    progress: Callable[[int, int], None] | None = None, batch: int = 500
) -> int:
    """Rebuild the index from every live article; returns how many were indexed."""
    backend = get_backend()
    articles = Article.objects.filter(live=True, withdrawn_at__isnull=True).order_by(
        "pk"
    )
    total = articles.count()
    done = 0
    languages = _languages()
    with transaction.atomic():
        backend.clear()
        last_pk = 0
        while True:
            chunk = list(
                articles.filter(pk__gt=last_pk).prefetch_related(
                    "tagged_keywords__tag", "bylines__author"
                )[:batch]
            )
            if not chunk:
                break
            backend.upsert_many([article_document(a, None, languages) for a in chunk])
            done += len(chunk)
            last_pk = chunk[-1].pk
            if progress:
                progress(done, total)
    return done


@dataclass
class SearchHit:
    article: Article
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    total_estimated: bool = False  # "khoảng" so many: see ranking.rank_page
    page: int = 1
    per_page: int = 20
    # The query as typed, when what we searched is its Telex/VNI reading.
    corrected_from: str | None = None
    # "Có phải bạn muốn tìm: …" when nothing was found.
    suggestion: str | None = None

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def summary(self) -> dict:
        """What JSON answers say about the search, besides its hits."""
        return {
            "query": self.query.text,
            "corrected_from": self.corrected_from,
            "suggestion": self.suggestion,
            "total": self.total,
            "total_estimated": self.total_estimated,
            "page": self.page,
            "pages": self.num_pages,
        }


def search_articles(
    raw_query: str,
    filters: SearchFilters | None = None,
    *,
    newest_first: bool = False,
    page: int = 1,
    per_page: int = 20,
    language: str | None = None,
) -> SearchResults:
    """Search published articles as a reader typed, with the analyser of the
    edition's ``language`` (by default the one of ``filters.locale_id``, else
    Vietnamese); a Vietnamese query that finds nothing is tried once more as
    Telex/VNI typing."""
    filters = replace(filters or SearchFilters())
    filters.now = filters.now or timezone.now()
    if language is None:
        language = (
            Locale.objects.filter(pk=filters.locale_id)
            .values_list("language_code", flat=True)
            .first()
            if filters.locale_id
            else None
        ) or "vi"
    if filters.locale_id and Locale.objects.count() == 1:
        # Every article is in the one language: its facet would select them all,
        # at a cost (measured: up to 35 ms on 100,000 articles).
        filters.locale_id = None
    query = parse_query(raw_query, language)
    results = _run(query, filters, newest_first, page, per_page, language)
    if language != "vi":
        # Telex typing and suggestions from the index's words (stems, here)
        # are for Vietnamese.
        return results
    if results.total == 0 and not query.is_empty:
        typed = convert_typing(query.text)
        if typed:
            retry = _run(parse_query(typed), filters, newest_first, page, per_page)
            if retry.total:
                retry.corrected_from = query.text
                return retry
        results.suggestion = suggest_spelling(query, get_backend())
    return results


def rank_articles(
    query: SearchQuery,
    filters: SearchFilters,
    newest_first: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> Ranking:
    """Which articles, in which order, and how many: the database's count and best
    candidates, reranked (ranking.py)."""
    backend = get_backend()
    matched = backend.count(query, filters)
    if not matched:
        return Ranking([], 0)
    window = window_for(offset, limit)
    found = backend.candidates(query, filters, newest_first, window)
    dates = dict(
        Article.objects.filter(
            pk__in=[pk for pk, _ in found], live=True, withdrawn_at__isnull=True
        ).values_list("pk", "published_at")
    )
    candidates = [
        Candidate(pk, relevance, dates[pk]) for pk, relevance in found if pk in dates
    ]
    texts = (
        backend.folded_texts([c.article_id for c in candidates])
        if query.ordered_keys
        else {}
    )
    return rank_page(
        query,
        candidates,
        texts,
        matched,
        window,
        filters.now,
        newest_first,
        offset,
        limit,
    )


def _run(query, filters, newest_first, page, per_page, language="vi") -> SearchResults:
    results = SearchResults(query=query, per_page=per_page)
    if query.is_empty:
        return results
    ranking = rank_articles(
        query, filters, newest_first, per_page, (max(page, 1) - 1) * per_page
    )
    ids = ranking.article_ids
    by_id = Article.objects.select_related("section", "locale").in_bulk(ids)
    results.total = ranking.total
    results.total_estimated = ranking.estimated
    results.page = page
    results.hits = [
        SearchHit(
            article=by_id[i],
            title_html=highlight(by_id[i].title, query, language),
            snippet_html=snippet(by_id[i], query, language),
        )
        for i in ids
        if i in by_id
    ]
    return results


def _matches(query: SearchQuery) -> Callable[[str], bool]:
    keys = query.folded_keys
    prefixes = tuple(t.folded[-1] for t in query.required if t.prefix)
    return lambda key: key in keys or bool(prefixes and key.startswith(prefixes))


def _words(text: str, language: str):
    if language == "vi":
        return syllables(text)
    from toasoan.search.english import words

    return words(text)


def highlight(text: str, query: SearchQuery, language: str = "vi") -> SafeString:
    """``text`` escaped, with the syllables the query matched in <mark>, spelled as
    the article spells them."""
    text = clean_text(text)
    matches = _matches(query)
    out, cursor = [], 0
    for syllable in _words(text, language):
        if matches(syllable.folded):
            out.append(escape(text[cursor : syllable.start]))
            out.append(f"<mark>{escape(syllable.text)}</mark>")
            cursor = syllable.end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))


def snippet(article: Article, query: SearchQuery, language: str = "vi") -> SafeString:
    """A window of the lead or body around the first match, else the lead's start."""
    keys = query.folded_keys
    prefixes = tuple(t.folded[-1] for t in query.required if t.prefix)
    matches = _matches(query)
    for source in (article.lead, html_to_text(article.body)):
        text = " ".join(clean_text(source or "").split())
        if language == "vi":
            first = first_match(text, keys, prefixes)
        else:
            first = next((w for w in _words(text, language) if matches(w.folded)), None)
        if first is None:
            continue
        start = max(0, first.start - SNIPPET_LENGTH // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        window = text[start : start + SNIPPET_LENGTH]
        if start + SNIPPET_LENGTH < len(text):
            window = window.rsplit(" ", 1)[0] + " …"
        return mark_safe(("… " if start else "") + highlight(window, query, language))
    fallback = " ".join(clean_text(article.lead or html_to_text(article.body)).split())
    return escape(fallback[:SNIPPET_LENGTH])


def autocomplete(
    raw: str, filters: SearchFilters | None = None, limit: int = 8
) -> dict:
    """Keywords and article titles for what has been typed so far, with or without
    diacritics: the last syllable is taken as a prefix."""
    text = clean_text(raw)[:100].strip()
    prefix = slugify_vi(text, max_length=90)
    if len(prefix) < 2:
        return {"keywords": [], "articles": []}
    keywords = Keyword.objects.filter(slug__startswith=prefix).order_by("name")[:5]
    # The words typed so far, in order and adjacent, the last one unfinished.
    phrase = text.replace('"', " ")
    query = f'"{phrase}"' + ("*" if text[-1:].isalnum() else "")
    hits = search_articles(query, filters, per_page=limit).hits
    return {
        "keywords": [{"name": k.name, "url": k.get_absolute_url()} for k in keywords],
        "articles": [
            {"title": h.article.title, "url": h.article.get_absolute_url()}
            for h in hits
        ],
    }
