"""Conversation state: what a chat was shown or asked, readable by every instance.

A row is keyed by Telegram's chat id, a user id (0 when the state is the whole chat's), a kind
(`question`, `search`, `lists`, `flood`, `admin`, …) and a key within the kind. Each row carries
its own expiry: a read never returns an expired row, and `expire()` (the maintenance job) deletes
them. Payloads are small JSON objects; the caller decides their shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import rows_changed, upsert_into
from digests.models import ConversationState, utcnow


async def remember(
    *,
    session: AsyncSession,
    chat_id: int,
    kind: str,
    payload: dict[str, Any],
    expires_at: datetime,
    key: str = "",
    user_id: int = 0,
) -> None:
    """Store (or replace) one piece of state until `expires_at`."""
    values = {"payload": payload, "expires_at": expires_at, "updated_at": utcnow()}
    statement = upsert_into(session, ConversationState).values(
        chat_id=chat_id, user_id=user_id, kind=kind, key=key, **values
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["chat_id", "user_id", "kind", "key"], set_=values
        )
    )


async def recall(
    *,
    session: AsyncSession,
    chat_id: int,
    kind: str,
    now: datetime,
    key: str = "",
    user_id: int = 0,
) -> dict[str, Any] | None:
    """The stored payload, or None when there is none or it has expired."""
    payload = await session.scalar(
        select(ConversationState.payload).where(
            ConversationState.chat_id == chat_id,
            ConversationState.user_id == user_id,
            ConversationState.kind == kind,
            ConversationState.key == key,
            ConversationState.expires_at > now,
        )
    )
    return dict(payload) if isinstance(payload, dict) else None


async def forget(
    *, session: AsyncSession, chat_id: int, kind: str, key: str = "", user_id: int = 0
) -> bool:
    """Delete one piece of state; whether there was one."""
    return (
        await rows_changed(
            session,
            delete(ConversationState).where(
                ConversationState.chat_id == chat_id,
                ConversationState.user_id == user_id,
                ConversationState.kind == kind,
                ConversationState.key == key,
            ),
        )
        > 0
    )


async def forget_chat(*, session: AsyncSession, chat_id: int) -> int:
    """Delete everything remembered for a chat (/stop); how many rows went."""
    return await rows_changed(
        session, delete(ConversationState).where(ConversationState.chat_id == chat_id)
    )


async def expire(*, session: AsyncSession, now: datetime) -> int:
    """Delete every expired row (the maintenance job); how many went."""
    return await rows_changed(
        session, delete(ConversationState).where(ConversationState.expires_at <= now)
    )
