"""A reader's first minutes with a real `newsbot run` process, over HTTP."""

from __future__ import annotations


async def test_deep_link_topics_search_and_digest(running_bot_with_archive):
    bot = running_bot_with_archive
    api = bot.api
    reader = 52_001

    api.user_message("/start politics", user_id=reader, first_name="Olu")
    welcome = await api.wait_for_message(chat_id=reader, contains="Welcome", timeout=30)
    assert "✅ Now following: Politics" in welcome["text"]

    seen = len(api.sent_messages(chat_id=reader))
    api.user_message("/topics", user_id=reader)
    keyboard = await api.wait_for_message(chat_id=reader, contains="Your topics", timeout=30)
    tech = next(
        button
        for row in keyboard["reply_markup"]["inline_keyboard"]
        for button in row
        if button["text"].endswith("Technology")
    )
    api.callback_query(tech["callback_data"], user_id=reader, message_id=keyboard["message_id"])
    await api.wait_for(
        lambda call: (
            call.method == "answerCallbackQuery" and call.params.get("text") == "Following it now."
        ),
        timeout=30,
    )
    await api.wait_for(lambda call: call.method == "editMessageReplyMarkup", timeout=30)
    redrawn = api.message(reader, keyboard["message_id"])
    labels = [b["text"] for row in redrawn["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ Technology" in labels and "✅ Politics" in labels

    api.user_message("/search harbour tram", user_id=reader)
    results = await api.wait_for_message(chat_id=reader, contains="Results for", timeout=30)
    assert "Harbour tram" in results["text"] or "tram line" in results["text"]

    api.user_message("/digest", user_id=reader)
    digest = await api.wait_for_message(chat_id=reader, contains="📰 Your digest", timeout=30)
    assert "POLITICS" in digest["text"] and "TECHNOLOGY" in digest["text"]
    assert "bike racks" in digest["text"]
    assert len(api.sent_messages(chat_id=reader)) > seen
    assert await bot.stop() == 0


async def test_a_scheduled_digest_arrives_through_the_outbox(tmp_path):
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from tests.e2e.conftest import start_bot

    async with start_bot(tmp_path, archive=True, DIGEST_INTERVAL_SECONDS="1") as bot:
        api, reader = bot.api, 52_002
        api.user_message("/start tech", user_id=reader)
        await api.wait_for_message(chat_id=reader, contains="Now following: Technology", timeout=30)
        # Make the reader's 08:00 digest due a minute ago, as the clock would, with the archive
        # having arrived an hour before that.
        due = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
        with sqlite3.connect(tmp_path / "e2e.sqlite3") as db:
            db.execute(
                "UPDATE chats SET next_digest_at = ? WHERE telegram_id = ?",
                (due.isoformat(sep=" "), reader),
            )
            db.execute(
                "UPDATE articles SET fetched_at = ?",
                ((due - timedelta(hours=1)).isoformat(sep=" "),),
            )
        digest = await api.wait_for_message(chat_id=reader, contains="📰 Your digest", timeout=60)
        assert "bike racks" in digest["text"]
        assert digest["reply_markup"]["inline_keyboard"][0][0]["text"] == "🔗 1"
        assert await bot.stop() == 0
    with sqlite3.connect(tmp_path / "e2e.sqlite3") as db:
        [(status, message_id)] = db.execute(
            "SELECT status, message_id FROM deliveries WHERE kind = 'digest'"
        ).fetchall()
    assert (status, message_id) == ("sent", digest["message_id"])


async def test_a_reader_who_excludes_football_gets_a_digest_without_it(running_bot_with_archive):
    bot = running_bot_with_archive
    api, reader = bot.api, 52_003
    api.user_message("/start", user_id=reader)
    await api.wait_for_message(chat_id=reader, contains="Now following: Top stories", timeout=30)
    api.user_message("/subscribe sport business tech", user_id=reader)
    await api.wait_for_message(chat_id=reader, contains="Now following: Sport", timeout=30)

    api.user_message("/digest", user_id=reader)
    before = await api.wait_for_message(chat_id=reader, contains="📰 Your digest", timeout=30)
    assert "Rovers reach the cup semi-final" in before["text"]

    api.user_message("/exclude Football", user_id=reader)
    await api.wait_for_message(chat_id=reader, contains="Filter added: football", timeout=30)
    seen = len(api.sent_messages(chat_id=reader))
    api.user_message("/digest", user_id=reader)
    await api.wait_until(lambda: len(api.sent_messages(chat_id=reader)) > seen, timeout=30)
    after = api.sent_messages(chat_id=reader)[-1]
    assert "📰 Your digest" in after["text"]
    assert "Rovers" not in after["text"]
    assert "bike racks" in after["text"] and "solar roof tiles" in after["text"]
    assert await bot.stop() == 0
