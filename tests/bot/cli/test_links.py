"""`newsbot links`: join links for the site, with QR codes, and the campaign they count under."""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import select

from bot.context import services_of
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.models import ChatEvent, utcnow
from digests.readers.bot_identity import bot_username, remember_bot_username
from digests.readers.chats import get_chat
from digests.readers.deeplinks import topics_payload
from digests.readers.subscriptions import active_topics, topic_states
from tests.bot.cli.running import newsbot


async def store_username(database_url: str, username: str) -> None:
    engine = create_engine(database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            await remember_bot_username(session=session, username=username, now=utcnow())
    finally:
        await engine.dispose()


def links_of(stdout: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in stdout.splitlines()}


def test_links_use_the_stored_username_and_write_qr_codes(tmp_path, database_url):
    asyncio.run(store_username(database_url, "DailyNewsBot"))
    qr = tmp_path / "codes"

    result = newsbot(
        "links",
        "--topic",
        "world",
        "--topic",
        "sport",
        "--campaign",
        "footer",
        "--qr",
        str(qr),
        cwd=tmp_path,
        DATABASE_URL=database_url,
    )

    assert result.returncode == 0, result.stderr
    links = links_of(result.stdout)
    assert set(links) == {"topic-world", "topic-sport", "join-footer"}
    assert re.fullmatch(
        r"https://t\.me/DailyNewsBot\?start=t-[0-9a-z]+_footer", links["topic-world"]
    )
    assert links["join-footer"] == "https://t.me/DailyNewsBot?start=footer"
    for name in links:
        png = (qr / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(line.endswith(".png") for line in result.stdout.splitlines())


def test_links_for_every_topic_without_a_campaign(tmp_path, database_url):
    result = newsbot(
        "links", "--bot-username", "@other_bot", cwd=tmp_path, DATABASE_URL=database_url
    )
    links = links_of(result.stdout)
    assert links["topic-world"] == "https://t.me/other_bot?start=world"  # the old slug link
    assert links["join-site"] == "https://t.me/other_bot?start=site"
    assert len(links) == 10  # nine topics in the shipped catalogue, and the site's box


def test_links_refuse_what_they_cannot_make(tmp_path, database_url):
    env = {"DATABASE_URL": database_url}
    unknown = newsbot("links", cwd=tmp_path, **env)
    assert unknown.returncode == 2
    assert "the bot's username is not known yet" in unknown.stderr
    bad = newsbot("links", "--bot-username", "x", "--campaign", "world", cwd=tmp_path, **env)
    assert "is not a Telegram username" in bad.stderr
    clash = newsbot(
        "links", "--bot-username", "newsbot", "--campaign", "world", cwd=tmp_path, **env
    )
    assert "would read as a topic" in clash.stderr
    topic = newsbot("links", "--bot-username", "newsbot", "--topic", "cooking", cwd=tmp_path, **env)
    assert "no such topic: cooking" in topic.stderr


async def test_start_up_stores_the_username_and_a_link_subscribes_and_counts_its_campaign(
    application, api, deliver
):
    sessionmaker = services_of(application).sessionmaker
    async with session_scope(sessionmaker) as session:
        assert await bot_username(session=session, now=utcnow()) == api.bot_user["username"]
        ids = {topic.slug: topic.id for topic in await active_topics(session=session)}
    payload = topics_payload([ids["world"]], {ids["world"]: "world"}, "footer")

    await deliver(api.user_message(f"/start {payload}", user_id=555))

    async with session_scope(sessionmaker) as session:
        chat = await get_chat(session=session, telegram_id=555)
        following = [
            s.slug for s in await topic_states(session=session, chat_id=chat.id) if s.subscribed
        ]
        campaigns = list(await session.scalars(select(ChatEvent.campaign)))
    assert following == ["world"]
    assert campaigns == ["footer"]


async def test_old_links_keep_working(application, api, deliver):
    await deliver(api.user_message("/start sport", user_id=556))
    await deliver(api.user_message("/start spring_ad", user_id=557))
    sessionmaker = services_of(application).sessionmaker
    async with session_scope(sessionmaker) as session:
        sport = await get_chat(session=session, telegram_id=556)
        states = await topic_states(session=session, chat_id=sport.id)
        campaigns = list(await session.scalars(select(ChatEvent.campaign).order_by(ChatEvent.id)))
    assert [s.slug for s in states if s.subscribed] == ["sport"]
    assert campaigns == ["sport", "spring_ad"]
