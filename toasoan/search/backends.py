"""The two index backends: SQLite FTS5 (embedded) and PostgreSQL tsvector + GIN.

Both index the same precomputed ASCII keys (documents.py), so they find the same
articles. Each does the first stage of ranking, which needs the whole match set:
it counts the matches and hands over the best candidates by field-weighted
relevance, exact spellings counting extra. Filters by language, section and video
are keys in the index too, so that a search never joins the article table unless
a date range is asked for. ranking.py does the rest. Queries reach the database
only as [a-z0-9] keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from toasoan.search.documents import FIELDS, WEIGHTS, Facets, SearchDocument
from toasoan.search.query import SearchQuery, Term

FTS_TABLE = "search_article_fts"
PG_TABLE = "search_article_index"


@dataclass
class SearchFilters:
    locale_id: int | None = None
    section_ids: list[int] | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None
    has_video: bool = False
    now: datetime | None = None

    @property
    def needs_article_table(self) -> bool:
        return bool(self.published_from or self.published_to)

    def facet_groups(self) -> list[list[str]]:
        """Facet keys the article must hold: one of each group."""
        groups = [Facets(locale_id=self.locale_id).keys()]
        if self.section_ids:
            groups.append([f"s{int(pk)}" for pk in self.section_ids])
        if self.has_video:
            groups.append(["video"])
        return [group for group in groups if group]


def _safe(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key)


def _pairs_in(select: str, values: list) -> dict:
    """``select ... WHERE column`` IN ``values``, as a dict of its two columns."""
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"{select} IN ({placeholders})", list(values))
        return dict(cursor.fetchall())


def _date_where(filters: SearchFilters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.published_from:
        clauses.append("a.published_at >= %s")
        params.append(filters.published_from)
    if filters.published_to:
        clauses.append("a.published_at < %s")
        params.append(filters.published_to)
    return " AND ".join(clauses), params


class SQLiteBackend:
    vendor = "sqlite"
    folded_columns = [f"{f}_f" for f in FIELDS]
    exact_columns = [f"{f}_e" for f in FIELDS]
    columns = [*folded_columns, *exact_columns, "facets"]
    # bm25() weights in column order; the facet keys never count for relevance.
    weights = ", ".join(str(WEIGHTS[f]) for f in FIELDS * 2) + ", 0.0"

    @classmethod
    def create_sql(cls) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            f"{', '.join(cls.columns)}, "
            "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_vocab "
            f"USING fts5vocab({FTS_TABLE}, 'row')",
        ]

    def upsert(self, doc: SearchDocument) -> None:
        self.upsert_many([doc])

    def upsert_many(self, docs: list[SearchDocument]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",
                [[doc.article_id] for doc in docs],
            )
        self.add_many(docs)

    def add_many(self, docs: list[SearchDocument]) -> None:
        """Documents of articles not in the index yet."""
        rows = [
            [
                doc.article_id,
                *[doc.folded[f] for f in FIELDS],
                *[doc.exact[f] for f in FIELDS],
                " ".join(doc.facets.keys()),
            ]
            for doc in docs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(self.columns)}) "
                f"VALUES (%s{', %s' * len(self.columns)})",
                rows,
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

    def _term(self, term: Term, ranked: bool) -> str:
        folded = self._phrase(self.folded_columns, term.folded, term.prefix)
        if not (ranked and term.accented):
            return f"({folded})"
        exact = self._phrase(self.exact_columns, term.exact, term.prefix)
        # Exact spellings match a subset of the folded ones: the OR adds no
        # articles, only score, so "mã" ranks above "ma".
        return f"({folded} OR {exact})"

    def match_expression(
        self, query: SearchQuery, filters: SearchFilters, ranked: bool = True
    ) -> str:
        """The FTS5 query; unranked (for counting) it leaves out exact spellings,
        which find the same articles."""
        expression = " AND ".join(self._term(t, ranked) for t in query.required)
        for group in filters.facet_groups():
            keys = " OR ".join(f'"{_safe(key)}"' for key in group)
            expression += f" AND {{facets}} : ({keys})"
        for term in query.excluded:
            expression += f" NOT ({self._phrase(self.folded_columns, term.folded)})"
        return expression

    def _from(
        self, filters: SearchFilters, newest_first: bool = False
    ) -> tuple[str, list]:
        if not (filters.needs_article_table or newest_first):
            return f"FROM {FTS_TABLE} f WHERE {FTS_TABLE} MATCH %s", []
        where, params = _date_where(filters)
        return (
            f"FROM {FTS_TABLE} f JOIN news_article a ON a.id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s{' AND ' + where if where else ''}",
            params,
        )

    def count(self, query: SearchQuery, filters: SearchFilters) -> int:
        source, params = self._from(filters)
        match = self.match_expression(query, filters, ranked=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {source}", [match, *params])
            return cursor.fetchone()[0]

    def candidates(
        self, query: SearchQuery, filters: SearchFilters, newest_first: bool, limit: int
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` (article id, relevance) pairs, best or newest first."""
        source, params = self._from(filters, newest_first)
        order = (
            "a.published_at DESC, f.rowid DESC"
            if newest_first
            else f"bm25({FTS_TABLE}, {self.weights})"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.rowid, -bm25({FTS_TABLE}, {self.weights}) {source} "
                f"ORDER BY {order} LIMIT %s",
                [self.match_expression(query, filters), *params, limit],
            )
            return cursor.fetchall()

    def folded_texts(self, article_ids: list[int]) -> dict[int, str]:
        """Each article's folded keys, fields on lines of their own."""
        if not article_ids:
            return {}
        text = " || char(10) || ".join(self.folded_columns)
        return _pairs_in(
            f"SELECT rowid, {text} FROM {FTS_TABLE} WHERE rowid", article_ids
        )

    def document_counts(self, keys: list[str]) -> dict[str, int]:
        """How many articles hold each key (folded or exact), from FTS5's vocabulary."""
        keys = [k for k in map(_safe, keys) if k]
        if not keys:
            return {}
        return _pairs_in(f"SELECT term, doc FROM {FTS_TABLE}_vocab WHERE term", keys)

    def keys_starting(self, prefix: str, limit: int = 300) -> dict[str, int]:
        prefix = _safe(prefix)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {FTS_TABLE}_vocab WHERE term >= %s AND term < %s "
                "LIMIT %s",
                [prefix, prefix + "{", limit],
            )
            return dict(cursor.fetchall())


