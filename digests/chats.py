"""Chat registration and lifecycle: joins, returns and the events stats count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.editions.schedule import next_digest_at
from digests.models import Chat, ChatEvent, ChatStatus, ChatType, Frequency

DEFAULT_DIGEST_TIMES = ("08:00",)


@dataclass(frozen=True)
class ChatInfo:
    """What an update tells about a chat, independent of Telegram's classes."""

    telegram_id: int
    type: ChatType
    title: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class Registration:
    """The outcome of registering a chat: the row, and whether it is new or returning."""

    chat: Chat
    created: bool
    reactivated: bool


async def get_chat(*, session: AsyncSession, telegram_id: int) -> Chat | None:
    """The chat with this Telegram id, if newsbot knows it."""
    return await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))


def reschedule(chat: Chat, *, now: datetime) -> None:
    """Set the chat's next digest moment from its schedule (call after any schedule change)."""
    chat.next_digest_at = next_digest_at(
        timezone=chat.timezone,
        times=chat.digest_times,
        frequency=chat.frequency,
        weekly_day=chat.weekly_day,
        after=now,
    )


async def register_chat(
    *,
    session: AsyncSession,
    info: ChatInfo,
    language: str,
    timezone: str,
    now: datetime,
    campaign: str | None = None,
) -> Registration:
    """Create the chat or bring it back to active, recording a join event for stats."""
    chat = await get_chat(session=session, telegram_id=info.telegram_id)
    created = chat is None
    reactivated = False
    if chat is None:
        chat = Chat(
            telegram_id=info.telegram_id,
            type=info.type,
            language=language,
            timezone=timezone,
            joined_via=campaign,
            digest_times=list(DEFAULT_DIGEST_TIMES),
            frequency=Frequency.DAILY,
            status=ChatStatus.ACTIVE,
            created_at=now,
            updated_at=now,
        )
        session.add(chat)
        reschedule(chat, now=now)
    elif chat.status is not ChatStatus.ACTIVE:
        chat.status = ChatStatus.ACTIVE
        reactivated = True
    chat.type = info.type
    chat.title = info.title
    chat.username = info.username
    if created or reactivated:
        session.add(
            ChatEvent(
                at=now,
                telegram_chat_id=info.telegram_id,
                chat_type=info.type.value,
                event="join",
                campaign=campaign,
            )
        )
    await session.flush()
    return Registration(chat=chat, created=created, reactivated=reactivated)
