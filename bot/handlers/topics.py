"""/topics (a keyboard of toggles), /subscribe, /unsubscribe and /mysubs."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.keyboards import TOPIC_TOGGLE, topics_keyboard
from bot.permissions import may_configure
from bot.updates import chat_of
from digests.readers.subscriptions import (
    subscribe,
    subscribed_topics,
    toggle_topic,
    topic_states,
    unsubscribe,
)


async def show_topics(update: Update, context: NewsContext) -> None:
    """Show every topic with ✅/▫️; a tap toggles it."""
    message = update.effective_message
    if message is None:
        return
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        states = await topic_states(session=session, chat_id=chat.id)
        language = chat.language
    await message.reply_text(
        context.render(
            "topics/choose.html",
            language=language,
            states=states,
            group=chat_of(update).type != ChatType.PRIVATE,
        ),
        reply_markup=topics_keyboard(states),
    )


async def toggle_topic_button(update: Update, context: NewsContext) -> None:
    """Toggle the tapped topic and redraw the same keyboard (admins only in groups)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    slug = query.data.removeprefix(TOPIC_TOGGLE)
    allowed = await may_configure(update, context)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language = chat.language
        state = await toggle_topic(session=session, chat_id=chat.id, slug=slug) if allowed else None
        states = await topic_states(session=session, chat_id=chat.id)
    if not allowed:
        await query.answer(
            context.render("groups/admins_only.html", language=language), show_alert=True
        )
        return
    await query.answer(
        context.render("topics/toggled.html", language=language, state=state, slug=slug)
    )
    if state is not None:
        await query.edit_message_reply_markup(reply_markup=topics_keyboard(states))


async def subscribe_command(update: Update, context: NewsContext) -> None:
    """/subscribe <topic> [<topic> …]"""
    await _change(update, context, subscribing=True)


async def unsubscribe_command(update: Update, context: NewsContext) -> None:
    """/unsubscribe <topic|all> [<topic> …]"""
    await _change(update, context, subscribing=False)


async def _change(update: Update, context: NewsContext, *, subscribing: bool) -> None:
    message = update.effective_message
    if message is None:
        return
    allowed = await may_configure(update, context)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language = chat.language
        states = await topic_states(session=session, chat_id=chat.id)
        change = None
        if allowed and context.args:
            change_topics = subscribe if subscribing else unsubscribe
            change = await change_topics(session=session, chat_id=chat.id, slugs=context.args)
    if not allowed:
        text = context.render("groups/admins_only.html", language=language)
    elif change is None:
        text = context.render(
            "topics/usage.html", language=language, subscribing=subscribing, states=states
        )
    else:
        text = context.render(
            "topics/changed.html", language=language, subscribing=subscribing, change=change
        )
    await message.reply_text(text)


async def my_subscriptions(update: Update, context: NewsContext) -> None:
    """/mysubs: the topics this chat follows and when its digest comes."""
    message = update.effective_message
    if message is None:
        return
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        topics = await subscribed_topics(session=session, chat_id=chat.id)
        values = {
            "topics": [topic.name for topic in topics],
            "times": chat.digest_times,
            "frequency": chat.frequency.value,
            "tz": chat.timezone,
            "next_at": chat.next_digest_at,
            "alerts": chat.alerts_enabled,
        }
        language = chat.language
    await message.reply_text(context.render("topics/mine.html", language=language, **values))