# Where PostgreSQL's to_tsvector would clip (a position past 16,383, a key
# more than 255 times, a key over 2,047 bytes), tsvector_text leaves the vector
# to the server.
_LAST_POSITION = 16_383
_MOST_POSITIONS = 255
_PLAIN_KEYS = re.compile(r"[a-z0-9 ]*")
_LONG_KEY = re.compile(r"[a-z0-9]{256}")


def tsvector_text(fields: list[tuple[str, str]]) -> str | None:
    """The text form of ``setweight(to_tsvector('simple', keys), weight) || …``
    for (space-separated [a-z0-9] keys, weight) pairs, as PostgreSQL makes it:
    the n-th key of a field at position n after the last position of the
    fields before, the field's weight on each (D, the default, unwritten).
    None where PostgreSQL's limits would clip the vector."""
    positions: dict[str, list[str]] = {}
    at = 0
    for keys, weight in fields:
        if not _PLAIN_KEYS.fullmatch(keys) or _LONG_KEY.search(keys):
            return None
        mark = "" if weight == "D" else weight
        for key in keys.split():
            at += 1
            positions.setdefault(key, []).append(f"{at}{mark}")
    if at > _LAST_POSITION or any(
        len(found) > _MOST_POSITIONS for found in positions.values()
    ):
        return None
    return " ".join(f"'{key}':{','.join(found)}" for key, found in positions.items())


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
            "folded tsvector NOT NULL, exact tsvector NOT NULL, "
            "folded_text text NOT NULL, facets tsvector NOT NULL DEFAULT '')",
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_folded ON {PG_TABLE} USING gin (folded)",
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_exact ON {PG_TABLE} USING gin (exact)",
        ]

    def _vector(self) -> str:
        return " || ".join(
            f"setweight(to_tsvector('simple', %s), '{self._SETWEIGHT[f]}')"
            for f in FIELDS
        )

    def upsert(self, doc: SearchDocument) -> None:
        self.upsert_many([doc])

    def upsert_many(self, docs: list[SearchDocument]) -> None:
        rows = [
            [
                doc.article_id,
                *[doc.folded[f] for f in FIELDS],
                *[doc.exact[f] for f in FIELDS],
                "\n".join(doc.folded[f] for f in FIELDS),
                " ".join(doc.facets.keys()),
            ]
            for doc in docs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (article_id, folded, exact, folded_text, "
                f"facets) VALUES (%s, {self._vector()}, {self._vector()}, %s, "
                "to_tsvector('simple', %s)) ON CONFLICT (article_id) "
                "DO UPDATE SET folded = EXCLUDED.folded, exact = EXCLUDED.exact, "
                "folded_text = EXCLUDED.folded_text, facets = EXCLUDED.facets",
                rows,
            )

    def add_many(self, docs: list[SearchDocument]) -> None:
        """Documents of articles not in the index yet, their vectors written
        here (``tsvector_text``) and copied in: the server's own parsing of every
        key was most of its work in an archive import."""
        rows, unusual = [], []
        for doc in docs:
            folded = tsvector_text(
                [(doc.folded[f], self._SETWEIGHT[f]) for f in FIELDS]
            )
            exact = tsvector_text([(doc.exact[f], self._SETWEIGHT[f]) for f in FIELDS])
            facets = tsvector_text([(" ".join(doc.facets.keys()), "D")])
            if folded is None or exact is None or facets is None:
                unusual.append(doc)
                continue
            folded_text = "\n".join(doc.folded[f] for f in FIELDS)
            rows.append((doc.article_id, folded, exact, folded_text, facets))
        with connection.cursor() as cursor:
            copy_sql = (
                f"COPY {PG_TABLE} (article_id, folded, exact, folded_text, facets) "
                "FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        if unusual:
            self.upsert_many(unusual)

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
        for term in query.excluded:
            folded = f"({folded}) & !{self._phrase(term.folded, False)}"
        accented = [t for t in query.required if t.accented]
        exact = (
            " | ".join(self._phrase(t.exact, t.prefix) for t in accented) or "zzzznone"
        )
        return folded, exact

    def _where(self, query: SearchQuery, filters: SearchFilters) -> tuple[str, list]:
        folded, _ = self.tsqueries(query)
        where, params = "s.folded @@ to_tsquery('simple', %s)", [folded]
        groups = filters.facet_groups()
        if groups:
            facets = " & ".join(
                "(" + " | ".join(_safe(key) for key in group) + ")" for group in groups
            )
            where += " AND s.facets @@ to_tsquery('simple', %s)"
            params.append(facets)
        if filters.needs_article_table:
            dates, date_params = _date_where(filters)
            where += f" AND {dates}"
            params += date_params
        return where, params

    def _from(self, filters: SearchFilters, newest_first: bool = False) -> str:
        if filters.needs_article_table or newest_first:
            return f"FROM {PG_TABLE} s JOIN news_article a ON a.id = s.article_id"
        return f"FROM {PG_TABLE} s"

    def count(self, query: SearchQuery, filters: SearchFilters) -> int:
        where, params = self._where(query, filters)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) {self._from(filters)} WHERE {where}", params
            )
            return cursor.fetchone()[0]

    def candidates(
        self, query: SearchQuery, filters: SearchFilters, newest_first: bool, limit: int
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` (article id, relevance) pairs, best or newest first."""
        where, params = self._where(query, filters)
        folded, exact = self.tsqueries(query)
        rank = f"ts_rank_cd({self._RANK_WEIGHTS}, s.folded, to_tsquery('simple', %s))"
        rank_params = [folded]
        if any(t.accented for t in query.required):
            # Reading the exact vector costs as much as the folded one: only when
            # the reader typed marks is it worth it.
            rank += (
                f" + ts_rank_cd({self._RANK_WEIGHTS}, s.exact, "
                "to_tsquery('simple', %s))"
            )
            rank_params.append(exact)
        order = "a.published_at DESC, s.article_id DESC" if newest_first else "2 DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.article_id, {rank} {self._from(filters, newest_first)} "
                f"WHERE {where} ORDER BY {order} LIMIT %s",
                [*rank_params, *params, limit],
            )
            return cursor.fetchall()

    def folded_texts(self, article_ids: list[int]) -> dict[int, str]:
        """Each article's folded keys, fields on lines of their own."""
        if not article_ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, folded_text FROM {PG_TABLE} "
                "WHERE article_id = ANY(%s)",
                [list(article_ids)],
            )
            return dict(cursor.fetchall())

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
