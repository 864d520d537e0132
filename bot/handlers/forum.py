"""/here in a forum supergroup's thread: send the digests, the alerts or a topic's digest there."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.permissions import may_configure
from digests.models import utcnow
from digests.readers.forum import route_here


async def here_command(update: Update, context: NewsContext) -> None:
    """/here [alerts|<topic>|off]: route to the thread this is typed in (admins only)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    language = context.language_for(user.language_code if user else None)
    thread_id = message.message_thread_id if message.is_topic_message else None
    if chat.type != ChatType.SUPERGROUP or not chat.is_forum or not thread_id:
        await message.reply_text(context.render("forum/here_usage.html", language=language))
        return
    if not await may_configure(update, context):
        await message.reply_text(context.render("groups/admins_only.html", language=language))
        return
    async with context.session() as session:
        row = await context.current_chat(session, update)
        routes = await route_here(
            session=session,
            chat_id=row.id,
            thread_id=thread_id,
            what=" ".join(context.args or []),
            user_id=user.id if user else None,
            now=utcnow(),
        )
        language = row.language
    await message.reply_text(context.render("forum/here.html", language=language, routes=routes))
