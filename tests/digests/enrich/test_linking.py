"""The pure linking core: blended scores, story decisions across languages, related ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digests.enrich.linking import (
    Candidate,
    Linked,
    LinkSettings,
    blend,
    decide_link,
    rank_related,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS = LinkSettings(story_threshold=0.35, cross_language_story=0.55)


def _candidate(id: int, lexical: float, semantic: float | None, language: str = "en", hours=1):
    return Candidate(
        id=id,
        lexical=lexical,
        semantic=semantic,
        published=(NOW - timedelta(hours=hours)).timestamp(),
        story=100 + id,
        source=id,
        language=language,
    )


def test_the_blend_weighs_meaning_and_words_alike_within_a_language():
    assert blend(0.2, 0.6, same_language=True, settings=SETTINGS) == 0.4
    assert blend(0.2, None, same_language=True, settings=SETTINGS) == 0.2  # EMBEDDER=none


def test_across_languages_the_cosine_alone_decides_on_the_same_scale():
    # Words shared across languages mean nothing; the same-event cosine maps onto the threshold.
    assert blend(0.0, 0.55, same_language=False, settings=SETTINGS) == 0.35


def test_a_german_report_of_the_same_event_joins_the_english_story():
    german = _candidate(1, lexical=0.02, semantic=0.7, language="de")
    unrelated = _candidate(2, lexical=0.1, semantic=0.3)
    decision = decide_link([unrelated, german], published=NOW, language="en", settings=SETTINGS)
    assert decision.story_of == 1
    assert [i for i, _ in decision.links] == [1, 2]


def test_an_old_match_is_related_but_not_the_same_story():
    old = _candidate(1, lexical=0.6, semantic=0.8, hours=24 * 5)
    decision = decide_link([old], published=NOW, language="en", settings=SETTINGS)
    assert decision.story_of is None and [i for i, _ in decision.links] == [1]


def test_related_coverage_is_ranked_with_recency_and_source_diversity():
    links = [
        Linked(id=1, score=0.50, published=NOW - timedelta(hours=1), source=7),
        Linked(id=2, score=0.49, published=NOW - timedelta(hours=2), source=7),
        Linked(id=3, score=0.46, published=NOW - timedelta(hours=3), source=8),
        Linked(id=4, score=0.50, published=NOW - timedelta(days=14), source=9),
    ]
    ranked = rank_related(links, published=NOW, window=timedelta(days=14), limit=3)
    # A second link from source 7 yields to another source's; the fortnight-old one comes last.
    assert [link.id for link in ranked] == [1, 3, 2]
