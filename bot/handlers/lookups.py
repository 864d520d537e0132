"""Lookups: /search (and plain text in private), /latest, /related, Related buttons, /digest."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.context import NewsContext
from bot.jobs import digest_options
from bot.permissions import may_configure
from bot.updates import chat_of, message_of
from digests.archive.lookups import coverage, latest
from digests.archive.search import search
from digests.editions.assemble import Limits
from digests.editions.layout import RELATED_CALLBACK, related_buttons
from digests.editions.ondemand import digest_now
from digests.editions.shown import article_for, remember_list
from digests.ids import parse_id
from digests.models import utcnow
from digests.readers.conversation import recall, remember

PAGE = 5
MAX_PAGES = 200  # search ranks the newest 1,000 matches at most
SEARCH_PAGE = "sr:"
LATEST_PAGE = "lt:"
# Queries are kept per chat (callback data holds 64 bytes, a query may not fit), for a day.
SEARCH = "search"
QUERY_TTL = timedelta(days=1)


def _pager(
    prefix: str, key: str, page: int, more: bool, labels: dict[str, str]
) -> InlineKeyboardMarkup | None:
    buttons = []
    if page > 0:
        buttons.append(
            InlineKeyboardButton(labels["previous"], callback_data=f"{prefix}{key}:{page - 1}")
        )
    if more:
        buttons.append(
            InlineKeyboardButton(labels["next"], callback_data=f"{prefix}{key}:{page + 1}")
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


def _labels(context: NewsContext, language: str) -> dict[str, str]:
    return {
        "previous": context.render("lookups/previous.txt", language=language),
        "next": context.render("lookups/next.txt", language=language),
    }


async def _send_or_edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    if query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif update.effective_message is not None:
        await message_of(update).reply_text(text, reply_markup=markup)


async def _search_page(
    update: Update, context: NewsContext, text: str, key: str, page: int
) -> None:
    now = utcnow()
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language, timezone = chat.language, chat.timezone
        hits = await search(session=session, query=text, limit=PAGE + 1, offset=page * PAGE)
        more, hits = len(hits) > PAGE, hits[:PAGE]
        await remember_list(
            session=session,
            chat_id=chat.telegram_id,
            name=f"search:{key}",
            first=page * PAGE + 1,
            article_ids=[hit.article_id for hit in hits],
            now=now,
        )
    reply = context.render(
        "lookups/results.html",
        language=language,
        query=text,
        hits=hits,
        page=page,
        first=page * PAGE + 1,
        tz=timezone,
        now=now,
    )
    await _send_or_edit(
        update, reply, _pager(SEARCH_PAGE, key, page, more, _labels(context, language))
    )


async def _remember(update: Update, context: NewsContext, text: str) -> str:
    """Keep the query for the pager's buttons; its key is derived from the words themselves."""
    key = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
    async with context.session() as session:
        await remember(
            session=session,
            chat_id=chat_of(update).id,
            kind=SEARCH,
            key=key,
            payload={"query": text},
            expires_at=utcnow() + QUERY_TTL,
        )
    return key


async def _recall(update: Update, context: NewsContext, key: str) -> str | None:
    async with context.session() as session:
        stored = await recall(
            session=session, chat_id=chat_of(update).id, kind=SEARCH, key=key[:64], now=utcnow()
        )
    query = stored.get("query") if stored else None
    return query if isinstance(query, str) else None


async def search_command(update: Update, context: NewsContext) -> None:
    """/search <words>: ranked results with paging."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or [])
    if not text.strip():
        async with context.session() as session:
            language = (await context.current_chat(session, update)).language
        await message.reply_text(context.render("lookups/search_usage.html", language=language))
        return
    await _search_page(update, context, text, await _remember(update, context, text), 0)


async def search_text(update: Update, context: NewsContext) -> None:
    """Plain text in a private chat is a search."""
    message = update.effective_message
    if message is None or not message.text or not message.text.strip():
        return
    text = message.text[:200]
    await _search_page(update, context, text, await _remember(update, context, text), 0)


async def search_page_button(update: Update, context: NewsContext) -> None:
    """Previous/next on search results."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    key, _, page = query.data.removeprefix(SEARCH_PAGE).partition(":")
    text = await _recall(update, context, key)
    number = parse_id(page, maximum=MAX_PAGES)
    await query.answer()
    if text is None or number is None:
        async with context.session() as session:
            language = (await context.current_chat(session, update)).language
        await query.edit_message_text(context.render("lookups/expired.html", language=language))
        return
    await _search_page(update, context, text, key, number)


