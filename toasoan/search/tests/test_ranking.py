"""The second stage of ranking, without a database."""

from datetime import UTC, datetime, timedelta

from toasoan.search.query import parse_query
from toasoan.search.ranking import (
    Candidate,
    freshness,
    in_typed_order,
    rank_page,
    side_by_side,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def days_ago(days):
    return NOW - timedelta(days=days)


def test_typed_order_allows_words_in_between_but_not_reversed():
    assert in_typed_order("ong nguyen van an phat bieu", ["nguyen", "an"])
    assert not in_typed_order("phuong binh thai to chuc", ["thai", "binh"])
    assert in_typed_order("tin tuc\nthai nguyen va binh dinh", ["thai", "binh"])
    assert not in_typed_order("thaibinh", ["thai", "binh"])


def test_side_by_side_needs_whole_keys_on_one_line():
    assert side_by_side("gia co de dieu o tien hai", ("de", "dieu"))
    assert not side_by_side("de\ndieu", ("de", "dieu"))
    assert not side_by_side("dep dieu", ("de", "dieu"))


def test_freshness_is_bounded_and_fades():
    assert freshness(NOW, NOW) == 1.3
    assert 1.0 < freshness(days_ago(400), NOW) < 1.03
    assert freshness(NOW + timedelta(hours=1), NOW) == 1.3


def test_rerank_drops_wrong_order_and_future_articles_and_lifts_adjacent():
    query = parse_query("thái bình")
    candidates = [
        Candidate(1, 10.0, days_ago(300)),  # scattered
        Candidate(2, 8.0, days_ago(300)),  # side by side: 8 × 1.5 beats 10
        Candidate(3, 50.0, days_ago(1)),  # reversed: dropped
        Candidate(4, 60.0, NOW + timedelta(days=1)),  # not published yet
    ]
    texts = {
        1: "thai nguyen\nhoa binh",
        2: "tinh thai binh",
        3: "binh thai",
        4: "thai binh",
    }
    ranking = rank_page(query, candidates, texts, 4, 200, NOW, False, 0, 20)
    assert ranking.article_ids == [2, 1]
    assert (ranking.total, ranking.estimated) == (2, False)
    newest = rank_page(query, candidates, texts, 4, 200, NOW, True, 0, 20)
    assert newest.article_ids == [1, 2]  # same age: stable order


def test_total_is_estimated_only_when_matches_were_left_unchecked():
    query = parse_query("thái bình")
    candidates = [Candidate(i, 1.0, days_ago(i)) for i in range(1, 5)]
    texts = {1: "thai binh", 2: "binh thai", 3: "thai binh", 4: "thai binh"}
    # 1,000 matches, 4 checked, 3 kept: about 750.
    ranking = rank_page(query, candidates, texts, 1_000, 4, NOW, False, 0, 2)
    assert (ranking.article_ids, ranking.total, ranking.estimated) == (
        [1, 3],
        750,
        True,
    )
    # A one-word query has no order to check: the count stands.
    one = rank_page(parse_query("bão"), candidates, {}, 1_000, 4, NOW, False, 2, 2)
    assert (one.article_ids, one.total, one.estimated) == ([3, 4], 1_000, False)
