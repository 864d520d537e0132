"""The bot's own @username, as the last getMe at start-up gave it, for `newsbot links`."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from digests.readers import conversation

# Kept in the conversation store under chat 0 (no Telegram chat has that id).
KIND = "bot"
# Renewed at every start; only a bot not started for this long is forgotten.
KEPT = timedelta(days=3650)


async def remember_bot_username(*, session: AsyncSession, username: str, now: datetime) -> None:
    """Store the username getMe returned."""
    await conversation.remember(
        session=session,
        chat_id=0,
        kind=KIND,
        payload={"username": username, "at": now.isoformat()},
        expires_at=now + KEPT,
    )


async def bot_username(*, session: AsyncSession, now: datetime) -> str | None:
    """The username stored at the last start, or None before the first."""
    payload = await conversation.recall(session=session, chat_id=0, kind=KIND, now=now)
    username = payload.get("username") if payload else None
    return username if isinstance(username, str) and username else None
