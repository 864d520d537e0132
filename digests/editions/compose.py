"""Composing an edition: a window's candidates, assembled for topics, rendered for readers.

The one way a digest is made, whether scheduled (build), asked for (/digest) or previewed in
the terminal (`newsbot preview`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.editions.assemble import Digest, Limits, Pool, assemble
from digests.editions.candidates import load_candidates
from digests.editions.layout import (
    Block,
    DigestPart,
    DigestView,
    render_digest_parts,
    render_nothing_new,
)
from digests.models import Subscription, Topic
from digests.readers.deeplinks import start_link, topics_payload
from digests.readers.filters import FilterSet
from digests.text.render import Renderer

# A chat's first edition covers this much before its moment.
FIRST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Audience:
    """What decides an edition's text: the topics, the window [start, end) and how it reads.

    `end` is also the edition's moment. Chats with equal audiences read the same rendering.
    """

    topic_ids: tuple[int, ...]
    start: datetime
    end: datetime
    language: str
    timezone: str
    filters: FilterSet = FilterSet()


@dataclass(frozen=True)
class TopicLabels:
    """What a digest shows of each topic: its name, and its slug for the join link."""

    names: dict[int, str]
    slugs: dict[int, str]
    # Top-stories topics and how many items each takes from every topic.
    top: dict[int, int] = field(default_factory=dict)


@dataclass
class ComposeCache:
    """Work shared by the editions of one run: windows read, digests assembled, blocks rendered."""

    pools: dict[tuple[datetime, datetime], Pool] = field(default_factory=dict)
    digests: dict[tuple[object, ...], Digest] = field(default_factory=dict)
    blocks: dict[tuple[object, ...], Block] = field(default_factory=dict)


@dataclass(frozen=True)
class ComposedEdition:
    """An edition's digest and the messages it reads as (empty when there is nothing to send)."""

    digest: Digest
    parts: list[DigestPart]


async def digest_topics(
    *, session: AsyncSession, chat_ids: Sequence[int]
) -> dict[int, tuple[int, ...]]:
    """Each chat's active digest topics, in the newsroom's topic order."""
    rows = await session.execute(
        select(Subscription.chat_id, Subscription.topic_id)
        .join(Topic, Topic.id == Subscription.topic_id)
        .where(Subscription.chat_id.in_(chat_ids), Subscription.digest, Topic.active)
        .order_by(Subscription.chat_id, Topic.position, Topic.id)
    )
    topics: dict[int, list[int]] = defaultdict(list)
    for chat_id, topic_id in rows:
        topics[chat_id].append(topic_id)
    return {chat_id: tuple(ids) for chat_id, ids in topics.items()}


async def load_topic_labels(*, session: AsyncSession) -> TopicLabels:
    """The name and slug of every topic, and which are top-stories topics."""
    rows = (await session.execute(select(Topic.id, Topic.slug, Topic.name, Topic.top_items))).all()
    return TopicLabels(
        names={row.id: row.name for row in rows},
        slugs={row.id: row.slug for row in rows},
        top={row.id: row.top_items for row in rows if row.top_items},
    )


async def compose_edition(
    *,
    session: AsyncSession,
    renderer: Renderer,
    audience: Audience,
    labels: TopicLabels,
    limits: Limits,
    bot_username: str | None = None,
    nothing_new: bool = False,
    cache: ComposeCache | None = None,
) -> ComposedEdition:
    """The audience's digest, rendered; a window without news gives the nothing-new message
    when `nothing_new`, else no parts. Pass one `cache` to the editions of one run.
    """
    pool = await _window_pool(
        session=session,
        audience=audience,
        labels=labels,
        cache=cache,
        published_after=limits.published_after(audience.end),
    )
    digest_key = (audience.topic_ids, (audience.start, audience.end), audience.filters)
    digest = cache.digests.get(digest_key) if cache is not None else None
    if digest is None:
        digest = assemble(
            pool,
            audience.topic_ids,
            now=audience.end,
            limits=limits,
            top=labels.top,
            filters=audience.filters,
        )
        if cache is not None:
            cache.digests[digest_key] = digest
    join_url = None
    if bot_username:
        join_url = start_link(bot_username, topics_payload(list(audience.topic_ids), labels.slugs))
    view = DigestView(
        language=audience.language,
        timezone=audience.timezone,
        edition_at=audience.end,
        topic_names=labels.names,
        join_url=join_url,
    )
    if digest:
        blocks = cache.blocks if cache is not None else None
        return ComposedEdition(digest, render_digest_parts(renderer, digest, view, cache=blocks))
    if nothing_new:
        texts = render_nothing_new(renderer, view)
        return ComposedEdition(digest, [DigestPart(text, (), 1) for text in texts])
    return ComposedEdition(digest, [])


async def _window_pool(
    *,
    session: AsyncSession,
    audience: Audience,
    labels: TopicLabels,
    cache: ComposeCache | None,
    published_after: datetime | None,
) -> Pool:
    window = (audience.start, audience.end)
    if cache is None:
        # A top-stories topic picks from every topic.
        every = any(topic in labels.top for topic in audience.topic_ids)
        topic_ids = sorted(labels.names) if every else audience.topic_ids
        candidates = await load_candidates(
            session=session,
            start=window[0],
            end=window[1],
            topic_ids=topic_ids,
            published_after=published_after,
        )
        return Pool.of(candidates, now=audience.end)
    if window not in cache.pools:
        # Read the window once for every topic: all audiences of the run on it share the pool
        # (and, the run's limits being one, its bound on age).
        candidates = await load_candidates(
            session=session,
            start=window[0],
            end=window[1],
            topic_ids=sorted(labels.names),
            published_after=published_after,
        )
        cache.pools[window] = Pool.of(candidates, now=audience.end)
    return cache.pools[window]
