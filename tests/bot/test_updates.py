"""chat_of and message_of: what a handler's registration promises, or a loud failure."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.fakeapi import FakeBotAPI, bot_for
from bot.updates import chat_of, message_of


def test_a_group_command_gives_its_chat_and_message() -> None:
    api = FakeBotAPI()
    api.set_chat(-5001, "group", "Harbour readers")
    update = Update.de_json(api.user_message("/latest", user_id=42, chat_id=-5001), bot_for(api))
    assert (chat_of(update).id, chat_of(update).title) == (-5001, "Harbour readers")
    assert (message_of(update).text, message_of(update).from_user.id) == ("/latest", 42)


def test_a_button_on_a_bot_message_gives_that_message_and_its_chat() -> None:
    api = FakeBotAPI()
    sent = api.handle("sendMessage", {"chat_id": 42, "text": "Pick a topic"})["result"]
    update = Update.de_json(api.callback_query("tp:tech", user_id=42), bot_for(api))
    assert chat_of(update).id == 42
    assert message_of(update).message_id == sent["message_id"]


def test_an_inline_query_has_neither_and_says_so() -> None:
    api = FakeBotAPI()
    update = Update.de_json(api.inline_query("trams"), bot_for(api))
    with pytest.raises(RuntimeError, match=f"update {update.update_id} has no chat"):
        chat_of(update)
    with pytest.raises(RuntimeError, match=f"update {update.update_id} has no message"):
        message_of(update)
