"""A chat's digest right now, on request (/digest): same assembly, the window up to now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.editions.assemble import Limits, assemble
from digests.editions.build import FIRST_WINDOW, digest_topics
from digests.editions.candidates import load_candidates
from digests.editions.layout import DigestPart, DigestView, render_digest_parts
from digests.models import Chat, Topic
from digests.readers.deeplinks import start_link, topics_payload
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
    rows = (await session.execute(select(Topic.id, Topic.slug, Topic.name))).all()
    start = chat.last_digest_at or now - FIRST_WINDOW
    candidates = await load_candidates(session=session, start=start, end=now, topic_ids=topic_ids)
    digest = assemble(candidates, topic_ids, now=now, limits=limits)
    payload = topics_payload(list(topic_ids), {row.id: row.slug for row in rows})
    view = DigestView(
        language=chat.language,
        timezone=chat.timezone,
        edition_at=now,
        topic_names={row.id: row.name for row in rows},
        join_url=start_link(bot_username, payload) if bot_username else None,
    )
    return render_digest_parts(renderer, digest, view) if digest else []
