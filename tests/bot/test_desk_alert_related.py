"""Related coverage under a breaking alert that links to an archived article."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from digests.db import session_scope
from digests.models import Topic, utcnow
from tests.bot.outbox_steps import send_pending
from tests.bot.test_desk_alerts import EDITOR, draft, rows
from tests.factories import add_article, add_chat, add_story, relate


async def archive(application) -> None:
    """Article 1 (https://news.example/1), two more of its story and three related ones."""
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        world = await session.scalar(select(Topic).where(Topic.slug == "world"))
        story = await add_story(session, 3, now)
        articles = {}
        for n, title in enumerate(
            [
                "Flood reaches the city",
                "Rescuers reach stranded villages",
                "Why the levee failed & what <comes> next",
                "Rain forecast for the week",
                "Insurers brace for claims",
                "Older flood of 1997 remembered",
            ],
            start=1,
        ):
            articles[n] = await add_article(
                session,
                n,
                topics={world: 1.0},
                fetched_at=now - timedelta(hours=n),
                story=story if n <= 3 else None,
                title=title,
            )
        for n, score in ((4, 0.9), (5, 0.8), (6, 0.7)):
            await relate(session, articles[1], articles[n], score)
        await add_chat(session, 601, topics=[world])
        await add_chat(session, 602, topics=[world], language="pl")
        desk = await add_chat(session, EDITOR)
        desk.alerts_enabled = False


async def test_an_alert_on_an_archived_article_lists_three_related_links(application, api, deliver):
    await archive(application)
    copy, _ = await draft(
        api, deliver, "/alert Flood: city centre under water https://news.example/1"
    )

    lines = copy["plain_text"].splitlines()
    assert lines[-4:] == [
        "Related coverage:",
        "• Rescuers reach stranded villages",
        "• Why the levee failed & what <comes> next",
        "• Rain forecast for the week",
    ]
    assert '<a href="https://news.example/2">Rescuers reach stranded villages</a>' in copy["text"]
    assert "&lt;comes&gt;" in copy["text"]  # titles are escaped
    assert "news.example/5" not in copy["text"]  # three at most

    await deliver(api.callback_query("al:ok:1"))
    await send_pending(services_of(application).sessionmaker, api)
    english = api.sent_messages(chat_id=601)[-1]["plain_text"]
    polish = api.sent_messages(chat_id=602)[-1]["plain_text"]
    assert "Related coverage:\n• Rescuers reach stranded villages" in english
    assert "Powiązane materiały:\n• Rescuers reach stranded villages" in polish


async def test_an_edit_keeps_the_related_links_and_edits_each_copy_once(application, api, deliver):
    await archive(application)
    await draft(api, deliver, "/alert Flood: centre under water https://news.example/1")
    await deliver(api.callback_query("al:ok:1"))
    sessionmaker = services_of(application).sessionmaker
    await send_pending(sessionmaker, api)
    await deliver(api.user_message("/alert_edit 1 Flood: centre and port under water"))
    await send_pending(sessionmaker, api)
    await refresh_alert_status(NewsContext(application))  # nothing looks stale: no more edits
    assert len(await rows(application, kind="alert_edit")) == 2
    edited = api.message(601, api.sent_messages(chat_id=601)[-1]["message_id"])["text"]
    assert "centre and port" in edited and "Related coverage:" in edited


async def test_an_alert_without_an_archived_link_has_no_related_list(application, api, deliver):
    await archive(application)
    copy, _ = await draft(api, deliver, "/alert Flood https://elsewhere.example/flood")
    assert "Related coverage" not in copy["plain_text"]
    copy, _ = await draft(api, deliver, "/alert Flood, no link at all")
    assert "Related coverage" not in copy["plain_text"]
    assert api.sent_messages(chat_id=EDITOR)


async def test_related_links_give_way_when_the_alert_is_long(application, api, deliver):
    await archive(application)
    words = "Water rising. " * 285  # about 4,000 characters: no room for the list
    copy, _ = await draft(api, deliver, f"/alert {words} https://news.example/1")
    assert "Related coverage" not in copy["plain_text"]
    assert copy["plain_text"].splitlines()[-1] == "Read more"
