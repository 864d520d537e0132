"""Two instances on one database: whichever gets the next update can answer it."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.app import NewsApplication
from bot.context import services_of
from digests.db import session_scope
from digests.models import utcnow
from tests.factories import add_article


async def on(app: NewsApplication, update: dict) -> None:
    await app.process_update(Update.de_json(update, app.bot))


async def test_a_search_page_asked_of_one_instance_is_turned_by_the_other(
    application, twin, api
) -> None:
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        for n in range(1, 8):
            await add_article(
                session,
                n,
                topics={},
                title=f"Tram line {n} opens",
                fetched_at=now - timedelta(hours=n),
            )
    await on(application, api.user_message("/search tram", user_id=95))
    first = api.sent_messages(chat_id=95)[-1]
    [[next_button]] = first["reply_markup"]["inline_keyboard"]

    await on(twin, api.callback_query(next_button["callback_data"], user_id=95))
    assert "6. Tram line 6 opens" in api.message(95, first["message_id"])["text"]


async def test_a_settings_question_asked_by_one_instance_is_answered_on_the_other(
    application, twin, api
) -> None:
    await on(application, api.user_message("/settings", user_id=96))
    await on(application, api.callback_query("st:times", user_id=96))
    await on(twin, api.user_message("7:30", user_id=96))
    assert api.sent_messages(chat_id=96)[-2]["text"] == "✅ Saved."


async def test_a_flood_is_counted_across_instances(application, twin, api) -> None:
    for app in (application, twin):
        services_of(app).clock = lambda: 1_000_000.0  # a burst, however slow the machine
    for n in range(12):
        await on(application if n % 2 else twin, api.user_message("/help", user_id=97))
    texts = [m["text"] for m in api.sent_messages(chat_id=97)]
    assert len(texts) == 9  # eight answers, one warning, silence: as from one instance
    assert texts[-1] == "You're going a bit fast! I'll be back for you in 30 seconds."
