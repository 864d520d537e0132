"""Building due digests: claim chats, assemble and render once per audience, queue, advance."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import upsert_into
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.editions.assemble import DEFAULT_LIMITS, Digest, Limits, Pool, assemble
from digests.editions.candidates import load_candidates
from digests.editions.layout import (
    DigestPart,
    DigestView,
    related_buttons,
    render_digest_parts,
    render_nothing_new,
)
from digests.models import (
    Chat,
    ChatStatus,
    ChatType,
    DeliveryKind,
    Edition,
    Frequency,
    Priority,
    Subscription,
    Topic,
)
from digests.readers.deeplinks import start_link, topics_payload
from digests.readers.schedule import next_digest_at
from digests.text.render import Renderer

FIRST_WINDOW = timedelta(hours=24)
_IDS_PER_STATEMENT = 900  # under SQLite's older 999 bound-parameter limit
# Claim a digest this long after its moment, so articles stored in a transaction that was
# still open at that moment are committed before the window is read (ingest stamps each
# source's or chunk's articles when it stores them, and a store takes well under this).
SETTLE = timedelta(seconds=30)


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
class BuildCache:
    """Work shared by the batches of one run: windows read, digests assembled, text rendered."""

    pools: dict[tuple[datetime, datetime], Pool] = field(default_factory=dict)
    digests: dict[tuple[object, ...], Digest] = field(default_factory=dict)
    # Kept as UTF-8: one emoji in a str makes Python store the whole text at 4 bytes a char.
    renderings: dict[tuple[object, ...], tuple[str, list[bytes]]] = field(default_factory=dict)
    blocks: dict[tuple[object, ...], tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class DueChat:
    """The columns of a due chat that building its digest needs."""

    id: int
    type: ChatType
    language: str
    timezone: str
    digest_times: list[str]
    frequency: Frequency
    weekly_day: int | None
    link_previews: bool
    scheduled_for: datetime
    window_start: datetime
    topic_ids: tuple[int, ...] = field(default=())


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


def digest_ref(scheduled_for: datetime) -> str:
    """The outbox reference of the digest for a scheduled moment (unique per chat with it)."""
    return "digest:" + scheduled_for.strftime("%Y%m%dT%H%M%SZ")


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
    due = await claim_due_chats(session=session, now=now, limit=options.batch_size)
    report = BuildReport(chats=len(due))
    if not due:
        return report
    topics_by_chat = await digest_topics(session=session, chat_ids=[chat.id for chat in due])
    topic_rows = (await session.execute(select(Topic.id, Topic.slug, Topic.name))).all()
    names = {row.id: row.name for row in topic_rows}
    slugs = {row.id: row.slug for row in topic_rows}

    all_topics = sorted(names)
    for chat in due:
        window = (chat.window_start, chat.scheduled_for)
        if window not in cache.pools and topics_by_chat.get(chat.id):
            candidates = await load_candidates(
                session=session, start=window[0], end=window[1], topic_ids=all_topics
            )
            cache.pools[window] = Pool.of(candidates, now=chat.scheduled_for)
    digests, renderings = cache.digests, cache.renderings
    rendered_before = len(renderings)
    editions, messages = [], []
    # The messages' payloads, shared by the batch's chats that read the same thing the same way.
    payloads: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for chat in due:
        topic_ids = topics_by_chat.get(chat.id, ())
        window = (chat.window_start, chat.scheduled_for)
        digest, key, chat_payloads = Digest(), None, []
        if topic_ids:
            digest_key = (topic_ids, window)
            if digest_key not in digests:
                digests[digest_key] = assemble(
                    cache.pools[window], topic_ids, now=chat.scheduled_for, limits=options.limits
                )
            digest = digests[digest_key]
            render_key = (topic_ids, window, chat.language, chat.timezone)
            if render_key not in renderings:
                rendered = _render(
                    renderer, digest, chat, topic_ids, names, slugs, options, cache.blocks
                )
                renderings[render_key] = (
                    _key_digest(render_key),
                    [
                        (part.text.encode(), part.article_ids, part.first_number)
                        for part in rendered
                    ],
                )
            key, encoded = renderings[render_key]
            shape = (render_key, chat.type is ChatType.CHANNEL, chat.link_previews)
            if shape not in payloads:
                parts = [DigestPart(text.decode(), ids, first) for text, ids, first in encoded]
                payloads[shape] = _payloads(chat, parts, options)
            chat_payloads = payloads[shape]
        editions.append(
            {
                "chat_id": chat.id,
                "scheduled_for": chat.scheduled_for,
                "window_start": chat.window_start,
                "window_end": chat.scheduled_for,
                "article_ids": digest.article_ids,
                "parts": len(chat_payloads),
                "render_key": key,
                "built_at": now,
            }
        )
        messages.extend(_messages(chat, digest_ref(chat.scheduled_for), chat_payloads))
    await session.execute(
        upsert_into(session, Edition).on_conflict_do_nothing(
            index_elements=["chat_id", "scheduled_for"]
        ),
        editions,
    )
    await enqueue(session=session, messages=messages, now=now)
    await advance(session=session, chats=due, now=now)
    report.editions = len(editions)
    report.messages = len(messages)
    report.renderings = len(renderings) - rendered_before
    return report


async def advance(*, session: AsyncSession, chats: Sequence[DueChat], now: datetime) -> None:
    """Move each chat's window on and set its next moment; chats on one schedule share an UPDATE."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for chat in chats:
        schedule = (
            chat.scheduled_for,
            chat.timezone,
            tuple(chat.digest_times),
            chat.frequency,
            chat.weekly_day,
        )
        groups[schedule].append(chat.id)
    for (scheduled_for, timezone, times, frequency, weekly_day), ids in groups.items():
        following = next_digest_at(
            timezone=timezone,
            times=times,
            frequency=frequency,
            weekly_day=weekly_day,
            # A bot that was down skips the moments it missed rather than catching up.
            after=max(scheduled_for, now),
        )
        for start in range(0, len(ids), _IDS_PER_STATEMENT):
            # Only if the schedule is still the one this edition was built for: a reader who
            # changed /settings meanwhile already has a new next moment, which must stand.
            await session.execute(
                update(Chat)
                .where(
                    Chat.id.in_(ids[start : start + _IDS_PER_STATEMENT]),
                    Chat.next_digest_at == scheduled_for,
                )
                .values(last_digest_at=scheduled_for, next_digest_at=following)
            )


