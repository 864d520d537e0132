"""The numbers a reader sees: which article "3" is in the last list shown to a chat.

A digest, /latest and search results number their articles 1, 2, 3 … for the chat. A list sent
in reply (a page of search results or of /latest, /digest now) is remembered in the
conversation store as it is shown; a scheduled digest is not, since it goes out through the
outbox: its numbers are the chat's last edition's, in reading order, from the moment its first
message was sent. Whichever of the two the chat saw last is the list a bare number refers to.
Both live in the database, so any instance answers alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.archive.lookups import find_article
from digests.editions.plan import digest_ref
from digests.errors import ListError
from digests.ids import parse_id
from digests.models import Article, Chat, Delivery, DeliveryKind, DeliveryStatus, Edition
from digests.readers.conversation import recall, remember

LISTS = "lists"
# How long the numbers of a list shown in reply stay good.
LIST_TTL = timedelta(days=7)
# Numbers kept per list: pages of one search or /latest add up to this many.
MAX_NUMBERS = 100
MAX_LIST_NUMBER = 10_000
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class ShownList:
    """The articles a chat saw numbered, by number, and since when."""

    numbers: dict[int, int]
    shown_at: datetime


async def remember_list(
    *,
    session: AsyncSession,
    chat_id: int,
    name: str,
    first: int,
    article_ids: Sequence[int],
    now: datetime,
) -> None:
    """Record a list just shown to the chat (Telegram id): `article_ids` numbered from `first`.

    Pages of the same list (`name`, e.g. "search:<key>") add up; another list replaces it.
    """
    stored = await recall(session=session, chat_id=chat_id, kind=LISTS, now=now)
    numbers: dict[str, int] = {}
    if stored is not None and stored.get("name") == name:
        numbers = {str(k): int(v) for k, v in dict(stored.get("numbers", {})).items()}
    numbers.update({str(first + offset): id_ for offset, id_ in enumerate(article_ids)})
    kept = dict(sorted(numbers.items(), key=lambda item: int(item[0]))[-MAX_NUMBERS:])
    await remember(
        session=session,
        chat_id=chat_id,
        kind=LISTS,
        payload={"name": name, "numbers": kept, "shown_at": now.isoformat()},
        expires_at=now + LIST_TTL,
    )


async def _replied_list(*, session: AsyncSession, chat: Chat, now: datetime) -> ShownList | None:
    stored = await recall(session=session, chat_id=chat.telegram_id, kind=LISTS, now=now)
    if stored is None:
        return None
    numbers = {int(k): int(v) for k, v in dict(stored.get("numbers", {})).items()}
    return ShownList(numbers=numbers, shown_at=datetime.fromisoformat(str(stored["shown_at"])))


async def _last_digest(*, session: AsyncSession, chat: Chat) -> ShownList | None:
    edition = await session.scalar(
        select(Edition)
        .where(Edition.chat_id == chat.id, Edition.parts > 0)
        .order_by(Edition.scheduled_for.desc())
        .limit(1)
    )
    if edition is None or not edition.article_ids:
        return None
    sent_at = await session.scalar(
        select(Delivery.sent_at).where(
            Delivery.chat_id == chat.id,
            Delivery.kind == DeliveryKind.DIGEST,
            Delivery.ref == digest_ref(edition.scheduled_for),
            Delivery.part == 0,
            Delivery.status == DeliveryStatus.SENT,
        )
    )
    if sent_at is None:  # queued, not seen yet
        return None
    numbers = {number: id_ for number, id_ in enumerate(edition.article_ids, start=1)}
    return ShownList(numbers=numbers, shown_at=sent_at)


async def last_list(*, session: AsyncSession, chat: Chat, now: datetime) -> ShownList | None:
    """The numbered list the chat saw last: a reply's or its last scheduled digest's."""
    lists = [
        shown
        for shown in (
            await _replied_list(session=session, chat=chat, now=now),
            await _last_digest(session=session, chat=chat),
        )
        if shown is not None
    ]
    return max(lists, key=lambda shown: shown.shown_at) if lists else None


async def article_for(
    *, session: AsyncSession, chat: Chat, reference: str, now: datetime
) -> Article | None:
    """The article a reader means: '3' (the last list's third), '#1234' (the archive's
    number) or an address. ListError when a number names no list or nothing in it.
    """
    reference = reference.strip()
    if not _DIGITS.fullmatch(reference):  # '#1234', an address, or no article at all
        return await find_article(session=session, reference=reference)
    shown = await last_list(session=session, chat=chat, now=now)
    if shown is None:
        raise ListError("no_list", reference)
    number = parse_id(reference, maximum=MAX_LIST_NUMBER)
    article_id = shown.numbers.get(number) if number is not None else None
    if article_id is None:
        raise ListError("not_in_list", reference)
    return await session.get(Article, article_id)
