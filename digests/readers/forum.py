"""Forum supergroups: which thread receives a topic's digest, every digest, or the alerts.

An admin types /here inside a thread: `/here` sends every digest there, `/here alerts` the
breaking alerts, `/here <topic>` that topic's section, `/here off` ends what went there.
A digest whose topics go to several threads is split into one digest per thread; a section
no topic route claims goes where the "digests" route says, else to the General thread (0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.errors import UnknownTopics
from digests.models import ForumRoute, Topic
from digests.readers.subscriptions import active_topics

DIGESTS = "digests"
ALERTS = "alerts"
TOPIC = "topic:"
GENERAL = 0  # no message_thread_id: the chat's General thread


def topic_target(topic_id: int) -> str:
    """The route target of one topic's digest section."""
    return f"{TOPIC}{topic_id}"


def split_by_thread(
    topic_ids: Sequence[int], routes: Mapping[str, int]
) -> list[tuple[int, tuple[int, ...]]]:
    """The chat's topics grouped by the thread their sections go to, General first."""
    default = routes.get(DIGESTS, GENERAL)
    threads: dict[int, list[int]] = {}
    for topic_id in topic_ids:
        threads.setdefault(routes.get(topic_target(topic_id), default), []).append(topic_id)
    return [(thread, tuple(ids)) for thread, ids in sorted(threads.items())]


async def routes_of(
    *, session: AsyncSession, chat_ids: Sequence[int] | None = None, target: str | None = None
) -> dict[int, dict[str, int]]:
    """Each chat's routes (target -> thread), for these chats or every chat; one target only
    when given."""
    query = select(ForumRoute.chat_id, ForumRoute.target, ForumRoute.thread_id)
    if chat_ids is not None:
        query = query.where(ForumRoute.chat_id.in_(chat_ids))
    if target is not None:
        query = query.where(ForumRoute.target == target)
    routes: dict[int, dict[str, int]] = {}
    for chat_id, route_target, thread_id in (await session.execute(query)).all():
        routes.setdefault(chat_id, {})[route_target] = thread_id
    return routes


@dataclass
class Routes:
    """What a forum's threads receive, as /here answers it."""

    here: list[str] = field(default_factory=list)  # what this thread now receives
    elsewhere: list[tuple[str, int]] = field(default_factory=list)  # (what, thread)


async def _labels(session: AsyncSession, routes: Mapping[str, int]) -> dict[str, str]:
    names = {topic_target(t.id): t.name for t in await session.scalars(select(Topic))}
    return {target: names.get(target, target) for target in routes}


async def route_here(
    *,
    session: AsyncSession,
    chat_id: int,
    thread_id: int,
    what: str,
    user_id: int | None,
    now: datetime,
) -> Routes:
    """Route `what` ("" for every digest, "alerts", a topic slug, or "off") to this thread."""
    word = what.strip().lower().lstrip("#")
    if word == "off":
        await session.execute(
            delete(ForumRoute).where(
                ForumRoute.chat_id == chat_id, ForumRoute.thread_id == thread_id
            )
        )
    else:
        if word in ("", DIGESTS):
            target = DIGESTS
        elif word == ALERTS:
            target = ALERTS
        else:
            topics = await active_topics(session=session)
            topic = next((t for t in topics if word in (t.slug, t.name.lower())), None)
            if topic is None:
                raise UnknownTopics([word], [t.slug for t in topics])
            target = topic_target(topic.id)
        await session.merge(
            ForumRoute(
                chat_id=chat_id,
                target=target,
                thread_id=thread_id,
                set_by=user_id,
                created_at=now,
            )
        )
    await session.flush()
    routes = (await routes_of(session=session, chat_ids=[chat_id])).get(chat_id, {})
    labels = await _labels(session, routes)
    result = Routes()
    for target, thread in sorted(routes.items()):
        if thread == thread_id:
            result.here.append(labels[target])
        else:
            result.elsewhere.append((labels[target], thread))
    return result


async def drop_thread(*, session: AsyncSession, chat_id: int, thread_id: int) -> int:
    """Forget every route to a thread (deleted or closed); how many there were."""
    routes = await session.scalars(
        select(ForumRoute).where(ForumRoute.chat_id == chat_id, ForumRoute.thread_id == thread_id)
    )
    found = list(routes)
    for route in found:
        await session.delete(route)
    await session.flush()
    return len(found)
