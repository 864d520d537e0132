"""The conversation store: remembered until it expires, per chat, user, kind and key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digests.db import session_scope
from digests.readers.conversation import expire, forget, forget_chat, recall, remember

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def test_state_is_recalled_until_it_expires_then_expire_deletes_it(sessionmaker) -> None:
    async with session_scope(sessionmaker) as session:
        await remember(
            session=session,
            chat_id=-100,
            kind="question",
            payload={"field": "times"},
            expires_at=NOW + timedelta(minutes=5),
        )
    async with session_scope(sessionmaker) as session:
        assert await recall(session=session, chat_id=-100, kind="question", now=NOW) == {
            "field": "times"
        }
        later = NOW + timedelta(minutes=5)
        assert await recall(session=session, chat_id=-100, kind="question", now=later) is None
        assert await expire(session=session, now=NOW) == 0
        assert await expire(session=session, now=later) == 1


async def test_remembering_again_replaces_and_keys_keep_things_apart(sessionmaker) -> None:
    until = NOW + timedelta(days=1)
    async with session_scope(sessionmaker) as session:
        for key, query in [("a", "trams"), ("b", "budget"), ("a", "bridges")]:
            await remember(
                session=session,
                chat_id=7,
                kind="search",
                key=key,
                payload={"query": query},
                expires_at=until,
            )
        await remember(
            session=session, chat_id=7, user_id=9, kind="flood", payload={"t": 1}, expires_at=until
        )
    async with session_scope(sessionmaker) as session:
        queries = [
            await recall(session=session, chat_id=7, kind="search", key=key, now=NOW)
            for key in "ab"
        ]
        assert queries == [{"query": "bridges"}, {"query": "budget"}]
        assert await recall(session=session, chat_id=7, kind="flood", now=NOW) is None
        assert await forget(session=session, chat_id=7, kind="search", key="a") is True
        assert await forget(session=session, chat_id=7, kind="search", key="a") is False
        assert await forget_chat(session=session, chat_id=7) == 2
        assert await recall(session=session, chat_id=7, kind="search", key="b", now=NOW) is None