async def _latest_page(update: Update, context: NewsContext, topic: str | None, page: int) -> None:
    now, limits = utcnow(), Limits.of(context.settings)
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language, timezone = chat.language, chat.timezone
        articles = await latest(
            session=session,
            topic=topic,
            limit=PAGE + 1,
            offset=page * PAGE,
            published_after=limits.published_after(now),
        )
        more, articles = len(articles) > PAGE, articles[:PAGE]
        await remember_list(
            session=session,
            chat_id=chat.telegram_id,
            name=f"latest:{topic or '-'}",
            first=page * PAGE + 1,
            article_ids=[article.id for article in articles],
            now=now,
        )
    reply = context.render(
        "lookups/latest.html",
        language=language,
        topic=topic,
        articles=articles,
        first=page * PAGE + 1,
        tz=timezone,
        now=now,
        max_age_hours=context.settings.digest_max_age_hours,
    )
    markup = _pager(LATEST_PAGE, topic or "-", page, more, _labels(context, language))
    await _send_or_edit(update, reply, markup)


async def latest_command(update: Update, context: NewsContext) -> None:
    """/latest [topic]: the newest articles."""
    topic = context.args[0].lower()[:32] if context.args else None
    await _latest_page(update, context, topic, 0)


async def latest_page_button(update: Update, context: NewsContext) -> None:
    """Previous/next on /latest."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    topic, _, page = query.data.removeprefix(LATEST_PAGE).partition(":")
    await query.answer()
    number = parse_id(page, maximum=MAX_PAGES) or 0
    await _latest_page(update, context, None if topic == "-" else topic, number)


async def show_coverage(update: Update, context: NewsContext, reference: str) -> None:
    """The article's other coverage and related stories, or why there is none."""
    now = utcnow()
    async with context.session() as session:
        chat = await context.current_chat(session, update)
        language, timezone = chat.language, chat.timezone
        article = await article_for(session=session, chat=chat, reference=reference, now=now)
        found = await coverage(session=session, article_id=article.id) if article else None
    if found is None:
        text = context.render("lookups/not_found.html", language=language, reference=reference)
    else:
        text = context.render(
            "lookups/coverage.html", language=language, coverage=found, tz=timezone, now=now
        )
    await context.bot.send_message(chat_of(update).id, text)


async def related_command(update: Update, context: NewsContext) -> None:
    """/related <url or number>"""
    if not context.args:
        async with context.session() as session:
            language = (await context.current_chat(session, update)).language
        await message_of(update).reply_text(
            context.render("lookups/related_usage.html", language=language)
        )
        return
    await show_coverage(update, context, context.args[0][:2048])


async def related_button(update: Update, context: NewsContext) -> None:
    """The Related button under a digest item."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    await show_coverage(update, context, "#" + query.data.removeprefix(RELATED_CALLBACK))


async def digest_command(update: Update, context: NewsContext) -> None:
    """/digest: my digest now, from what arrived since the last one."""
    chat = update.effective_chat
    if chat is None:
        return
    if not await may_configure(update, context):
        async with context.session() as session:
            language = (await context.current_chat(session, update)).language
        await context.bot.send_message(
            chat.id, context.render("groups/admins_only.html", language=language)
        )
        return
    options = digest_options(context)
    async with context.session() as session:
        row = await context.current_chat(session, update)
        language = row.language
        parts = await digest_now(
            session=session,
            chat=row,
            renderer=context.services.renderer,
            now=utcnow(),
            limits=options.limits,
            bot_username=options.bot_username,
        )
        if parts:
            await remember_list(
                session=session,
                chat_id=chat.id,
                name="digest",
                first=1,
                article_ids=[id_ for part in parts for id_ in part.article_ids],
                now=utcnow(),
            )
    if parts is None:
        await context.bot.send_message(
            chat.id, context.render("lookups/no_topics.html", language=language)
        )
        return
    if not parts:
        await context.bot.send_message(
            chat.id, context.render("lookups/nothing_new.html", language=language)
        )
        return
    channel = chat.type == ChatType.CHANNEL
    for part in parts:
        markup = related_buttons(part, channel=channel, bot_username=options.bot_username)
        await context.bot.send_message(
            chat.id,
            part.text,
            reply_markup=InlineKeyboardMarkup.de_json(markup, context.bot) if markup else None,
        )
