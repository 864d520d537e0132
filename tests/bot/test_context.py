"""NewsContext: the chat's chat_data for handlers that always have a chat."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.context import NewsContext


async def test_chat_store_is_the_chats_own_chat_data(application, api) -> None:
    update = Update.de_json(api.user_message("/settings", user_id=91), application.bot)
    NewsContext.from_update(update, application).chat_store["asked"] = "times"
    later = Update.de_json(api.user_message("08:00", user_id=91), application.bot)
    assert NewsContext.from_update(later, application).chat_store == {"asked": "times"}
    assert application.chat_data[91] == {"asked": "times"}


async def test_an_update_without_a_chat_has_no_chat_store(application, api) -> None:
    update = Update.de_json(api.inline_query("trams", user_id=91), application.bot)
    context = NewsContext.from_update(update, application)
    with pytest.raises(RuntimeError, match="no chat"):
        context.chat_store  # noqa: B018 - the property is what is tested
