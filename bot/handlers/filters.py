"""/exclude, /include and /filters: a chat's keyword filters (admins only in groups)."""

from __future__ import annotations

import hashlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import NewsContext
from bot.permissions import may_configure
from bot.updates import message_of
from digests.models import utcnow
from digests.readers.filters import (
    EXCLUDE,
    INCLUDE,
    FilterSet,
    add_filters,
    chat_filters,
    clear_filters,
    parse_phrases,
    remove_filter,
)

FILTER_REMOVE = "fl:"
_KINDS = {"x": EXCLUDE, "i": INCLUDE}


def _key(phrase: str) -> str:
    # A phrase may be 100 characters; callback data holds 64 bytes.
    return hashlib.blake2b(phrase.encode(), digest_size=5).hexdigest()


def _keyboard(filters: FilterSet) -> InlineKeyboardMarkup | None:
    buttons = [
        [
            InlineKeyboardButton(
                f"✖️ {sign} {phrase}", callback_data=f"{FILTER_REMOVE}{code}:{_key(phrase)}"
            )
        ]
        for code, sign, phrases in (("x", "−", filters.exclude), ("i", "+", filters.include))
        for phrase in phrases
    ]
    return InlineKeyboardMarkup(buttons) if buttons else None


def _arguments(update: Update) -> str:
    text = message_of(update).text or ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def exclude_command(update: Update, context: NewsContext) -> None:
    """/exclude <words or "phrases">: leave matching items out of digests and alerts."""
    await _add(update, context, EXCLUDE)


async def include_command(update: Update, context: NewsContext) -> None:
    """/include <words or "phrases">: keep only matching items in digests."""
    await _add(update, context, INCLUDE)


async def _add(update: Update, context: NewsContext, kind: str) -> None:
    message = message_of(update)
    phrases = parse_phrases(_arguments(update))
    allowed = await may_configure(update, context)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language = chat.language
        added = None
        if allowed and phrases:
            added = await add_filters(
                session=session, chat_id=chat.id, kind=kind, phrases=phrases, now=utcnow()
            )
        filters = await chat_filters(session=session, chat_id=chat.id)
    if not allowed:
        text = context.render("groups/admins_only.html", language=language)
    elif added is None:
        text = context.render("filters/usage.html", language=language, kind=kind)
    else:
        text = context.render(
            "filters/list.html", language=language, filters=filters, kind=kind, added=added
        )
    await message.reply_text(text, reply_markup=_keyboard(filters) if allowed else None)


async def filters_command(update: Update, context: NewsContext) -> None:
    """/filters lists the chat's filters with a button to remove each; /filters clear."""
    message = message_of(update)
    clear = _arguments(update).strip().lower() == "clear"
    allowed = await may_configure(update, context)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language = chat.language
        if clear and allowed:
            await clear_filters(session=session, chat_id=chat.id)
        filters = await chat_filters(session=session, chat_id=chat.id)
    if clear and not allowed:
        await message.reply_text(context.render("groups/admins_only.html", language=language))
        return
    text = context.render(
        "filters/list.html", language=language, filters=filters, kind=None, added=None
    )
    await message.reply_text(text, reply_markup=_keyboard(filters) if allowed else None)


async def filter_remove_button(update: Update, context: NewsContext) -> None:
    """A tap on a filter's button removes it and redraws the list."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    code, _, key = query.data.removeprefix(FILTER_REMOVE).partition(":")
    allowed = await may_configure(update, context)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language = chat.language
        filters = await chat_filters(session=session, chat_id=chat.id)
        kind = _KINDS.get(code)
        phrases = filters.exclude if kind == EXCLUDE else filters.include if kind else ()
        phrase = next((p for p in phrases if _key(p) == key), None)
        if allowed and kind is not None and phrase is not None:
            await remove_filter(session=session, chat_id=chat.id, kind=kind, phrase=phrase)
            filters = await chat_filters(session=session, chat_id=chat.id)
    if not allowed:
        await query.answer(
            context.render("groups/admins_only.html", language=language), show_alert=True
        )
        return
    await query.answer(
        context.render("filters/removed.txt", language=language, gone=phrase is None)
    )
    text = context.render(
        "filters/list.html", language=language, filters=filters, kind=None, added=None
    )
    if query.message is not None:
        await query.edit_message_text(text, reply_markup=_keyboard(filters))
