"""Chat registration and lifecycle: joins, returns and the events stats count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import Chat, ChatEvent, ChatStatus, ChatType, Frequency
from digests.readers import conversation
from digests.readers.schedule import next_digest_at

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
        # Moments missed while away are skipped, and the next digest covers a normal day,
        # not everything since the chat left.
        chat.last_digest_at = None
        reschedule(chat, now=now)
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


async def record_departure(
    *, session: AsyncSession, telegram_id: int, status: ChatStatus, now: datetime
) -> Chat | None:
    """The bot was removed, kicked or blocked: stop delivering and count the leave."""
    chat = await get_chat(session=session, telegram_id=telegram_id)
    if chat is None:
        return None
    if chat.status is ChatStatus.ACTIVE:
        session.add(
            ChatEvent(
                at=now,
                telegram_chat_id=telegram_id,
                chat_type=chat.type.value,
                event="leave" if status is ChatStatus.LEFT else status.value,
                campaign=chat.joined_via,
            )
        )
    chat.status = status
    await session.flush()
    return chat


async def migrate_chat(*, session: AsyncSession, old_id: int, new_id: int) -> Chat | None:
    """A group became a supergroup: keep its row (subscriptions, settings) under the new id."""
    chat = await get_chat(session=session, telegram_id=old_id)
    if chat is None or old_id == new_id:
        return chat
    existing = await get_chat(session=session, telegram_id=new_id)
    if existing is not None:
        # The supergroup already spoke to us first; the old group's choices win.
        await session.delete(existing)
        await session.flush()
    chat.telegram_id = new_id
    chat.type = ChatType.SUPERGROUP
    await session.flush()
    return chat


async def forget_chat(*, session: AsyncSession, telegram_id: int, now: datetime) -> bool:
    """/stop confirmed: delete the chat and everything of it; a leave event stays for stats."""
    await conversation.forget_chat(session=session, chat_id=telegram_id)
    chat = await get_chat(session=session, telegram_id=telegram_id)
    if chat is None:
        return False
    session.add(
        ChatEvent(
            at=now,
            telegram_chat_id=telegram_id,
            chat_type=chat.type.value,
            event="stop",
            campaign=chat.joined_via,
        )
    )
    await session.delete(chat)
    await session.flush()
    return True


async def get_chat_by_row(*, session: AsyncSession, chat_id: int) -> Chat | None:
    """The chat with newsbot's own row id."""
    return await session.get(Chat, chat_id)
