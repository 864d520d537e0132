"""A channel's /settings from its admin's private chat: the picker, and who may use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Update

from bot.context import NewsContext
from bot.handlers.channels import _is_channel_admin
from digests.errors import ChannelError
from digests.ids import parse_id
from digests.models import Chat, ChatType, utcnow
from digests.readers.channel_settings import (
    choose_channel,
    chosen_channel,
    connected_channels,
    find_channel,
    forget_channel,
)
from digests.readers.chats import get_chat_by_row

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class SettingsTarget:
    """The chat a /settings screen acts on, the language it speaks, and its channel picker."""

    chat: Chat
    language: str
    channel: str | None  # the channel's title when the screen is a channel's
    picker: list[tuple[int, str]]  # (row id, title) of the user's channels, on its own screen


async def may_set_channel(context: NewsContext, channel: Chat, user_id: int) -> bool:
    """The admin who connected the channel, or any admin it has now (asked live)."""
    if channel.connected_by == user_id:
        return True
    return await _is_channel_admin(context, channel.telegram_id, user_id)


async def settings_target(
    session: AsyncSession, update: Update, context: NewsContext
) -> SettingsTarget:
    """This chat, or the channel its user chose here; ChannelError when no longer allowed."""
    chat = await context.current_chat(session, update)
    user = update.effective_user
    if chat.type is not ChatType.PRIVATE or user is None:
        return SettingsTarget(chat, chat.language, None, [])
    channel = await chosen_channel(session=session, private_chat_id=chat.telegram_id, now=utcnow())
    if channel is None:
        mine = await connected_channels(session=session, user_id=user.id)
        picker = [(c.id, c.title or c.username or str(c.telegram_id)) for c in mine]
        return SettingsTarget(chat, chat.language, None, picker)
    if not await may_set_channel(context, channel, user.id):
        await forget_channel(session=session, private_chat_id=chat.telegram_id)
        raise ChannelError("not_channel_admin", channel.title or "")
    return SettingsTarget(channel, chat.language, channel.title or channel.username or "", [])


async def pick_channel(update: Update, context: NewsContext, key: str) -> None:
    """Act on a channel from now on (a picker's row id, @username or -100… id), or on this
    chat again for "me"."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return
    async with context.session() as session:
        if key == "me":
            await forget_channel(session=session, private_chat_id=chat.id)
            return
        row = parse_id(key.removeprefix("ch:")) if key.startswith("ch:") else None
        if row is not None:
            channel = await get_chat_by_row(session=session, chat_id=row)
            channel = channel if channel and channel.type is ChatType.CHANNEL else None
        else:
            channel = await find_channel(session=session, key=key)
        if channel is None:
            raise ChannelError("unknown_channel", key[:64])
        if not await may_set_channel(context, channel, user.id):
            raise ChannelError("not_channel_admin", channel.title or "")
        await choose_channel(
            session=session, private_chat_id=chat.id, channel=channel, now=utcnow()
        )
