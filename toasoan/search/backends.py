"""The two index backends: SQLite FTS5 (embedded) and PostgreSQL tsvector + GIN.

Both index the same precomputed ASCII keys (documents.py), so they find the same
articles; both rank with field weights, exact-spelling and adjacency bonuses and a
bounded freshness boost. Queries reach the database only as [a-z0-9] keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from toasoan.search.documents import FIELDS, WEIGHTS, SearchDocument
from toasoan.search.query import SearchQuery, Term, order_pattern

FTS_TABLE = "search_article_fts"
PG_TABLE = "search_article_index"
# Newer articles get up to this much extra score, fading over about a month, so
# that a strong older match still beats a weak new one.
FRESHNESS_BOOST = 0.3
FRESHNESS_DAYS = 30.0


@dataclass
class SearchFilters:
    locale_id: int | None = None
    section_ids: list[int] | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None
    has_video: bool = False
    now: datetime | None = None


def _safe(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key)


def _article_where(filters: SearchFilters) -> tuple[str, list]:
    clauses, params = ["a.live", "a.published_at <= %s"], [filters.now]
    if filters.locale_id:
        clauses.append("a.locale_id = %s")
        params.append(filters.locale_id)
    if filters.section_ids:
        clauses.append(
            f"a.section_id IN ({', '.join(['%s'] * len(filters.section_ids))})"
        )
        params.extend(filters.section_ids)
    if filters.published_from:
        clauses.append("a.published_at >= %s")
        params.append(filters.published_from)
    if filters.published_to:
        clauses.append("a.published_at < %s")
        params.append(filters.published_to)
    if filters.has_video:
        clauses.append("a.video_id IS NOT NULL")
    return " AND ".join(clauses), params


class SQLiteBackend:
    vendor = "sqlite"
    folded_columns = [f"{f}_f" for f in FIELDS]
    exact_columns = [f"{f}_e" for f in FIELDS]

    @classmethod
    def create_sql(cls) -> list[str]:
        columns = ", ".join(cls.folded_columns + cls.exact_columns)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            f"{columns}, tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_vocab "
            f"USING fts5vocab({FTS_TABLE}, 'row')",
        ]

    def upsert(self, doc: SearchDocument) -> None:
        values = [doc.folded[f] for f in FIELDS] + [doc.exact[f] for f in FIELDS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [doc.article_id]
            )
            columns = ", ".join(self.folded_columns + self.exact_columns)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, {columns}) "
                f"VALUES (%s{', %s' * len(values)})",
                [doc.article_id, *values],
            )

    def delete(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def indexed_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            return cursor.fetchone()[0]

    # -- queries ------------------------------------------------------------
    def _phrase(self, columns: list[str], keys: tuple[str, ...], prefix=False) -> str:
        """An FTS5 phrase limited to ``columns``; keys are [a-z0-9] only."""
        phrase = " ".join(_safe(k) for k in keys)
        return f'{{{" ".join(columns)}}} : "{phrase}"' + (" *" if prefix else "")

    def _term(self, term: Term) -> str:
        folded = self._phrase(self.folded_columns, term.folded, term.prefix)
        if not term.accented:
            return f"({folded})"
        exact = self._phrase(self.exact_columns, term.exact, term.prefix)
        # Exact spellings match a subset of the folded ones: the OR adds no
        # articles, only score, so "mã" ranks above "ma".
        return f"({folded} OR {exact})"

    def match_expression(self, query: SearchQuery) -> str:
        expression = " AND ".join(self._term(t) for t in query.required)
        if query.adjacent_keys:
            adjacent = self._phrase(self.folded_columns, query.adjacent_keys)
            expression = f"(({expression}) OR ({adjacent}))"
        for term in query.excluded:
            expression += f" NOT ({self._phrase(self.folded_columns, term.folded)})"
        return expression

    def search(
        self,
        query: SearchQuery,
        filters: SearchFilters,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[int], int]:
        where, params = _article_where(filters)
        match = self.match_expression(query)
        weights = ", ".join(str(WEIGHTS[f]) for f in FIELDS * 2)
        base = (
            f"FROM {FTS_TABLE} f JOIN news_article a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        if query.ordered_keys:
            text = " || char(10) || ".join(f"f.{c}" for c in self.folded_columns)
            base += f" AND ({text}) REGEXP %s"
            params = [*params, order_pattern(query.ordered_keys)]
        order = (
            "a.published_at DESC"
            if newest_first
            else f"bm25({FTS_TABLE}, {weights}) * (1.0 + {FRESHNESS_BOOST} / "
            f"(1.0 + max(0.0, julianday(%s) - julianday(a.published_at)) / {FRESHNESS_DAYS})) ASC, "
            "a.published_at DESC"
        )
        order_params = [] if newest_first else [filters.now]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [match, *params])
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT a.id {base} ORDER BY {order} LIMIT %s OFFSET %s",
                [match, *params, *order_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()], total

    def document_counts(self, keys: list[str]) -> dict[str, int]:
        """How many articles hold each key (folded or exact), from FTS5's vocabulary."""
        keys = [k for k in map(_safe, keys) if k]
        if not keys:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {FTS_TABLE}_vocab WHERE term IN "
                f"({', '.join(['%s'] * len(keys))})",
                keys,
            )
            return dict(cursor.fetchall())

    def keys_starting(self, prefix: str, limit: int = 300) -> dict[str, int]:
        prefix = _safe(prefix)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {FTS_TABLE}_vocab WHERE term >= %s AND term < %s "
                "LIMIT %s",
                [prefix, prefix + "{", limit],
            )
            return dict(cursor.fetchall())


