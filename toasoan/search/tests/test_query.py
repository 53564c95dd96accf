"""The query language, and that nothing typed reaches a database as syntax."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toasoan.search.backends import PostgreSQLBackend, SearchFilters, SQLiteBackend
from toasoan.search.query import order_pattern, parse_query


def test_words_phrases_exclusions_and_prefixes():
    query = parse_query('bóng đá -nữ “hòa bình” -"bình thái" thanh pho ho chi m*')
    required = [(t.folded, t.phrase, t.prefix, t.accented) for t in query.required]
    assert required == [
        (("bong",), False, False, True),
        (("da",), False, False, True),
        (("hoa", "binh"), True, False, True),
        (("thanh",), False, False, False),
        (("pho",), False, False, False),
        (("ho",), False, False, False),
        (("chi",), False, False, False),
        (("m",), False, True, False),
    ]
    assert [t.folded for t in query.excluded] == [("nu",), ("binh", "thai")]


def test_unbalanced_quotes_and_operators_are_just_words():
    query = parse_query('"hòa bình OR NEAR(a) ^ : *')
    assert [t.folded for t in query.required] == [
        ("hoa",),
        ("binh",),
        ("or",),
        ("near", "a"),
    ]


def test_empty_and_junk_queries_are_empty():
    for raw in ["", "   ", "*", '"', "-", "!!!", "\x00\x01", "%%%", "—…"]:
        assert parse_query(raw).is_empty


def test_huge_queries_are_cut():
    query = parse_query("thái bình " * 2000)
    assert len(query.text) <= 300
    assert len(query.required) <= 24


_KEYS = re.compile(r"^[a-z0-9]+$")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_any_text_becomes_safe_keys(raw):
    query = parse_query(raw)
    for term in query.required + query.excluded:
        for key in term.folded + term.exact:
            assert _KEYS.match(key), key
    if not query.is_empty:
        SQLiteBackend().match_expression(query, SearchFilters())
        folded, exact = PostgreSQLBackend().tsqueries(query)
        assert not set(folded) - set("abcdefghijklmnopqrstuvwxyz0123456789 ()&|!<->:*")
        re.compile(order_pattern(query.ordered_keys or ["a", "b"]))


def test_a_phrase_can_end_in_a_prefix():
    (term,) = parse_query('"thái b"*').required
    assert (term.folded, term.phrase, term.prefix) == (("thai", "b"), True, True)
