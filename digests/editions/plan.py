"""Planning a batch of due digests (pure): who is due, who reads what, what to queue, what next.

Data in, data out, `now` passed in; the database reads and writes around it live in build.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from digests.delivery.outbox import OutgoingMessage
from digests.editions.compose import Audience, ComposedEdition
from digests.editions.layout import DigestPart, related_buttons
from digests.models import ChatType, DeliveryKind, Frequency, Priority
from digests.readers.filters import FilterSet
from digests.readers.schedule import next_digest_at

# Claim a digest this long after its moment, so articles stored in a transaction that was
# still open at that moment are committed before the window is read (ingest stamps each
# source's or chunk's articles when it stores them, and a store takes well under this).
SETTLE = timedelta(seconds=30)

EncodedPart = tuple[bytes, tuple[int, ...], int]  # UTF-8 text, article ids, first number


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class PlannedEdition:
    """A due chat and the audience it reads; None when it follows no topic (nothing to send)."""

    chat: DueChat
    audience: Audience | None


@dataclass(frozen=True, slots=True)
class Advance:
    """Chats whose edition for `built_for` is queued: they move on to `following`, but only if
    their next moment is still `built_for` (a reader who changed /settings meanwhile keeps it).
    """

    chat_ids: tuple[int, ...]
    built_for: datetime
    following: datetime | None


@dataclass(frozen=True)
class BatchPlan:
    """A batch's editions, the audiences to compose (each once), and the schedules to advance."""

    editions: tuple[PlannedEdition, ...]
    audiences: tuple[Audience, ...]
    advances: tuple[Advance, ...]


@dataclass(frozen=True, slots=True)
class Rendering:
    """A composed audience as a run keeps it: its stable key, its articles and its parts."""

    key: str
    article_ids: tuple[int, ...]
    # Kept as UTF-8: one emoji in a str makes Python store the whole text at 4 bytes a char.
    encoded: tuple[EncodedPart, ...]

    @classmethod
    def of(cls, audience: Audience, composed: ComposedEdition) -> Rendering:
        """Keep a composed edition for the chats of the run that read its audience."""
        window = (audience.start, audience.end)
        key = (audience.topic_ids, window, audience.language, audience.timezone)
        return cls(
            # Stable across processes (unlike hash()), so editions sharing a rendering can be found.
            key=hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest(),
            article_ids=tuple(composed.digest.article_ids),
            encoded=tuple(
                (part.text.encode(), part.article_ids, part.first_number) for part in composed.parts
            ),
        )

    def parts(self) -> list[DigestPart]:
        """The parts as text again."""
        return [DigestPart(text.decode(), ids, first) for text, ids, first in self.encoded]


@dataclass(frozen=True)
class BatchWrites:
    """What a planned batch writes: edition rows, outbox messages, schedule advances."""

    editions: list[dict[str, Any]]
    messages: list[OutgoingMessage]
    advances: tuple[Advance, ...]


def digest_ref(scheduled_for: datetime) -> str:
    """The outbox reference of the digest for a scheduled moment (unique per chat with it)."""
    return "digest:" + scheduled_for.strftime("%Y%m%dT%H%M%SZ")


def plan_batch(
    chats: Sequence[DueChat],
    topics_by_chat: Mapping[int, tuple[int, ...]],
    *,
    now: datetime,
    filters_by_chat: Mapping[int, FilterSet] | None = None,
) -> BatchPlan:
    """Which chats are due at `now`, the audience each reads (equal ones shared), what next."""
    due = [chat for chat in chats if chat.scheduled_for <= now - SETTLE]
    audiences: dict[Audience, Audience] = {}
    editions = []
    for chat in due:
        topic_ids = topics_by_chat.get(chat.id, ())
        audience = None
        if topic_ids:
            audience = Audience(
                topic_ids=topic_ids,
                start=chat.window_start,
                end=chat.scheduled_for,
                language=chat.language,
                timezone=chat.timezone,
                filters=(filters_by_chat or {}).get(chat.id, FilterSet()),
            )
            audience = audiences.setdefault(audience, audience)
        editions.append(PlannedEdition(chat, audience))
    return BatchPlan(
        editions=tuple(editions),
        audiences=tuple(audiences),
        advances=plan_advances(due, now=now),
    )


def plan_advances(chats: Iterable[DueChat], *, now: datetime) -> tuple[Advance, ...]:
    """Each chat's next moment; chats on one schedule built for one moment share an Advance."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for chat in chats:
        schedule = (
            chat.scheduled_for,
            chat.timezone,
            tuple(chat.digest_times),
            chat.frequency,
            chat.weekly_day,
        )
        groups[schedule].append(chat.id)
    advances = []
    for (scheduled_for, timezone, times, frequency, weekly_day), ids in groups.items():
        following = next_digest_at(
            timezone=timezone,
            times=times,
            frequency=frequency,
            weekly_day=weekly_day,
            # A bot that was down skips the moments it missed rather than catching up.
            after=max(scheduled_for, now),
        )
        advances.append(Advance(tuple(ids), scheduled_for, following))
    return tuple(advances)


def batch_writes(
    plan: BatchPlan,
    renderings: Mapping[Audience, Rendering],
    *,
    bot_username: str | None,
    now: datetime,
) -> BatchWrites:
    """The edition rows and outbox messages of a planned batch, its audiences rendered."""
    editions, messages = [], []
    # The messages' payloads, shared by the batch's chats that read the same thing the same way.
    payloads: dict[tuple[Audience, bool, bool], list[dict[str, Any]]] = {}
    for chat, audience in ((edition.chat, edition.audience) for edition in plan.editions):
        rendering, chat_payloads = None, []
        if audience is not None:
            rendering = renderings[audience]
            shape = (audience, chat.type is ChatType.CHANNEL, chat.link_previews)
            if shape not in payloads:
                payloads[shape] = _payloads(chat, rendering.parts(), bot_username)
            chat_payloads = payloads[shape]
        editions.append(
            {
                "chat_id": chat.id,
                "scheduled_for": chat.scheduled_for,
                "window_start": chat.window_start,
                "window_end": chat.scheduled_for,
                "article_ids": list(rendering.article_ids) if rendering else [],
                "parts": len(chat_payloads),
                "render_key": rendering.key if rendering else None,
                "built_at": now,
            }
        )
        messages.extend(_messages(chat, digest_ref(chat.scheduled_for), chat_payloads))
    return BatchWrites(editions=editions, messages=messages, advances=plan.advances)


def _payloads(
    chat: DueChat, parts: Iterable[DigestPart], bot_username: str | None
) -> list[dict[str, Any]]:
    payloads = []
    for part in parts:
        payload: dict[str, Any] = {
            "text": part.text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": not chat.link_previews},
        }
        markup = related_buttons(
            part, channel=chat.type is ChatType.CHANNEL, bot_username=bot_username
        )
        if markup:
            payload["reply_markup"] = markup
        payloads.append(payload)
    return payloads


def _messages(chat: DueChat, ref: str, payloads: list[dict[str, Any]]) -> list[OutgoingMessage]:
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