class PostgreSQLBackend:
    vendor = "postgresql"
    # tsvector weights: title A, keywords and lead B, byline C, body D.
    _SETWEIGHT = {
        "title": "A",
        "keywords": "B",
        "lead": "B",
        "byline": "C",
        "body": "D",
    }
    _RANK_WEIGHTS = "'{0.1, 0.3, 0.6, 1.0}'"  # D, C, B, A

    @staticmethod
    def create_sql() -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (article_id bigint PRIMARY KEY, "
            "folded tsvector NOT NULL, exact tsvector NOT NULL, folded_text text NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_folded ON {PG_TABLE} USING gin (folded)",
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_exact ON {PG_TABLE} USING gin (exact)",
        ]

    def _vector(self) -> str:
        return " || ".join(
            f"setweight(to_tsvector('simple', %s), '{self._SETWEIGHT[f]}')"
            for f in FIELDS
        )

    def upsert(self, doc: SearchDocument) -> None:
        params = [
            doc.article_id,
            *[doc.folded[f] for f in FIELDS],
            *[doc.exact[f] for f in FIELDS],
            "\n".join(doc.folded[f] for f in FIELDS),
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PG_TABLE} (article_id, folded, exact, folded_text) VALUES "
                f"(%s, {self._vector()}, {self._vector()}, %s) ON CONFLICT (article_id) "
                "DO UPDATE SET folded = EXCLUDED.folded, exact = EXCLUDED.exact, "
                "folded_text = EXCLUDED.folded_text",
                params,
            )

    def delete(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {PG_TABLE} WHERE article_id = %s", [article_id]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_TABLE}")

    def indexed_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {PG_TABLE}")
            return cursor.fetchone()[0]

    @staticmethod
    def _phrase(keys: tuple[str, ...], prefix: bool) -> str:
        parts = [_safe(k) for k in keys]
        if prefix:
            parts[-1] += ":*"
        return "(" + " <-> ".join(parts) + ")"

    def tsqueries(self, query: SearchQuery) -> tuple[str, str]:
        folded = " & ".join(self._phrase(t.folded, t.prefix) for t in query.required)
        if query.adjacent_keys:
            folded = f"({folded}) | {self._phrase(query.adjacent_keys, False)}"
        for term in query.excluded:
            folded = f"({folded}) & !{self._phrase(term.folded, False)}"
        accented = [t for t in query.required if t.accented]
        exact = (
            " | ".join(self._phrase(t.exact, t.prefix) for t in accented) or "zzzznone"
        )
        return folded, exact

    def search(
        self,
        query: SearchQuery,
        filters: SearchFilters,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[int], int]:
        where, params = _article_where(filters)
        folded, exact = self.tsqueries(query)
        base = (
            f"FROM {PG_TABLE} s JOIN news_article a ON a.id = s.article_id "
            f"WHERE s.folded @@ to_tsquery('simple', %s) AND {where}"
        )
        if query.ordered_keys:
            base += " AND s.folded_text ~ %s"
            params = [*params, order_pattern(query.ordered_keys)]
        rank = (
            f"(ts_rank_cd({self._RANK_WEIGHTS}, s.folded, to_tsquery('simple', %s)) "
            f"+ ts_rank_cd({self._RANK_WEIGHTS}, s.exact, to_tsquery('simple', %s))) "
            f"* (1.0 + {FRESHNESS_BOOST} / (1.0 + greatest(0.0, extract(epoch from "
            f"(%s - a.published_at)) / 86400.0) / {FRESHNESS_DAYS}))"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [folded, *params])
            total = cursor.fetchone()[0]
            if newest_first:
                cursor.execute(
                    f"SELECT a.id {base} ORDER BY a.published_at DESC LIMIT %s OFFSET %s",
                    [folded, *params, limit, offset],
                )
            else:
                cursor.execute(
                    f"SELECT a.id {base} ORDER BY {rank} DESC, a.published_at DESC "
                    "LIMIT %s OFFSET %s",
                    [folded, *params, folded, exact, filters.now, limit, offset],
                )
            return [row[0] for row in cursor.fetchall()], total

    def document_counts(self, keys: list[str]) -> dict[str, int]:
        """Articles holding each folded key, counted in a sample of the articles that
        hold any of them (ts_stat over the whole index would read every row)."""
        keys = [k for k in map(_safe, keys) if k]
        if not keys:
            return {}
        return self._stat("folded", " | ".join(keys), keys)

    def keys_starting(self, prefix: str, limit: int = 300) -> dict[str, int]:
        """Exact keys starting with ``prefix``, from articles holding its folding."""
        folded = re.sub(r"\d", "", _safe(prefix)) or "a"
        stats = self._stat("exact", f"{folded}:*", None, column_filter="folded")
        return {w: n for w, n in stats.items() if w.startswith(_safe(prefix))}

    def _stat(
        self,
        column: str,
        tsquery: str,
        words,
        column_filter: str | None = None,
        sample: int = 500,
    ) -> dict[str, int]:
        # The inner statement is text for ts_stat; tsquery holds only [a-z0-9 |:*].
        inner = (
            f"SELECT {column} FROM {PG_TABLE} WHERE {column_filter or column} "
            f"@@ to_tsquery('simple', '{tsquery}') LIMIT {int(sample)}"
        )
        sql = "SELECT word, ndoc FROM ts_stat(%s)"
        params: list = [inner]
        if words is not None:
            sql += " WHERE word = ANY(%s)"
            params.append(list(words))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())


def get_backend():
    return PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()
