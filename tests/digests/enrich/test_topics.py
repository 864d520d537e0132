"""Topic tagging from the config file's rules: where a match is found decides how much it counts."""

from __future__ import annotations

import math

import pytest

from digests.enrich.topics import TEXT_SCAN_CHARS, compile_rules, tag_article

RULES = compile_rules(
    [
        ("general", ["news"], []),
        ("economy", ["interest rate", "inflation", "budget"], ["business", "economy"]),
        ("europe", ["European Union"], ["europe"]),
        ("art", ["art", "gallery"], []),
        ("sport", [], ["sport"]),
    ]
)


def tag(
    title: str = "",
    summary: str = "",
    text: str = "",
    **extra: list[str],
) -> dict[str, float]:
    """tag_article with the rules above."""
    return tag_article(RULES, title=title, summary=summary, text=text, **extra)


def score(evidence: float) -> float:
    """The score a given weight of evidence earns (saturating towards 1)."""
    return round(1.0 - math.exp(-evidence / 4.0), 4)


def test_a_keyword_in_the_title_tags_the_article() -> None:
    assert tag(title="Inflation falls to 3%") == {"economy": score(3.0)}


def test_one_passing_mention_deep_in_the_text_is_not_enough() -> None:
    assert tag(title="Local elections", text="The budget was not discussed.") == {"general": 1.0}


def test_the_general_topic_comes_only_when_nothing_else_matches() -> None:
    # "news" is a general keyword, but general is never earned by matching.
    assert tag(title="News: inflation falls") == {"economy": score(3.0)}
    assert tag(title="News of the day") == {"general": 1.0}


def test_evidence_adds_up_across_title_summary_and_text() -> None:
    tags = tag(title="Budget vote", summary="The budget passed.", text="The budget is big.")
    assert tags == {"economy": score(3.0 + 2.0 + 1.0)}


def test_repeating_a_word_counts_only_so_often() -> None:
    spam = tag(summary="budget " * 50, text="inflation " * 500)
    assert spam == {"economy": score(2.0 * 3 + 1.0 * 5)}


def test_matches_are_whole_words_case_insensitive_with_plurals() -> None:
    assert "art" not in tag(title="Party leaders meet at the start of the session")
    assert "art" in tag(title="ART: the new GALLERY opens")
    assert "economy" in tag(title="Interest   rates rise again")
    assert "economy" not in tag(title="Interest rated highly")
    assert "europe" in tag(title="The European Union's new rules")


def test_feed_categories_count_including_their_parts() -> None:
    assert tag(title="Quarterly results", categories=["Business"]) == {"economy": score(3.0)}
    assert tag(title="Match report", categories=["News/Sport"]) == {"sport": score(3.0)}
    assert "europe" in tag(title="Summit", categories=["World > Europe"])
    # The topic's own slug works as a category too.
    assert "art" in tag(title="Opening night", categories=["Art"])


def test_source_defaults_and_pushed_topics_tag_on_their_own() -> None:
    assert tag(title="Morning briefing", source_topics=["sport"]) == {"sport": score(2.0)}
    assert tag(title="Morning briefing", pushed_topics=["europe"]) == {"europe": score(6.0)}


def test_more_evidence_scores_higher_and_stays_within_one() -> None:
    tags = tag(
        title="Budget and inflation",
        summary="The budget, inflation and interest rates.",
        categories=["Economy"],
        pushed_topics=["economy"],
        source_topics=["sport"],
    )
    assert 0 < tags["sport"] < tags["economy"] <= 1.0


def test_only_the_start_of_a_long_text_is_read() -> None:
    filler = "word " * (TEXT_SCAN_CHARS // 5)
    assert tag(text=filler + "budget budget budget") == {"general": 1.0}
    assert "economy" in tag(text="budget budget " + filler)


@pytest.mark.parametrize("keywords", [[], ["", "  "]])
def test_a_topic_without_keywords_matches_only_by_category(keywords: list[str]) -> None:
    rules = compile_rules([("weather", keywords, ["weather"])])
    # An empty keyword must not become a pattern that matches between any two symbols.
    untagged = tag_article(rules, title="Storm - rain, wind", summary="", text="weather")
    assert untagged == {"general": 1.0}
    tags = tag_article(rules, title="Storm", summary="", text="", categories=["Weather"])
    assert tags == {"weather": score(3.0)}


def test_a_passing_keyword_no_longer_decides_when_the_meaning_disagrees():
    from digests.enrich.embed import load_embedder
    from digests.enrich.topics import topic_profile
    from digests.ingest.catalog import load_catalog
    from digests.resources import default_config_path

    topics = [
        t for t in load_catalog(default_config_path()).topics if t.slug != "general" and not t.top
    ]
    rules = compile_rules((t.slug, t.keywords, t.categories) for t in topics)
    embedder = load_embedder("english")
    profiles = embedder.embed([topic_profile(t.name, t.description, t.keywords) for t in topics])

    def tag(title: str, lead: str) -> dict[str, float]:
        vector = embedder.embed([f"{title}\n{lead}"])[0]
        similarity = dict(zip((t.slug for t in topics), (profiles @ vector).tolist(), strict=True))
        return tag_article(rules, title=title, summary=lead, text=lead, similarity=similarity)

    market = (
        "Winter market returns to the old town square",
        "Wooden stalls selling crafts, mulled wine and roasted chestnuts open on Friday.",
    )
    assert "business" in tag_article(rules, title=market[0], summary=market[1], text=market[1])
    assert "business" not in tag(*market)
    # No rule matches a marathon; its meaning does.
    assert list(tag("Marathon record broken in the city race", "The winner cut 40 seconds.")) == [
        "sport"
    ]
    # Nothing close enough: the general topic, not a wrong one.
    assert tag("Lost dog found after a month on the moors", "Walkers spotted the terrier.") == {
        "general": 1.0
    }
