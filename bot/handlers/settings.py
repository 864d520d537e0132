"""/settings: digest times, zone, frequency, alerts, quiet hours, previews — by buttons and text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from telegram import ForceReply, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.keyboards import (
    SETTINGS,
    frequency_keyboard,
    parse_labels,
    settings_keyboard,
    weekday_keyboard,
)
from bot.permissions import may_configure
from bot.updates import chat_of
from digests.ids import parse_id
from digests.models import utcnow
from digests.readers import chat_settings
from digests.readers.conversation import forget, recall, remember
from digests.readers.preferences import (
    parse_digest_times,
    parse_quiet_hours,
    resolve_timezone,
    timezone_at,
)

QUESTION = "question"
# A question left unanswered this long is forgotten: later text is a search again.
QUESTION_TTL = timedelta(minutes=5)
TEXT_FIELDS = {"times", "tz", "quiet"}


async def _screen(update: Update, context: NewsContext, *, edit: bool, notice: str = "") -> None:
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        view, language = chat_settings.view_of(chat), chat.language
    text = context.render("settings/screen.html", language=language, view=view, notice=notice)
    labels = parse_labels(context.render("settings/buttons.txt", language=language, view=view))
    markup = settings_keyboard(labels)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def show_settings(update: Update, context: NewsContext) -> None:
    """/settings: the current settings with a button for each."""
    await forget_question(update, context)
    await _screen(update, context, edit=False)


async def settings_button(update: Update, context: NewsContext) -> None:
    """A tap on the settings screen (admins only in groups)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    action = query.data.removeprefix(SETTINGS)
    if not await may_configure(update, context):
        async with context.session() as session:
            language = (await context.current_chat(session, update)).language
        text = context.render("groups/admins_only.html", language=language)
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language, now = chat.language, utcnow()
        if action == "alerts":
            chat_settings.toggle_alerts(chat)
        elif action == "previews":
            chat_settings.toggle_previews(chat)
        elif action.startswith("freq:") and action != "freq:weekly":
            chat_settings.set_frequency(chat, action.removeprefix("freq:"), now=now)
        elif action.startswith("wd:") and parse_id(action[3:], maximum=6) is not None:
            weekday = parse_id(action[3:], maximum=6)
            chat_settings.set_frequency(chat, "weekly", weekday=weekday, now=now)
    if action in TEXT_FIELDS:
        await _ask(update, context, action, language)
    elif action == "freq":
        labels = parse_labels(context.render("settings/frequency.txt", language=language))
        await query.edit_message_reply_markup(reply_markup=frequency_keyboard(labels))
    elif action == "freq:weekly":
        names = context.render("settings/weekdays.txt", language=language).split()
        await query.edit_message_reply_markup(reply_markup=weekday_keyboard(names))
    else:
        await _screen(update, context, edit=True)


@dataclass(frozen=True)
class Question:
    """A settings question waiting for its answer: what, asked of whom, and where."""

    field: str
    user_id: int | None
    prompt_id: int


async def _ask(update: Update, context: NewsContext, field: str, language: str) -> None:
    chat, user = chat_of(update), update.effective_user
    private = chat.type == ChatType.PRIVATE
    if field == "tz" and private:
        button = KeyboardButton(
            context.render("settings/share_location.txt", language=language),
            request_location=True,
        )
        markup: ReplyKeyboardMarkup | ForceReply = ReplyKeyboardMarkup(
            [[button]], one_time_keyboard=True, resize_keyboard=True
        )
    else:
        # In a group the bot (in privacy mode) only sees replies to its own messages.
        markup = ForceReply(selective=True)
    text = context.render(f"settings/ask_{field}.html", language=language, private=private)
    prompt = await context.bot.send_message(chat.id, text, reply_markup=markup)
    question = Question(field=field, user_id=user.id if user else None, prompt_id=prompt.message_id)
    async with context.session() as session:
        await remember(
            session=session,
            chat_id=chat.id,
            kind=QUESTION,
            payload=asdict(question),
            expires_at=utcnow() + QUESTION_TTL,
        )


async def awaiting_setting(update: Update, context: NewsContext) -> Question | None:
    """The settings question this chat was asked, while it is still open."""
    chat = update.effective_chat
    if chat is None:
        return None
    async with context.session() as session:
        stored = await recall(session=session, chat_id=chat.id, kind=QUESTION, now=utcnow())
    return Question(**stored) if stored else None


async def forget_question(update: Update, context: NewsContext) -> None:
    """Close the chat's pending settings question, if any."""
    async with context.session() as session:
        await forget(session=session, chat_id=chat_of(update).id, kind=QUESTION)


def _answers(question: Question, update: Update) -> bool:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or chat is None:
        return False
    if question.user_id is not None and (user is None or user.id != question.user_id):
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    reply = message.reply_to_message
    return reply is not None and reply.message_id == question.prompt_id


async def setting_text(update: Update, context: NewsContext) -> None:
    """The reader's typed answer to a settings question; bad input changes nothing."""
    message = update.effective_message
    question = await awaiting_setting(update, context)
    if message is None or question is None or not _answers(question, update):
        return
    if not await may_configure(update, context):
        return
    field = question.field
    location = message.location
    # A PreferenceError leaves the question open: the reader may simply try again.
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language, now = chat.language, utcnow()
        if field == "times":
            chat_settings.set_digest_times(chat, parse_digest_times(message.text or ""), now=now)
        elif field == "tz" and location is not None:
            zone = timezone_at(location.latitude, location.longitude)
            chat_settings.set_timezone(chat, zone, now=now)
        elif field == "tz":
            chat_settings.set_timezone(chat, resolve_timezone(message.text or "", now=now), now=now)
        elif field == "quiet":
            chat_settings.set_quiet_hours(chat, parse_quiet_hours(message.text or ""))
    await forget_question(update, context)
    notice = context.render("settings/saved.html", language=language)
    await message.reply_text(notice, reply_markup=ReplyKeyboardRemove())
    await _screen(update, context, edit=False)
