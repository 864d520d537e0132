"""Forum threads that went away: drop their routes and tell the forum's admins, once.

The sender sends a message whose thread is deleted or closed to the General thread instead
and records it sent with the code `thread_gone`. This job (run with the digest build) finds
the routes such rows name, deletes them, so what follows goes to General directly, and queues
one notice per thread (idempotent in the outbox, and the route is gone after it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.delivery.failures import FailureCode
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.models import (
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    ForumRoute,
    Priority,
    Topic,
)
from digests.readers.forum import TOPIC, drop_thread
from digests.text.render import Renderer

LOOKBACK = timedelta(days=2)


async def _gone(session: AsyncSession, chat_id: int, thread_id: int, since: datetime) -> bool:
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.chat_id == chat_id,
            Delivery.thread_id == thread_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.error_code == FailureCode.THREAD_GONE.value,
            Delivery.sent_at >= since,
        )
        .limit(1)
    )
    return found is not None


async def retire_gone_threads(*, session: AsyncSession, renderer: Renderer, now: datetime) -> int:
    """Drop the routes to threads that are gone, telling each forum once; how many threads."""
    routes = (
        await session.execute(select(ForumRoute.chat_id, ForumRoute.thread_id, ForumRoute.target))
    ).all()
    targets: dict[tuple[int, int], list[str]] = {}
    for chat_id, thread_id, target in routes:
        targets.setdefault((chat_id, thread_id), []).append(target)
    retired = 0
    for (chat_id, thread_id), what in targets.items():
        if not await _gone(session, chat_id, thread_id, now - LOOKBACK):
            continue
        chat = await session.get(Chat, chat_id)
        await drop_thread(session=session, chat_id=chat_id, thread_id=thread_id)
        if chat is None:
            continue
        names = await _names(session, what)
        text = renderer.render("forum/thread_gone.html", language=chat.language, whats=names)
        notice = OutgoingMessage(
            chat_id=chat_id,
            kind=DeliveryKind.NOTICE,
            ref=f"thread_gone:{thread_id}",
            payload={"text": text, "parse_mode": "HTML"},
            priority=Priority.NOTICE,
        )
        await enqueue(session=session, messages=[notice], now=now)
        retired += 1
    return retired


async def _names(session: AsyncSession, targets: list[str]) -> list[str]:
    ids = [int(t[len(TOPIC) :]) for t in targets if t.startswith(TOPIC)]
    names = dict(
        (await session.execute(select(Topic.id, Topic.name).where(Topic.id.in_(ids)))).all()
    )
    words = [t for t in targets if not t.startswith(TOPIC)]
    words += [names.get(i, str(i)) for i in ids]
    return sorted(words)
