"""Building due digests: claim chats, plan the batch, compose each audience once, write it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import upsert_into
from digests.delivery.outbox import enqueue
from digests.editions.assemble import DEFAULT_LIMITS, Limits
from digests.editions.compose import (
    FIRST_WINDOW,
    Audience,
    ComposeCache,
    compose_edition,
    digest_topics,
    load_topic_labels,
)
from digests.editions.plan import (
    SETTLE,
    Advance,
    BatchPlan,
    BatchWrites,
    DueChat,
    Rendering,
    batch_writes,
    plan_advances,
    plan_batch,
)
from digests.models import Chat, ChatStatus, Edition
from digests.readers.filters import filters_of
from digests.text.render import Renderer

__all__ = [
    "BuildCache",
    "BuildOptions",
    "BuildReport",
    "advance",
    "apply_advances",
    "build_due_editions",
    "claim_due_chats",
    "write_batch",
]

_IDS_PER_STATEMENT = 900  # under SQLite's older 999 bound-parameter limit


@dataclass(frozen=True)
class BuildOptions:
    """How digests are built."""

    limits: Limits = DEFAULT_LIMITS
    send_empty: bool = False
    bot_username: str | None = None
    batch_size: int = 2000


@dataclass
class BuildReport:
    """What a run built."""

    chats: int = 0
    editions: int = 0
    messages: int = 0
    renderings: int = 0

    def add(self, other: BuildReport) -> None:
        """Accumulate another batch's counts."""
        self.chats += other.chats
        self.editions += other.editions
        self.messages += other.messages
        self.renderings += other.renderings


@dataclass
class BuildCache(ComposeCache):
    """Work shared by the batches of one run: composing's, and each audience's rendering."""

    renderings: dict[Audience, Rendering] = field(default_factory=dict)


async def claim_due_chats(*, session: AsyncSession, now: datetime, limit: int) -> list[DueChat]:
    """Lock up to `limit` active chats whose digest is due (SKIP LOCKED on PostgreSQL)."""
    query = (
        select(
            Chat.id,
            Chat.type,
            Chat.language,
            Chat.timezone,
            Chat.digest_times,
            Chat.frequency,
            Chat.weekly_day,
            Chat.link_previews,
            Chat.next_digest_at,
            Chat.last_digest_at,
        )
        .where(Chat.status == ChatStatus.ACTIVE, Chat.next_digest_at <= now - SETTLE)
        .order_by(Chat.next_digest_at, Chat.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Chat)
    )
    rows = (await session.execute(query)).all()
    return [
        DueChat(
            id=row.id,
            type=row.type,
            language=row.language,
            timezone=row.timezone,
            digest_times=row.digest_times,
            frequency=row.frequency,
            weekly_day=row.weekly_day,
            link_previews=row.link_previews,
            scheduled_for=row.next_digest_at,
            window_start=row.last_digest_at or row.next_digest_at - FIRST_WINDOW,
        )
        for row in rows
    ]


async def build_due_editions(
    *,
    session: AsyncSession,
    renderer: Renderer,
    now: datetime,
    options: BuildOptions,
    cache: BuildCache | None = None,
) -> BuildReport:
    """One batch: due chats get their edition queued and their next moment set.

    Pass the same `cache` to the batches of one run (windows end in the past, so what they
    read cannot change between batches).
    """
    cache = BuildCache() if cache is None else cache
    claimed = await claim_due_chats(session=session, now=now, limit=options.batch_size)
    if not claimed:
        return BuildReport()
    chat_ids = [chat.id for chat in claimed]
    topics_by_chat = await digest_topics(session=session, chat_ids=chat_ids)
    filters_by_chat = await filters_of(session=session, chat_ids=chat_ids)
    plan = plan_batch(claimed, topics_by_chat, now=now, filters_by_chat=filters_by_chat)
    composed = await _compose_audiences(
        session=session, renderer=renderer, plan=plan, options=options, cache=cache
    )
    writes = batch_writes(plan, cache.renderings, bot_username=options.bot_username, now=now)
    await write_batch(session=session, writes=writes, now=now)
    return BuildReport(
        chats=len(claimed),
        editions=len(writes.editions),
        messages=len(writes.messages),
        renderings=composed,
    )


async def _compose_audiences(
    *,
    session: AsyncSession,
    renderer: Renderer,
    plan: BatchPlan,
    options: BuildOptions,
    cache: BuildCache,
) -> int:
    """Compose the plan's audiences that no earlier batch of the run did; how many were."""
    missing = [audience for audience in plan.audiences if audience not in cache.renderings]
    if not missing:
        return 0
    labels = await load_topic_labels(session=session)
    for audience in missing:
        composed = await compose_edition(
            session=session,
            renderer=renderer,
            audience=audience,
            labels=labels,
            limits=options.limits,
            bot_username=options.bot_username,
            nothing_new=options.send_empty,
            cache=cache,
        )
        cache.renderings[audience] = Rendering.of(audience, composed)
    return len(missing)


async def write_batch(*, session: AsyncSession, writes: BatchWrites, now: datetime) -> None:
    """Insert the editions (once per chat and moment), queue the messages, advance schedules."""
    if writes.editions:
        await session.execute(
            upsert_into(session, Edition).on_conflict_do_nothing(
                index_elements=["chat_id", "scheduled_for"]
            ),
            writes.editions,
        )
    await enqueue(session=session, messages=writes.messages, now=now)
    await apply_advances(session=session, advances=writes.advances)


async def advance(*, session: AsyncSession, chats: Sequence[DueChat], now: datetime) -> None:
    """Move each chat's window on and set its next moment; chats on one schedule share an UPDATE."""
    await apply_advances(session=session, advances=plan_advances(chats, now=now))


async def apply_advances(*, session: AsyncSession, advances: Sequence[Advance]) -> None:
    """Set each advance's chats' window and next moment, where it is still the one built for."""
    for move in advances:
        ids = move.chat_ids
        for start in range(0, len(ids), _IDS_PER_STATEMENT):
            # Only if the schedule is still the one this edition was built for: a reader who
            # changed /settings meanwhile already has a new next moment, which must stand.
            await session.execute(
                update(Chat)
                .where(
                    Chat.id.in_(ids[start : start + _IDS_PER_STATEMENT]),
                    Chat.next_digest_at == move.built_for,
                )
                .values(last_digest_at=move.built_for, next_digest_at=move.following)
            )
