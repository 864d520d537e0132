"""/mydata (what newsbot keeps about this chat, as a file) and /privacy (the newsroom's notice)."""

from __future__ import annotations

import json

from telegram import InputFile, Update

from bot.context import NewsContext
from bot.permissions import may_configure
from bot.updates import chat_of, message_of
from digests.readers.mydata import chat_data


async def my_data(update: Update, context: NewsContext) -> None:
    """/mydata: the chat's stored data as a JSON file (admins only in groups)."""
    message = message_of(update)
    async with context.session() as session:
        language = (await context.current_chat(session, update)).language
    if not await may_configure(update, context):
        await message.reply_text(context.render("groups/admins_only.html", language=language))
        return
    async with context.session() as session:
        data = await chat_data(session=session, telegram_id=chat_of(update).id)
    document = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await message.reply_document(
        InputFile(document, filename="newsbot-data.json"),
        caption=context.render("privacy/mydata.html", language=language),
    )


async def privacy(update: Update, context: NewsContext) -> None:
    """/privacy: what the newsroom does with readers' data, from its own template."""
    async with context.session() as session:
        language = (await context.current_chat(session, update)).language
    await message_of(update).reply_text(context.render("privacy/notice.html", language=language))
