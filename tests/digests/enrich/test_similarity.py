"""The TF-IDF index behind stories and related coverage: terms, weights, and top-k cosine."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from digests.enrich.similarity import (
    PLAIN,
    SimilarityIndex,
    Weighting,
    analyse,
    article_terms,
)

ARTICLES = {
    1: ("River floods close bridge", "The river burst its banks and floods closed the bridge."),
    2: ("Parliament passes budget", "Parliament passed the budget after a long debate."),
    3: ("Bridge reopens after floods", "The bridge reopened as the river fell after the floods."),
    4: ("Football cup final", "The home team won the cup final on penalties."),
}


def indexed(articles: dict[int, tuple[str, str]] = ARTICLES) -> SimilarityIndex:
    """An index of articles by id, each published at its id (seconds)."""
    index = SimilarityIndex()
    for doc_id, (title, body) in articles.items():
        index.add(doc_id, article_terms(title, body), published=float(doc_id))
    return index


def test_terms_are_stemmed_words_without_stop_words_digits_letters_or_possessives() -> None:
    text = "The Elections in Poland's capital: 2026 voters’ turnout, a record! Plan B?"
    assert analyse(text) == ["elect", "poland", "capit", "voter", "turnout", "record", "plan"]


def test_the_headline_counts_twice() -> None:
    assert article_terms("Floods in Northbridge", "The river floods the town") == Counter(
        {"flood": 3, "northbridg": 2, "river": 1, "town": 1}
    )


def test_the_closest_article_comes_first_and_unrelated_ones_not_at_all() -> None:
    index = indexed()
    query = index.vector(article_terms("Floods: river bridge closed", "Floods closed the bridge."))
    hits = index.nearest(query, limit=10)
    assert [doc_id for doc_id, _ in hits] == [1, 3]
    assert hits[0][1] > 0.9 > hits[1][1] > 0.3


def test_an_article_is_its_own_nearest_neighbour() -> None:
    index = indexed()
    [(doc_id, cosine)] = index.nearest(index.vector(article_terms(*ARTICLES[2])), limit=1)
    assert doc_id == 2 and cosine == pytest.approx(1.0, abs=1e-5)


def test_min_score_and_limit_cut_the_list() -> None:
    index = indexed()
    query = index.vector(article_terms("Floods", "The river floods and the bridge closes."))
    assert [doc_id for doc_id, _ in index.nearest(query, limit=1)] == [1]
    assert index.nearest(query, limit=10, min_score=0.99) == []
    assert SimilarityIndex().nearest(query, limit=5) == []


def test_top_k_agrees_with_cosine_computed_the_slow_way() -> None:
    rng = random.Random(7)
    vocabulary = [f"term{n}" for n in range(300)]
    documents = {n: Counter(rng.choices(vocabulary, k=rng.randint(5, 150))) for n in range(200)}
    index = SimilarityIndex()
    # Counting first makes every stored vector use the same document frequencies as the query.
    index.count_documents(documents.values())
    for doc_id, counts in documents.items():
        index.add(doc_id, counts, counted=True)
    query = index.vector(Counter(rng.choices(vocabulary, k=60)))
    slow = {
        doc_id: sum(query.get(term, 0.0) * w for term, w in index.vector(counts).items())
        for doc_id, counts in documents.items()
    }
    expected = sorted(slow, key=lambda doc_id: -slow[doc_id])[:10]
    hits = index.nearest(query, limit=10)
    assert [doc_id for doc_id, _ in hits] == expected
    for doc_id, cosine in hits:
        assert cosine == pytest.approx(slow[doc_id], abs=1e-5)


def test_counting_first_is_the_same_as_adding_one_by_one() -> None:
    documents = {doc_id: article_terms(*pair) for doc_id, pair in ARTICLES.items()}
    counted = SimilarityIndex()
    counted.count_documents(documents.values())
    for doc_id, counts in documents.items():
        counted.add(doc_id, counts, counted=True)
    one_by_one = indexed()
    assert (counted.df, counted.documents_seen) == (one_by_one.df, one_by_one.documents_seen)


def test_adding_an_article_twice_changes_nothing() -> None:
    index = indexed()
    df, seen = Counter(index.df), index.documents_seen
    index.add(1, article_terms("Something else entirely", "Nothing alike."), story_id=9)
    assert (len(index), index.df, index.documents_seen) == (4, df, seen)
    assert index.stories[index.position(1)] == 0
    assert 1 in index and 5 not in index


def test_stories_and_publication_times_are_kept_by_position() -> None:
    index = indexed()
    index.set_story(3, 42)
    assert index.stories[index.position(3)] == 42
    assert index.published[index.position(3)] == 3.0
    assert index.external_ids[index.position(4)] == 4


def test_rare_terms_weigh_more_than_common_ones() -> None:
    index = indexed()
    assert index.idf("cup") > index.idf("flood")  # one article against two
    assert index.idf("unseen") > index.idf("cup")
    everywhere = SimilarityIndex()
    everywhere.count_documents([Counter({"the": 1})] * 3)
    assert everywhere.idf("the") == pytest.approx(1.0)


def test_vectors_are_unit_length_with_sublinear_term_frequency() -> None:
    counts = Counter({"flood": 4, "town": 1})
    sublinear = SimilarityIndex().vector(counts)
    plain = SimilarityIndex(PLAIN).vector(counts)
    for vector in (sublinear, plain):
        assert math.fsum(w * w for w in vector.values()) == pytest.approx(1.0)
    assert sublinear["flood"] / sublinear["town"] == pytest.approx(1 + math.log(4))
    assert plain["flood"] / plain["town"] == pytest.approx(4.0)


def test_only_the_strongest_terms_are_kept() -> None:
    counts = Counter({f"term{n}": n for n in range(1, 11)})
    vector = SimilarityIndex(Weighting(max_terms=3)).vector(counts)
    assert set(vector) == {"term8", "term9", "term10"}
    assert math.fsum(w * w for w in vector.values()) == pytest.approx(1.0)
