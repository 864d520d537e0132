"""Which channel a private chat's /settings acts on: one its user connected or administers.

Channels cannot talk to the bot, so their schedule is set from the private chat of an admin:
`/settings @channel` (or the picker under /settings) chooses the channel, and until the chat
goes back to its own settings (or an hour passes) the screen and its questions act on it.
Who may choose it is the bot's to ask Telegram (bot/handlers/channel_settings.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.ids import parse_id
from digests.models import Chat, ChatStatus, ChatType
from digests.readers import conversation

KIND = "settings_for"
CHOSEN_FOR = timedelta(hours=1)
MAX_PICKED = 5  # the picker's buttons under /settings


async def connected_channels(*, session: AsyncSession, user_id: int) -> list[Chat]:
    """The active channels this user connected, by title."""
    rows = await session.scalars(
        select(Chat)
        .where(
            Chat.type == ChatType.CHANNEL,
            Chat.status == ChatStatus.ACTIVE,
            Chat.connected_by == user_id,
        )
        .order_by(Chat.title, Chat.id)
        .limit(MAX_PICKED)
    )
    return list(rows)


async def find_channel(*, session: AsyncSession, key: str) -> Chat | None:
    """An active connected channel by @username or by its -100… id; None when there is none."""
    key = key.strip()
    if key.startswith("-"):
        number = parse_id(key[1:])
        condition = Chat.telegram_id == -number if number else None
    else:
        name = key.removeprefix("@").lower()
        condition = func.lower(Chat.username) == name if name else None
    if condition is None:
        return None
    return await session.scalar(
        select(Chat).where(
            condition, Chat.type == ChatType.CHANNEL, Chat.status == ChatStatus.ACTIVE
        )
    )


async def choose_channel(
    *, session: AsyncSession, private_chat_id: int, channel: Chat, now: datetime
) -> None:
    """From now on this private chat's /settings acts on the channel."""
    await conversation.remember(
        session=session,
        chat_id=private_chat_id,
        kind=KIND,
        payload={"chat": channel.id},
        expires_at=now + CHOSEN_FOR,
    )


async def chosen_channel(
    *, session: AsyncSession, private_chat_id: int, now: datetime
) -> Chat | None:
    """The channel this private chat's /settings acts on, if one is chosen and still active."""
    stored = await conversation.recall(session=session, chat_id=private_chat_id, kind=KIND, now=now)
    row = stored.get("chat") if stored else None
    channel = await session.get(Chat, row) if isinstance(row, int) else None
    if channel is None or channel.type is not ChatType.CHANNEL:
        return None
    return channel if channel.status is ChatStatus.ACTIVE else None


async def forget_channel(*, session: AsyncSession, private_chat_id: int) -> None:
    """Back to the private chat's own settings."""
    await conversation.forget(session=session, chat_id=private_chat_id, kind=KIND)
