"""The second stage of ranking, pure Python (no Django).

The database counts the matches and hands over its best candidates by BM25 (or
its newest ones); ranking them here costs the same whether a query matches fifty
articles or ninety thousand. What the database cannot do cheaply happens here:

- plain words keep their typed order: "Thái Bình" does not find "Bình Thái"
  (words in between are allowed); checking that in SQL meant a regular expression
  over every matching article's text, seconds on a large archive;
- plain words found side by side, in order, rank higher than scattered ones;
- newer articles get a bounded freshness boost that fades over a month, so a
  strong older match still beats a weak new one.

Only the best ``RERANK_WINDOW`` candidates by BM25 are reranked (more on deep
pages), so a bonus can lift an article within that window but not from beyond it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from toasoan.search.query import SearchQuery, order_pattern

RERANK_WINDOW = 200
FRESHNESS_BOOST = 0.3  # up to 30% more for an article published today
FRESHNESS_DAYS = 30.0
ADJACENT_BONUS = 0.5  # plain words found side by side: 50% more


@dataclass(frozen=True)
class Candidate:
    article_id: int
    relevance: float  # from the database, higher is better
    published_at: datetime


@dataclass
class Ranking:
    article_ids: list[int]
    total: int
    # True when the total is extrapolated from the candidates checked for word
    # order, because there were too many matches to check them all.
    estimated: bool = False


def window_for(offset: int, limit: int) -> int:
    return max(RERANK_WINDOW, 2 * (offset + limit))


def freshness(published_at: datetime, now: datetime) -> float:
    days = max(0.0, (now - published_at).total_seconds() / 86400.0)
    return 1.0 + FRESHNESS_BOOST / (1.0 + days / FRESHNESS_DAYS)


@lru_cache(maxsize=256)
def _pattern(keys: tuple[str, ...]) -> re.Pattern:
    return re.compile(order_pattern(list(keys)))


def in_typed_order(text: str, keys: list[str]) -> bool:
    return len(keys) < 2 or bool(_pattern(tuple(keys)).search(text))


def side_by_side(text: str, keys: tuple[str, ...]) -> bool:
    phrase = " ".join(keys)
    return any(f" {phrase} " in f" {line} " for line in text.split("\n"))


def rerank(
    query: SearchQuery,
    candidates: list[Candidate],
    texts: dict[int, str],
    now: datetime,
    newest_first: bool,
) -> list[Candidate]:
    """The candidates a reader may see, best (or newest) first. ``texts`` holds
    the folded index text of each candidate when the query has plain words whose
    order counts; articles dated in the future are not shown yet."""
    ordered, adjacent = query.ordered_keys, query.adjacent_keys
    kept: list[tuple[float, Candidate]] = []
    for candidate in candidates:
        if candidate.published_at > now:
            continue
        text = texts.get(candidate.article_id, "")
        if ordered and not in_typed_order(text, ordered):
            continue
        score = candidate.relevance * freshness(candidate.published_at, now)
        if adjacent and side_by_side(text, adjacent):
            score *= 1.0 + ADJACENT_BONUS
        kept.append((score, candidate))
    if newest_first:
        kept.sort(key=lambda pair: pair[1].published_at, reverse=True)
    else:
        kept.sort(key=lambda pair: (pair[0], pair[1].published_at), reverse=True)
    return [candidate for _, candidate in kept]


def rank_page(
    query: SearchQuery,
    candidates: list[Candidate],
    texts: dict[int, str],
    matched: int,
    window: int,
    now: datetime,
    newest_first: bool,
    offset: int,
    limit: int,
) -> Ranking:
    """One page of a ranking, and its total: exact when every match was among the
    candidates; when there were more, and plain words had to be checked for their
    order, the database's count scaled by the share of candidates kept."""
    ranked = rerank(query, candidates, texts, now, newest_first)
    page = [c.article_id for c in ranked[offset : offset + limit]]
    if len(candidates) < window:
        return Ranking(page, len(ranked))
    if query.ordered_keys:
        share = len(ranked) / len(candidates)
        return Ranking(page, max(len(ranked), round(matched * share)), estimated=True)
    return Ranking(page, matched - (len(candidates) - len(ranked)))
