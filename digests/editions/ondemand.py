"""A chat's digest right now, on request (/digest): composed like any, the window up to now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from digests.editions.assemble import Limits
from digests.editions.compose import (
    FIRST_WINDOW,
    Audience,
    compose_edition,
    digest_topics,
    load_topic_labels,
)
from digests.editions.layout import DigestPart
from digests.models import Chat
from digests.readers.filters import chat_filters
from digests.text.render import Renderer


async def digest_now(
    *,
    session: AsyncSession,
    chat: Chat,
    renderer: Renderer,
    now: datetime,
    limits: Limits,
    bot_username: str | None,
) -> list[DigestPart] | None:
    """The chat's digest of what arrived since its last one; None when it follows no topic."""
    topic_ids = (await digest_topics(session=session, chat_ids=[chat.id])).get(chat.id, ())
    if not topic_ids:
        return None
    audience = Audience(
        topic_ids=topic_ids,
        start=chat.last_digest_at or now - FIRST_WINDOW,
        end=now,
        language=chat.language,
        timezone=chat.timezone,
        filters=await chat_filters(session=session, chat_id=chat.id),
    )
    composed = await compose_edition(
        session=session,
        renderer=renderer,
        audience=audience,
        labels=await load_topic_labels(session=session),
        limits=limits,
        bot_username=bot_username,
    )
    return composed.parts
