"""/exclude, /include and /filters as a reader and a group's members see them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Topic, utcnow
from tests.factories import add_article


def buttons(message):
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def test_exclude_lists_the_filters_with_buttons_that_remove_them(application, api, deliver):
    await deliver(api.user_message('/exclude football, "Transfer window"', user_id=4600))
    reply = api.sent_messages(chat_id=4600)[-1]
    assert reply["text"].startswith("✅ Filter added: football, transfer window")
    assert "Left out: football, transfer window" in reply["text"]
    labels = [label for label, _ in buttons(reply)]
    assert labels == ["✖️ − football", "✖️ − transfer window"]
    assert all(len(data.encode()) <= 64 for _, data in buttons(reply))

    await deliver(api.user_message("/include climate", user_id=4600))
    listing = api.sent_messages(chat_id=4600)[-1]
    assert "Only items about: climate" in listing["text"]

    _, remove_football = buttons(listing)[0]
    await deliver(
        api.callback_query(remove_football, user_id=4600, message_id=listing["message_id"])
    )
    assert api.calls_to("answerCallbackQuery")[-1].params["text"] == "Filter removed."
    redrawn = api.message(4600, listing["message_id"])
    assert "football" not in redrawn["text"] and "transfer window" in redrawn["text"]

    await deliver(api.user_message("/filters clear", user_id=4600))
    assert "None: you get every item of your topics." in api.sent_messages(chat_id=4600)[-1]["text"]


async def test_exclude_without_words_explains_itself(application, api, deliver):
    await deliver(api.user_message("/exclude", user_id=4601))
    assert api.sent_messages(chat_id=4601)[-1]["text"].startswith(
        'Usage: /exclude &lt;words or "phrases"&gt;'
    )


async def test_a_group_member_who_is_not_an_admin_cannot_change_filters(application, api, deliver):
    group = -4602
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 74, "member")
    await deliver(api.user_message("/exclude football", user_id=74, chat_id=group))
    assert api.sent_messages(chat_id=group)[-1]["text"] == (
        "Only this group's admins can change its topics and settings."
    )
    await deliver(api.user_message("/filters", user_id=74, chat_id=group))
    listing = api.sent_messages(chat_id=group)[-1]
    assert "None: you get every item" in listing["text"] and buttons(listing) == []


async def test_the_digest_now_leaves_out_what_the_reader_excluded(application, api, deliver):
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        sport = await session.scalar(select(Topic).where(Topic.slug == "sport"))
        for n, title in enumerate(["Football derby ends level", "Marathon route set", "Chess"]):
            await add_article(
                session,
                n + 1,
                topics={sport: 1.0},
                title=title,
                fetched_at=now - timedelta(hours=1),
            )
    await deliver(api.user_message("/subscribe sport", user_id=4603))
    await deliver(api.user_message("/exclude football", user_id=4603))
    await deliver(api.user_message("/digest", user_id=4603))
    digest = api.sent_messages(chat_id=4603)[-1]["text"]
    assert "Marathon route set" in digest and "Chess" in digest
    assert "Football" not in digest
