"""Registering chats: new, returning, and the join events stats count."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from digests.db import session_scope
from digests.models import ChatEvent, ChatStatus, ChatType
from digests.readers.chats import ChatInfo, get_chat, register_chat

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


async def test_first_start_creates_the_chat_with_defaults_and_campaign(sessionmaker):
    async with session_scope(sessionmaker) as session:
        registration = await register_chat(
            session=session,
            info=ChatInfo(telegram_id=5_000_000_001, type=ChatType.PRIVATE, title="Ada"),
            language="en",
            timezone="Europe/Warsaw",
            now=NOW,
            campaign="article-footer",
        )
        assert registration.created
    async with session_scope(sessionmaker) as session:
        chat = await get_chat(session=session, telegram_id=5_000_000_001)
        assert chat is not None
        assert (chat.status, chat.timezone, chat.joined_via) == (
            ChatStatus.ACTIVE,
            "Europe/Warsaw",
            "article-footer",
        )
        assert chat.digest_times == ["08:00"]
        assert chat.created_at == NOW
        events = (await session.scalars(select(ChatEvent))).all()
        assert [(e.event, e.campaign, e.telegram_chat_id) for e in events] == [
            ("join", "article-footer", 5_000_000_001)
        ]


async def test_second_start_is_not_a_new_join_but_a_blocked_chat_coming_back_is(sessionmaker):
    info = ChatInfo(telegram_id=-100123, type=ChatType.SUPERGROUP, title="Readers")
    for _ in range(2):
        async with session_scope(sessionmaker) as session:
            registration = await register_chat(
                session=session, info=info, language="en", timezone="UTC", now=NOW
            )
    assert not registration.created and not registration.reactivated
    async with session_scope(sessionmaker) as session:
        chat = await get_chat(session=session, telegram_id=-100123)
        chat.status = ChatStatus.BLOCKED
    async with session_scope(sessionmaker) as session:
        registration = await register_chat(
            session=session, info=info, language="en", timezone="UTC", now=NOW
        )
        assert registration.reactivated
        assert registration.chat.status is ChatStatus.ACTIVE
        joins = await session.scalar(select(func.count()).select_from(ChatEvent))
        assert joins == 2


async def test_a_chat_coming_back_gets_a_fresh_schedule_not_weeks_of_news(sessionmaker):
    from datetime import timedelta

    info = ChatInfo(telegram_id=777, type=ChatType.PRIVATE)
    long_ago = NOW - timedelta(days=40)
    async with session_scope(sessionmaker) as session:
        registration = await register_chat(
            session=session, info=info, language="en", timezone="UTC", now=long_ago
        )
        registration.chat.status = ChatStatus.BLOCKED
        registration.chat.last_digest_at = long_ago
    async with session_scope(sessionmaker) as session:
        back = await register_chat(
            session=session, info=info, language="en", timezone="UTC", now=NOW
        )
    assert back.reactivated
    assert back.chat.next_digest_at > NOW and back.chat.last_digest_at is None
