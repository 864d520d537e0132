"""Words and numbers read right: plurals, pointers to the right command, forgiving input."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, Topic
from tests.factories import add_chat

EDITOR = 1001  # ADMIN_IDS in the test settings


async def one_reader(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        await add_chat(session, 511, topics=[tech])


async def test_one_chat_is_one_chat_in_the_card_and_the_list(application, api, deliver):
    await one_reader(application)
    await deliver(api.user_message("/alert Storm hits the coast"))
    card = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    assert "Send to: everyone with alerts on — 1 chat." in card
    await deliver(api.user_message("/alerts"))
    listed = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    assert "everyone with alerts on · 0 chats" in listed  # a draft has no copies yet


async def test_plurals_in_polish(application, api, deliver):
    await one_reader(application)
    await deliver(api.user_message("/alert Burza nad wybrzeżem", language_code="pl"))
    card = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    assert "Do: wszyscy z włączonymi alertami — 1 czat." in card


async def test_mysubs_points_to_topics(application, api, deliver):
    await deliver(api.user_message("/mysubs", user_id=520))
    lines = api.sent_messages(chat_id=520)[-1]["text"].splitlines()
    assert lines[0] == "You don't follow any topic yet: choose some with /topics."
    assert lines[-1] == "Change your topics in /topics, digest times and alerts in /settings."


async def test_in_a_group_topics_are_the_groups(application, api, deliver):
    group = -100_520
    api.set_chat(group, type="supergroup", title="Club")
    await deliver(api.user_message("/topics", user_id=521, chat_id=group))
    assert api.sent_messages(chat_id=group)[-1]["text"].startswith("<b>This group's topics</b>")
    await deliver(api.user_message("/topics", user_id=521))
    assert api.sent_messages(chat_id=521)[-1]["text"].startswith("<b>Your topics</b>")


async def test_subscribe_accepts_commas(application, api, deliver):
    await deliver(api.user_message("/subscribe Sport, business", user_id=522))
    text = api.sent_messages(chat_id=522)[-1]["text"]
    assert text.startswith("✅ Now following: ")
    assert "Sport" in text and "Business" in text and "No such topic" not in text


async def _times_answer(api, deliver, user_id, answer):
    await deliver(api.user_message("/settings", user_id=user_id))
    await deliver(api.callback_query("st:times", user_id=user_id))
    await deliver(api.user_message(answer, user_id=user_id))


async def _digest_times(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))
        return chat.digest_times


async def test_times_as_people_write_them(application, api, deliver):
    await _times_answer(api, deliver, 523, "8am, 8 pm")
    assert await _digest_times(application, 523) == ["08:00", "20:00"]
    await _times_answer(api, deliver, 524, "20.30")
    assert await _digest_times(application, 524) == ["20:30"]
    await _times_answer(api, deliver, 525, "12am 12:30pm")
    assert await _digest_times(application, 525) == ["00:00", "12:30"]
