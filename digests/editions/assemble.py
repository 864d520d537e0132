"""What goes into a digest: sections by topic, one item per story, ranked and capped (pure)."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digests.config import Settings

from digests.readers.filters import FilterSet

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
    language: str | None = None


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


# Older news is not news: an article published longer ago than this never enters a digest.
MAX_AGE = timedelta(hours=48)


@dataclass(frozen=True)
class Limits:
    """Caps on a digest's size, and how old (by published time) its articles may be (None:
    any age)."""

    per_section: int = 5
    total: int = 15
    max_age: timedelta | None = MAX_AGE

    def published_after(self, now: datetime) -> datetime | None:
        """The oldest publication time news may have at `now`; None when any will do."""
        return None if self.max_age is None else now - self.max_age

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits the settings ask for."""
        return cls(
            per_section=settings.digest_items_per_section,
            total=settings.digest_max_items,
            max_age=timedelta(hours=settings.digest_max_age_hours)
            if settings.digest_max_age_hours
            else None,
        )


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
    return float(recency + size + SOURCE_PRIORITY_WEIGHT * article.source_priority)


def best_topic(article: Candidate, topic_order: Mapping[int, int]) -> int | None:
    """The chat's topic this article fits best (highest score, then the chat's own order)."""
    mine = [topic for topic in article.topics if topic in topic_order]
    if not mine:
        return None
    return max(mine, key=lambda topic: (article.topics[topic], -topic_order[topic]))


Ranked = tuple[float, int, Candidate]  # (-score, id, article): sorts best first


@dataclass(frozen=True)
class Pool:
    """A window's candidates ranked once and indexed by topic and story, for many digests."""

    by_topic: Mapping[int, tuple[Ranked, ...]]
    by_story: Mapping[int, tuple[Candidate, ...]]
    # Every candidate, best first: what a top-stories topic picks from.
    everything: tuple[Ranked, ...] = ()

    @classmethod
    def of(cls, candidates: Sequence[Candidate], *, now: datetime) -> Pool:
        """Rank every candidate at `now`; index it under its topics (best first) and story."""
        by_topic: dict[int, list[Ranked]] = defaultdict(list)
        by_story: dict[int, list[Candidate]] = defaultdict(list)
        everything = []
        for article in candidates:
            ranked = (-rank(article, now=now), article.id, article)
            everything.append(ranked)
            for topic in article.topics:
                by_topic[topic].append(ranked)
            if article.story_id:
                by_story[article.story_id].append(article)
        return cls(
            by_topic={topic: tuple(sorted(members)) for topic, members in by_topic.items()},
            by_story={story: tuple(members) for story, members in by_story.items()},
            everything=tuple(sorted(everything)),
        )


def assemble(
    candidates: Sequence[Candidate] | Pool,
    topic_ids: Sequence[int],
    *,
    now: datetime,
    limits: Limits = DEFAULT_LIMITS,
    top: Mapping[int, int] | None = None,
    filters: FilterSet | None = None,
) -> Digest:
    """Sections in the chat's topic order; an article appears once, a story once.

    The chat's keyword `filters` leave items out before any cap, so a filtered digest is
    still full. A top-stories topic (`top`: its id and how many items) takes the best items of every
    topic first; the chat's other topics follow from what is left. Walks the topics
    best-first and stops when the digest is full, so the cost follows the digest's size,
    not the archive's.
    """
    pool = candidates if isinstance(candidates, Pool) else Pool.of(candidates, now=now)
    top = {topic: cap for topic, cap in (top or {}).items() if topic in topic_ids}
    picker = _Picker(pool, limits, filters or FilterSet())
    for topic, cap in top.items():
        picker.take(pool.everything, None, cap=cap, per_section=cap, section=topic)
    topic_order = {topic: position for position, topic in enumerate(topic_ids) if topic not in top}
    streams = [pool.by_topic.get(topic, ()) for topic in topic_order]
    picker.take(
        heapq.merge(*streams),
        topic_order,
        cap=limits.total,
        per_section=limits.per_section,
    )
    sections = tuple(
        Section(topic_id=topic, items=tuple(picker.chosen[topic]))
        for topic in topic_ids
        if picker.chosen.get(topic)
    )
    return Digest(sections=sections)


class _Picker:
    """Items chosen so far for one digest: each article once, each story once, within caps."""

    def __init__(self, pool: Pool, limits: Limits, filters: FilterSet):
        self.pool, self.limits, self.filters = pool, limits, filters
        self.seen_articles: set[int] = set()
        self.seen_stories: set[int] = set()
        self.chosen: dict[int, list[Item]] = defaultdict(list)
        self.taken = 0

    def take(
        self,
        ranked: Iterable[Ranked],
        topic_order: Mapping[int, int] | None,
        *,
        cap: int,
        per_section: int,
        section: int | None = None,
    ) -> None:
        """Walk `ranked` best first, placing up to `cap` items (within the total).

        Items go to `section`, else to their best topic in `topic_order`: the chat's topics,
        whose coverage counts as "more sources" (None: every topic's, for top stories).
        """
        placed = 0
        for negative_score, article_id, article in ranked:
            if placed >= cap or self.taken >= self.limits.total:
                break
            if article_id in self.seen_articles:
                continue
            self.seen_articles.add(article_id)
            if not self.filters.allows(article.title, article.summary, article.language):
                continue  # another article of its story may still stand for it
            if article.story_id:
                # The first member met is the story's best; the rest only add to its count.
                if article.story_id in self.seen_stories:
                    continue
                self.seen_stories.add(article.story_id)
            topic = section if section is not None else best_topic(article, topic_order or {})
            if topic is None or len(self.chosen[topic]) >= per_section:
                continue
            others = {
                member.source
                for member in self.pool.by_story.get(article.story_id or 0, ())
                if member.id != article_id
                and (topic_order is None or any(t in topic_order for t in member.topics))
            } - {article.source}
            item = Item(article=article, more_sources=len(others), score=-negative_score)
            self.chosen[topic].append(item)
            self.taken += 1
            placed += 1
