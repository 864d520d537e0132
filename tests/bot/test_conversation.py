"""Leaving a conversation: any command ends a settings question, /cancel says so, and text
after it is a search again; commands the bot does not know point to /help."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import CommandHandler

from bot.context import services_of
from bot.handlers.conversation import unknown_command
from digests.db import session_scope
from digests.models import Chat


async def digest_times(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))
        return chat.digest_times


async def ask_for_times(api, deliver, user_id, chat_id=None):
    await deliver(api.user_message("/settings", user_id=user_id, chat_id=chat_id))
    await deliver(api.callback_query("st:times", user_id=user_id, message_chat_id=chat_id))
    prompt = api.sent_messages(chat_id=chat_id or user_id)[-1]
    assert prompt["text"].startswith("Send the time or times")
    return prompt


async def test_cancel_ends_the_question_and_text_is_a_search_again(application, api, deliver):
    prompt = await ask_for_times(api, deliver, 40)
    assert prompt["text"].endswith("Or /cancel to leave it as it is.")
    await deliver(api.user_message("/cancel", user_id=40))
    cancelled = api.sent_messages(chat_id=40)[-1]
    assert cancelled["text"] == (
        "Cancelled: nothing was changed. What you type now is a search again."
    )
    assert cancelled["reply_markup"] == {"remove_keyboard": True}

    await deliver(api.user_message("hello", user_id=40))
    assert api.sent_messages(chat_id=40)[-1]["text"].startswith("Nothing found for “hello”.")
    assert await digest_times(application, 40) == ["08:00"]

    await deliver(api.user_message("/cancel", user_id=40))
    assert api.sent_messages(chat_id=40)[-1]["text"] == "There is nothing to cancel."


async def test_any_other_command_ends_the_question(application, api, deliver):
    await ask_for_times(api, deliver, 41)
    await deliver(api.user_message("/mysubs", user_id=41))
    await deliver(api.user_message("19:00", user_id=41))
    answer = api.sent_messages(chat_id=41)[-1]["text"]
    assert answer.startswith("Nothing found for “19:00”.")
    assert await digest_times(application, 41) == ["08:00"]


async def test_in_a_group_a_command_for_another_bot_leaves_the_question_open(
    application, api, deliver
):
    group = -100_501
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 42, "administrator")
    prompt = await ask_for_times(api, deliver, 42, chat_id=group)
    await deliver(api.user_message("/roll@dicebot", user_id=42, chat_id=group))
    await deliver(
        api.user_message(
            "06:30", user_id=42, chat_id=group, reply_to_message_id=prompt["message_id"]
        )
    )
    assert await digest_times(application, group) == ["06:30"]

    prompt = await ask_for_times(api, deliver, 42, chat_id=group)
    await deliver(api.user_message("/cancel@newsbot_test_bot", user_id=42, chat_id=group))
    assert api.sent_messages(chat_id=group)[-1]["text"] == "Cancelled: nothing was changed."
    await deliver(
        api.user_message(
            "07:00", user_id=42, chat_id=group, reply_to_message_id=prompt["message_id"]
        )
    )
    assert await digest_times(application, group) == ["06:30"]


async def test_an_unknown_command_points_to_help_in_private(application, api, deliver):
    await deliver(api.user_message("/weather", user_id=43))
    assert api.sent_messages(chat_id=43)[-1]["text"] == (
        "I don't know the command /weather. /help lists what I can do."
    )
    await deliver(api.user_message("/weather@newsbot_test_bot", user_id=43))
    assert len(api.sent_messages(chat_id=43)) == 2


async def test_in_groups_only_unknown_commands_addressed_to_the_bot_are_answered(
    application, api, deliver
):
    group = -100_502
    api.set_chat(group, type="supergroup", title="Club")
    await deliver(api.user_message("/weather", user_id=44, chat_id=group))
    await deliver(api.user_message("/weather@otherbot", user_id=44, chat_id=group))
    await deliver(api.user_message("/start@otherbot", user_id=44, chat_id=group))
    assert api.sent_messages(chat_id=group) == []
    await deliver(api.user_message("/weather@NewsBot_Test_Bot", user_id=44, chat_id=group))
    [answer] = api.sent_messages(chat_id=group)
    assert answer["text"] == "I don't know the command /weather. /help lists what I can do."


async def test_known_commands_are_not_called_unknown(application, api, deliver):
    await deliver(api.user_message("/help", user_id=45))
    await deliver(api.user_message("/help@newsbot_test_bot", user_id=45))
    texts = [m["text"] for m in api.sent_messages(chat_id=45)]
    assert len(texts) == 2 and not any("I don't know" in text for text in texts)


async def test_in_a_group_a_bare_command_ends_the_question(application, api, deliver):
    group = -100_503
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 46, "administrator")
    prompt = await ask_for_times(api, deliver, 46, chat_id=group)
    await deliver(api.user_message("/mysubs", user_id=46, chat_id=group))
    await deliver(
        api.user_message(
            "07:00", user_id=46, chat_id=group, reply_to_message_id=prompt["message_id"]
        )
    )
    assert await digest_times(application, group) == ["08:00"]


def test_every_command_is_registered_before_the_unknown_command_answer(application):
    handlers = application.handlers[0]
    catch_all = next(i for i, h in enumerate(handlers) if h.callback is unknown_command)
    late = [h.commands for h in handlers[catch_all:] if isinstance(h, CommandHandler)]
    assert late == []
