"""What newsbot keeps about a chat, as one JSON-ready document (/mydata)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import Chat, ConversationState, Subscription, Topic


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def chat_data(*, session: AsyncSession, telegram_id: int) -> dict[str, Any] | None:
    """The chat's settings, topics, join campaign and remembered state; None if unknown."""
    chat = await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))
    if chat is None:
        return None
    topics = await session.execute(
        select(Topic.slug, Topic.name, Subscription.digest, Subscription.alerts)
        .join(Subscription, Subscription.topic_id == Topic.id)
        .where(Subscription.chat_id == chat.id)
        .order_by(Topic.position, Topic.id)
    )
    remembered = await session.execute(
        select(ConversationState.kind, ConversationState.expires_at)
        .where(ConversationState.chat_id == telegram_id)
        .order_by(ConversationState.kind, ConversationState.expires_at)
    )
    return {
        "chat": {
            "id": chat.telegram_id,
            "type": chat.type.value,
            "title": chat.title,
            "username": chat.username,
            "status": chat.status.value,
            "joined_via": chat.joined_via,
            "created_at": _when(chat.created_at),
            "started_at": _when(chat.started_at),
        },
        "settings": {
            "language": chat.language,
            "timezone": chat.timezone,
            "digest_times": list(chat.digest_times),
            "frequency": chat.frequency.value,
            "weekly_day": chat.weekly_day,
            "quiet_hours": [chat.quiet_start, chat.quiet_end] if chat.quiet_start else None,
            "alerts": chat.alerts_enabled,
            "link_previews": chat.link_previews,
            "next_digest_at": _when(chat.next_digest_at),
            "last_digest_at": _when(chat.last_digest_at),
        },
        "topics": [
            {"slug": slug, "name": name, "digest": digest, "alerts": alerts}
            for slug, name, digest, alerts in topics
        ],
        "remembered": [
            {"kind": kind, "until": _when(expires_at)} for kind, expires_at in remembered
        ],
    }