def _key_digest(key: tuple[object, ...]) -> str:
    # Stable across processes (unlike hash()), so editions sharing a rendering can be found.
    return hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()


def _render(
    renderer: Renderer,
    digest: Digest,
    chat: DueChat,
    topic_ids: tuple[int, ...],
    names: dict[int, str],
    slugs: dict[int, str],
    options: BuildOptions,
    blocks: dict[tuple[object, ...], tuple[str, int]],
) -> list[DigestPart]:
    join_url = None
    if options.bot_username:
        join_url = start_link(options.bot_username, topics_payload(list(topic_ids), slugs))
    view = DigestView(
        language=chat.language,
        timezone=chat.timezone,
        edition_at=chat.scheduled_for,
        topic_names=names,
        join_url=join_url,
    )
    if digest:
        return render_digest_parts(renderer, digest, view, cache=blocks)
    if options.send_empty:
        return [DigestPart(text, (), 1) for text in render_nothing_new(renderer, view)]
    return []


def _payloads(
    chat: DueChat, parts: Iterable[DigestPart], options: BuildOptions
) -> list[dict[str, object]]:
    payloads = []
    for part in parts:
        payload: dict[str, object] = {
            "text": part.text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": not chat.link_previews},
        }
        markup = related_buttons(
            part, channel=chat.type is ChatType.CHANNEL, bot_username=options.bot_username
        )
        if markup:
            payload["reply_markup"] = markup
        payloads.append(payload)
    return payloads


def _messages(chat: DueChat, ref: str, payloads: list[dict[str, object]]) -> list[OutgoingMessage]:
    return [
        OutgoingMessage(
            chat_id=chat.id,
            kind=DeliveryKind.DIGEST,
            ref=ref,
            part=number,
            priority=Priority.DIGEST,
            payload=payload,
        )
        for number, payload in enumerate(payloads)
    ]
