"""What goes into a digest: sections by topic, one item per story, ranked and capped (pure)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

# Recency halves an item's weight every this many hours.
RECENCY_HALF_LIFE_HOURS = 12.0
STORY_SIZE_WEIGHT = 0.35
SOURCE_PRIORITY_WEIGHT = 0.1


@dataclass(frozen=True)
class RelatedLink:
    """A link to related coverage shown under an item."""

    title: str
    url: str


@dataclass(frozen=True)
class Candidate:
    """An archived article that may go into a digest, with what ranking needs."""

    id: int
    title: str
    url: str
    summary: str
    source: str
    published_at: datetime
    topics: Mapping[int, float]
    story_id: int | None = None
    story_size: int = 1
    source_priority: int = 0
    related: tuple[RelatedLink, ...] = ()


@dataclass(frozen=True)
class Item:
    """One digest entry: the story's best article and how many other sources covered it."""

    article: Candidate
    more_sources: int
    score: float


@dataclass(frozen=True)
class Section:
    """A topic's items, best first."""

    topic_id: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Limits:
    """Caps on a digest's size."""

    per_section: int = 5
    total: int = 15


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Digest:
    """The sections of one digest; empty when there is nothing new."""

    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def article_ids(self) -> list[int]:
        """Ids of the articles shown, in reading order."""
        return [item.article.id for section in self.sections for item in section.items]

    def __bool__(self) -> bool:
        return bool(self.sections)


def rank(article: Candidate, *, now: datetime) -> float:
    """Higher is better: recent, widely covered, from a favoured source."""
    age_hours = max(0.0, (now - article.published_at).total_seconds() / 3600)
    recency = 0.5 ** (age_hours / RECENCY_HALF_LIFE_HOURS)
    size = STORY_SIZE_WEIGHT * math.log1p(max(0, article.story_size - 1))
    return recency + size + SOURCE_PRIORITY_WEIGHT * article.source_priority


def best_topic(article: Candidate, topic_order: Mapping[int, int]) -> int | None:
    """The chat's topic this article fits best (highest score, then the chat's own order)."""
    mine = [topic for topic in article.topics if topic in topic_order]
    if not mine:
        return None
    return max(mine, key=lambda topic: (article.topics[topic], -topic_order[topic]))


def assemble(
    candidates: Sequence[Candidate],
    topic_ids: Sequence[int],
    *,
    now: datetime,
    limits: Limits = DEFAULT_LIMITS,
) -> Digest:
    """Sections in the chat's topic order; an article appears once, a story once."""
    topic_order = {topic: position for position, topic in enumerate(topic_ids)}
    stories: dict[object, list[tuple[float, Candidate]]] = defaultdict(list)
    for article in candidates:
        if any(topic in topic_order for topic in article.topics):
            key = ("story", article.story_id) if article.story_id else ("article", article.id)
            stories[key].append((rank(article, now=now), article))

    items: list[tuple[int, Item]] = []
    for members in stories.values():
        members.sort(key=lambda pair: (-pair[0], pair[1].id))
        score, lead = members[0]
        others = {article.source for _, article in members[1:]} - {lead.source}
        topic = best_topic(lead, topic_order)
        if topic is not None:
            items.append((topic, Item(article=lead, more_sources=len(others), score=score)))

    items.sort(key=lambda pair: (-pair[1].score, pair[1].article.id))
    chosen: dict[int, list[Item]] = defaultdict(list)
    taken = 0
    for topic, item in items:
        if taken >= limits.total:
            break
        if len(chosen[topic]) < limits.per_section:
            chosen[topic].append(item)
            taken += 1
    sections = tuple(
        Section(topic_id=topic, items=tuple(chosen[topic]))
        for topic in topic_ids
        if chosen.get(topic)
    )
    return Digest(sections=sections)
