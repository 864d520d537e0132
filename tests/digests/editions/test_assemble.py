"""Digest assembly: best topic, one item per story, ranking and caps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digests.editions.assemble import Candidate, Limits, assemble
from digests.readers.filters import FilterSet

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
WORLD, TECH, SPORT = 1, 2, 3


def article(id, topics, *, hours_ago=1.0, story=None, size=1, source="Desk", priority=0):
    return Candidate(
        id=id,
        title=f"Article {id}",
        url=f"https://news.example/{id}",
        summary="",
        source=source,
        published_at=NOW - timedelta(hours=hours_ago),
        topics=topics,
        story_id=story,
        story_size=size,
        source_priority=priority,
    )


def shown(digest):
    return [(s.topic_id, [i.article.id for i in s.items]) for s in digest.sections]


def test_sections_follow_the_chats_topic_order_and_skip_unsubscribed_topics():
    digest = assemble(
        [article(1, {TECH: 1.0}), article(2, {WORLD: 1.0}), article(3, {SPORT: 1.0})],
        [WORLD, TECH],
        now=NOW,
    )
    assert shown(digest) == [(WORLD, [2]), (TECH, [1])]


def test_an_article_in_several_topics_appears_once_in_its_best():
    digest = assemble([article(1, {WORLD: 0.4, TECH: 0.9})], [WORLD, TECH], now=NOW)
    assert shown(digest) == [(TECH, [1])]


def test_a_tie_goes_to_the_topic_the_chat_lists_first():
    digest = assemble([article(1, {WORLD: 0.5, TECH: 0.5})], [TECH, WORLD], now=NOW)
    assert shown(digest) == [(TECH, [1])]


def test_a_story_appears_once_with_the_count_of_other_sources():
    digest = assemble(
        [
            article(1, {WORLD: 1.0}, story=9, size=3, source="Wire", hours_ago=3),
            article(2, {WORLD: 1.0}, story=9, size=3, source="Desk", hours_ago=1),
            article(3, {WORLD: 1.0}, story=9, size=3, source="Wire", hours_ago=2),
        ],
        [WORLD],
        now=NOW,
    )
    [section] = digest.sections
    [item] = section.items
    assert (item.article.id, item.more_sources) == (2, 1)


def test_recent_and_widely_covered_rank_first():
    digest = assemble(
        [
            article(1, {WORLD: 1.0}, hours_ago=20),
            article(2, {WORLD: 1.0}, hours_ago=1),
            article(3, {WORLD: 1.0}, hours_ago=6, story=5, size=8),
            article(4, {WORLD: 1.0}, hours_ago=6),
        ],
        [WORLD],
        now=NOW,
    )
    assert shown(digest) == [(WORLD, [3, 2, 4, 1])]


def test_caps_per_section_and_in_total_keep_the_best():
    candidates = [article(n, {WORLD: 1.0}, hours_ago=n) for n in range(1, 8)]
    candidates += [article(n, {TECH: 1.0}, hours_ago=n - 100 + 0.5) for n in range(101, 104)]
    # By age: W1, T101, W2, T102, W3, T103, W4...
    per_section = assemble(candidates, [WORLD, TECH], now=NOW, limits=Limits(2, 10))
    assert shown(per_section) == [(WORLD, [1, 2]), (TECH, [101, 102])]
    total = assemble(candidates, [WORLD, TECH], now=NOW, limits=Limits(3, 5))
    assert shown(total) == [(WORLD, [1, 2, 3]), (TECH, [101, 102])]


def test_nothing_new_is_an_empty_digest():
    digest = assemble([article(1, {SPORT: 1.0})], [WORLD], now=NOW)
    assert not digest
    assert digest.article_ids == []


TOP = 9


def test_top_stories_take_the_best_of_every_topic_then_the_chats_topics_follow():
    candidates = [
        article(1, {SPORT: 1.0}, hours_ago=1),  # the best, though the chat does not follow sport
        article(2, {WORLD: 1.0}, hours_ago=2),
        article(3, {WORLD: 1.0}, hours_ago=3),
        article(4, {TECH: 1.0}, hours_ago=4),
        article(5, {WORLD: 1.0}, hours_ago=5, story=7),
        article(6, {TECH: 1.0}, hours_ago=6, story=7),  # same story as 5: shown once
    ]
    digest = assemble(candidates, [TOP, WORLD, TECH], now=NOW, top={TOP: 2})
    assert shown(digest) == [(TOP, [1, 2]), (WORLD, [3, 5]), (TECH, [4])]


def test_top_stories_alone_count_every_topics_coverage_and_keep_the_total():
    candidates = [article(n, {n % 3 + 1: 1.0}, hours_ago=n) for n in range(1, 10)]
    candidates.append(article(20, {TECH: 1.0}, hours_ago=1.5, story=8, source="Wire"))
    candidates.append(article(21, {SPORT: 1.0}, hours_ago=30, story=8, source="Post"))
    digest = assemble(candidates, [TOP], now=NOW, top={TOP: 4}, limits=Limits(5, 3))
    assert shown(digest) == [(TOP, [1, 20, 2])]  # the total cap of 3 wins over top = 4
    assert digest.sections[0].items[1].more_sources == 1  # the Post's sport coverage counts


def test_filters_apply_before_the_caps_so_a_filtered_digest_is_still_full():
    candidates = [
        article(1, {WORLD: 1.0}, hours_ago=1),
        article(2, {WORLD: 1.0}, hours_ago=2),
        article(3, {WORLD: 1.0}, hours_ago=3),
    ]
    candidates[0] = Candidate(**{**candidates[0].__dict__, "title": "Football derby"})
    digest = assemble(
        candidates, [WORLD], now=NOW, limits=Limits(2, 2), filters=FilterSet(exclude=("football",))
    )
    assert shown(digest) == [(WORLD, [2, 3])]
