"""/sources: health of every source, buttons to pause, resume and remove; /sources add."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.desk_keyboards import SOURCE, confirm_removal_keyboard, sources_keyboard
from bot.desk_status import edit_status_message
from bot.handlers.desk_access import desk_role
from bot.keyboards import parse_labels
from digests.desk.roles import audit
from digests.desk.sources_admin import (
    SourceError,
    add_source,
    get_source,
    remove_source,
    set_paused,
    sources_health,
)
from digests.ids import parse_id
from digests.models import utcnow
from digests.readers.subscriptions import active_topics

# One message and one keyboard: Telegram caps both, so the list shows the first ones.
MAX_LISTED = 20


async def _listing(context: NewsContext, language: str):
    now = utcnow()
    async with context.session() as session:
        health = await sources_health(session=session, now=now)
    shown = health[:MAX_LISTED]
    text = context.render(
        "desk/sources.html",
        language=language,
        sources=shown,
        total=len(health),
        tz=context.settings.default_timezone,
        now=now,
    )
    labels = parse_labels(context.render("desk/source_buttons.txt", language=language))
    return text, sources_keyboard([item.source for item in shown], labels)


async def sources_command(update: Update, context: NewsContext) -> None:
    """/sources lists sources with their health; /sources add <url> [topics] adds one."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    args = context.args or []
    action = "sources_add" if args[:1] == ["add"] else "sources"
    if not await desk_role(update, context, action):
        return
    language = context.language_for(user.language_code)
    if not args:
        text, markup = await _listing(context, language)
        await message.reply_text(text, reply_markup=markup)
        return
    values: dict[str, object] = {"source_id": "", "value": "", "topics": [], "known": []}
    if action != "sources_add" or len(args) < 2:
        values["code"] = "usage"
    else:
        now = utcnow()
        async with context.session() as session:
            try:
                source = await add_source(session=session, url=args[1], topics=args[2:], now=now)
                values |= {
                    "code": "added",
                    "source_id": source.id,
                    "value": source.url,
                    "topics": source.default_topics,
                }
                await audit(
                    session=session,
                    actor_id=user.id,
                    action=action,
                    now=now,
                    target=f"source:{source.id}",
                    detail={"url": source.url},
                )
            except SourceError as exc:
                values |= {"code": exc.code, "value": exc.value}
            values["known"] = [topic.slug for topic in await active_topics(session=session)]
    await message.reply_text(
        context.render("desk/source_changed.html", language=language, **values)
    )


async def source_button(update: Update, context: NewsContext) -> None:
    """Pause, resume, remove (asked once more) and back to the list."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    action, _, number = query.data.removeprefix(SOURCE).partition(":")
    if not await desk_role(update, context, f"source_{action}"):
        return
    language = context.language_for(user.language_code)
    source_id = parse_id(number) or 0
    now = utcnow()
    code, value = "", ""
    try:
        async with context.session() as session:
            if action in ("pause", "resume"):
                await set_paused(
                    session=session,
                    source_id=source_id,
                    paused=action == "pause",
                    now=now,
                    reason=f"paused by {user.id}",
                )
                code = "paused" if action == "pause" else "resumed"
            elif action == "rm":
                source = await get_source(session=session, source_id=source_id)
                code, value = "confirm_remove", source.url
            elif action == "rmok":
                await remove_source(session=session, source_id=source_id)
                code = "removed"
            if code and code != "confirm_remove":
                await audit(
                    session=session,
                    actor_id=user.id,
                    action=f"source_{action}",
                    now=now,
                    target=f"source:{source_id}",
                )
    except SourceError as exc:
        code, value = exc.code, exc.value
    text = (
        context.render(
            "desk/source_changed.html",
            language=language,
            code=code,
            source_id=source_id,
            value=value,
            topics=[],
            known=[],
        )
        if code
        else ""
    )
    if code == "confirm_remove":
        await query.answer()
        labels = parse_labels(context.render("desk/source_buttons.txt", language=language))
        markup = confirm_removal_keyboard(source_id, labels)
    else:
        await query.answer(text or None)
        text, markup = await _listing(context, language)
    if query.message is not None:
        await edit_status_message(
            context, query.message.chat.id, query.message.message_id, text, markup
        )
