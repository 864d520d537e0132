"""Which topics a chat follows: listing, toggling, subscribing by slug or deep link."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import Chat, Subscription, Topic
from digests.readers.deeplinks import parse_topic_set


@dataclass(frozen=True)
class TopicState:
    """A topic and whether the chat follows it."""

    slug: str
    name: str
    description: str
    subscribed: bool


@dataclass
class Change:
    """What a subscribe or unsubscribe did, by topic name."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


async def active_topics(*, session: AsyncSession) -> list[Topic]:
    """The newsroom's topics in its order."""
    return list(
        await session.scalars(select(Topic).where(Topic.active).order_by(Topic.position, Topic.id))
    )


async def _subscribed_ids(session: AsyncSession, chat_id: int) -> set[int]:
    return set(
        await session.scalars(select(Subscription.topic_id).where(Subscription.chat_id == chat_id))
    )


async def topic_states(*, session: AsyncSession, chat_id: int) -> list[TopicState]:
    """Every active topic with the chat's choice, for the /topics keyboard."""
    mine = await _subscribed_ids(session, chat_id)
    return [
        TopicState(t.slug, t.name, t.description, t.id in mine)
        for t in await active_topics(session=session)
    ]


async def subscribed_topics(*, session: AsyncSession, chat_id: int) -> list[Topic]:
    """The active topics the chat follows, in the newsroom's order."""
    mine = await _subscribed_ids(session, chat_id)
    return [topic for topic in await active_topics(session=session) if topic.id in mine]


async def toggle_topic(*, session: AsyncSession, chat_id: int, slug: str) -> bool | None:
    """Flip a subscription; returns the new state, or None for an unknown topic."""
    topic = await session.scalar(select(Topic).where(Topic.slug == slug, Topic.active))
    if topic is None:
        return None
    existing = await session.get(Subscription, (chat_id, topic.id))
    if existing is None:
        session.add(Subscription(chat_id=chat_id, topic_id=topic.id))
        await session.flush()
        return True
    await session.delete(existing)
    await session.flush()
    return False


def _normalise(words: Iterable[str]) -> list[str]:
    """'Sport,', '#business' → 'sport', 'business': commas and semicolons separate as spaces do."""
    pieces = (piece for word in words for piece in re.split(r"[,;]", word))
    return [piece.strip().lower().lstrip("#") for piece in pieces if piece.strip().lstrip("#")]


async def subscribe(*, session: AsyncSession, chat_id: int, slugs: Sequence[str]) -> Change:
    """Follow the named topics (by slug or name); reports which were new, kept or unknown."""
    topics = await active_topics(session=session)
    lookup = {t.slug: t for t in topics} | {t.name.lower(): t for t in topics}
    mine = await _subscribed_ids(session, chat_id)
    change = Change()
    for word in _normalise(slugs):
        topic = lookup.get(word)
        if topic is None:
            change.unknown.append(word)
        elif topic.id in mine:
            change.unchanged.append(topic.name)
        else:
            session.add(Subscription(chat_id=chat_id, topic_id=topic.id))
            mine.add(topic.id)
            change.changed.append(topic.name)
    await session.flush()
    return change


async def unsubscribe(*, session: AsyncSession, chat_id: int, slugs: Sequence[str]) -> Change:
    """Stop following the named topics, or every topic for 'all'."""
    words = _normalise(slugs)
    topics = await active_topics(session=session)
    mine = await _subscribed_ids(session, chat_id)
    change = Change()
    if words == ["all"]:
        change.changed = [t.name for t in topics if t.id in mine]
        await session.execute(delete(Subscription).where(Subscription.chat_id == chat_id))
        return change
    lookup = {t.slug: t for t in topics} | {t.name.lower(): t for t in topics}
    for word in words:
        topic = lookup.get(word)
        if topic is None:
            change.unknown.append(word)
        elif topic.id not in mine:
            change.unchanged.append(topic.name)
        else:
            await session.execute(
                delete(Subscription).where(
                    Subscription.chat_id == chat_id, Subscription.topic_id == topic.id
                )
            )
            mine.discard(topic.id)
            change.changed.append(topic.name)
    return change


async def subscribe_from_payload(
    *, session: AsyncSession, chat_id: int, payload: str
) -> Change | None:
    """Follow what a deep-link payload names (a slug or a 't-' topic set); None for a campaign."""
    ids = parse_topic_set(payload)
    if ids is not None:
        topics = await active_topics(session=session)
        slugs = [t.slug for t in topics if t.id in set(ids)]
        return await subscribe(session=session, chat_id=chat_id, slugs=slugs) if slugs else None
    topic = await session.scalar(select(Topic).where(Topic.slug == payload.lower(), Topic.active))
    if topic is None:
        return None
    return await subscribe(session=session, chat_id=chat_id, slugs=[topic.slug])


async def start_following(
    *, session: AsyncSession, chat: Chat, payload_change: Change | None, now: datetime
) -> Change | None:
    """A chat's first /start: the default topics, with alerts, unless its link chose topics.

    Returns what changed, or None when the chat had pressed Start before (nothing changes).
    """
    if chat.started_at is not None:
        return None
    chat.started_at = now
    if payload_change is not None or await _subscribed_ids(session, chat.id):
        return payload_change
    defaults = await session.scalars(
        select(Topic).where(Topic.active, Topic.is_default).order_by(Topic.position, Topic.id)
    )
    return await subscribe(session=session, chat_id=chat.id, slugs=[t.slug for t in defaults])
