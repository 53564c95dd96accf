"""An import writes PostgreSQL's search vectors itself (tsvector_text): they must
be the vectors the server's own to_tsvector makes, or searches would differ."""

import csv

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from toasoan.search.backends import PostgreSQLBackend, SQLiteBackend, tsvector_text
from toasoan.search.documents import FIELDS, build_document, field_keys

VECTORS = SHARED / "vi-search" / "vectors.tsv"
WEIGHTS = PostgreSQLBackend._SETWEIGHT

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own vectors"
)


def server_vector(fields: list[tuple[str, str]]) -> str:
    expression = (
        " || ".join("setweight(to_tsvector('simple', %s), %s)" for _ in fields)
        or "''::tsvector"
    )
    params = [value for keys, weight in fields for value in (keys, weight)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({expression})::text", params)
        return cursor.fetchone()[0]


def written_vector(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector::text", [text])
        return cursor.fetchone()[0]


def documents() -> list[dict[str, str]]:
    texts = ["Đà Nẵng COVID-19 năm 2019 007 0 中文 H'Mông kỹ thuật " * 20]
    if VECTORS.exists():
        with VECTORS.open(encoding="utf-8", newline="") as handle:
            texts += [
                row["document_text"] for row in csv.DictReader(handle, delimiter="\t")
            ]
    return [
        {"title": text[:80], "lead": "", "body": text, "keywords": "y tế ; Thái Bình",
         "byline": "Cao Biền"}
        for text in texts
    ]  # fmt: skip


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["folded", "exact"])
def test_written_vectors_are_the_servers(kind):
    for fields in documents():
        doc = build_document(1, fields)
        pairs = [(getattr(doc, kind)[f], WEIGHTS[f]) for f in FIELDS]
        assert written_vector(tsvector_text(pairs)) == server_vector(pairs)


@on_postgresql
@pytest.mark.django_db
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.lists(st.from_regex(r"[a-z]{1,3}[0-9]{0,2}|[0-9]{1,4}", fullmatch=True)),
            st.sampled_from("ABCD"),
        ),
        max_size=5,
    )
)
def test_any_keys_make_the_servers_vector(fields):
    pairs = [(" ".join(keys), weight) for keys, weight in fields]
    assert written_vector(tsvector_text(pairs)) == server_vector(pairs)


def test_what_postgresql_would_clip_is_left_to_it():
    assert tsvector_text([("a " * 255, "A")]) is not None
    assert tsvector_text([("a " * 256, "A")]) is None  # 256 positions of one key
    many = " ".join(f"k{n}" for n in range(16_383))
    assert tsvector_text([(many, "D")]) is not None
    assert tsvector_text([(many + " z", "D")]) is None  # past position 16,383
    assert tsvector_text([("x" * 256, "D")]) is None
    assert tsvector_text([("Đà", "D")]) is None


@pytest.mark.django_db
def test_new_documents_are_indexed_as_upserted_ones():
    backend = (
        PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()
    )
    fields = documents()[0]
    backend.add_many([build_document(1, fields)])
    backend.upsert_many([build_document(2, fields)])
    texts = backend.folded_texts([1, 2])
    assert texts[1] == texts[2] != ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT (folded, exact, facets)) "
                "FROM search_article_index WHERE article_id IN (1, 2)"
            )
            assert cursor.fetchone()[0] == 1


def test_known_keys_are_used_only_for_their_own_text():
    fields = {"title": "Hà Nội", "body": "Đà Nẵng"}
    known = {"Hà Nội": ("ha noi", "ha2 no65i"), "Huế": ("wrong", "wrong")}
    doc = build_document(1, fields, known_keys=known)
    assert doc.folded["title"] == "ha noi"
    assert (doc.folded["body"], doc.exact["body"]) == field_keys("Đà Nẵng")
