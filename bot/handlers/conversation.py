"""Leaving a conversation and commands the bot does not know.

A pending settings question ends with any command the asked user sends to this bot (and says
so with /cancel); a command the bot does not know is answered with a pointer to /help, in a
private chat always, in a group only when addressed to this bot (`/foo@thisbot`).
"""

from __future__ import annotations

from telegram import MessageEntity, ReplyKeyboardRemove, Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.handlers.settings import awaiting_setting, forget_question
from bot.updates import chat_of, message_of


def _command(update: Update) -> tuple[str, str] | None:
    """The command a message opens with and whom it names: ('/foo', 'somebot' or '')."""
    message = update.effective_message
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    command, _, addressee = message.text[: first.length].partition("@")
    return command, addressee.lower()


def _is(addressee: str, bot_username: str | None) -> bool:
    return bot_username is not None and addressee == bot_username.lower()


def addressed_command(update: Update, bot_username: str | None) -> str | None:
    """The command ('/foo') a message opens with when it is surely meant for this bot, else
    None: in a private chat every command is; in a group only `/foo@thisbot` (a bare `/foo`
    there may be another bot's, and `/foo@otherbot` is).
    """
    found = _command(update)
    if found is None:
        return None
    command, addressee = found
    if addressee:
        return command if _is(addressee, bot_username) else None
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    return command if private else None


async def _language(update: Update, context: NewsContext) -> str:
    async with context.session() as session:
        return (await context.current_chat(session, update)).language


async def cancel_command(update: Update, context: NewsContext) -> None:
    """/cancel: end the pending settings question, and say whether there was one."""
    question = await awaiting_setting(update, context)
    user = update.effective_user
    mine = question is not None and question.user_id in (None, user.id if user else None)
    if mine:
        await forget_question(update, context)
    text = context.render(
        "bot/cancelled.html",
        language=await _language(update, context),
        cancelled=mine,
        private=chat_of(update).type == ChatType.PRIVATE,
    )
    await message_of(update).reply_text(text, reply_markup=ReplyKeyboardRemove())


async def end_question(update: Update, context: NewsContext) -> None:
    """After any command (not one naming another bot): the asked user's settings question is
    over."""
    found = _command(update)
    if found is None or (found[1] and not _is(found[1], context.bot.username)):
        return
    question = await awaiting_setting(update, context)
    user = update.effective_user
    if question is not None and question.user_id in (None, user.id if user else None):
        await forget_question(update, context)


async def unknown_command(update: Update, context: NewsContext) -> None:
    """A command no handler took: point to /help (in groups only when addressed to the bot)."""
    command = addressed_command(update, context.bot.username)
    if command is None:
        return
    text = context.render(
        "bot/unknown_command.html", language=await _language(update, context), command=command
    )
    await context.bot.send_message(chat_of(update).id, text)
