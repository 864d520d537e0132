"""/sources: health of every source, buttons to pause, resume and remove; /sources add."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import NewsContext
from bot.desk_keyboards import (
    SOURCE_LIST,
    SOURCE_PAUSE,
    SOURCE_REMOVE,
    SOURCE_REMOVE_YES,
    SOURCE_RESUME,
    confirm_removal_keyboard,
    sources_keyboard,
)
from bot.handlers.desk_access import Press, desk_press, desk_role
from bot.handlers.desk_opml import send_opml_export
from bot.keyboards import parse_labels
from digests.desk.sources_admin import (
    add_source,
    find_source,
    pause_source,
    remove_source,
    resume_source,
    sources_health,
)
from digests.errors import SourceError
from digests.ids import parse_id
from digests.models import utcnow

# Sources per page: with every field at its longest, a page still fits one message.
PAGE = 5


async def _listing(
    context: NewsContext, language: str, *, page: int = 0, around: int | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the list: page `page`, or the one source #`around` is (or was) on."""
    now = utcnow()
    async with context.session() as session:
        health = await sources_health(session=session, now=now)
    if around is not None:
        page = sum(1 for item in health if item.source.id < around) // PAGE
    page = max(0, min(page, (len(health) - 1) // PAGE))
    shown = health[page * PAGE : (page + 1) * PAGE]
    text = context.render(
        "desk/sources.html",
        language=language,
        sources=shown,
        first=page * PAGE + 1,
        total=len(health),
        tz=context.settings.default_timezone,
        now=now,
    )
    labels = parse_labels(context.render("desk/source_buttons.txt", language=language))
    more = len(health) > (page + 1) * PAGE
    return text, sources_keyboard([item.source for item in shown], labels, page=page, more=more)


async def sources_command(update: Update, context: NewsContext) -> None:
    """/sources lists sources with their health; /sources add <url> [topics] adds one;
    /sources export sends them as an OPML file."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    args = context.args or []
    action = "source_add" if args[:1] == ["add"] else "sources"
    if not await desk_role(update, context, action):
        return
    language = context.language_for(user.language_code)
    if args == ["export"]:
        await send_opml_export(update, context)
        return
    if not args:
        text, markup = await _listing(context, language)
        await message.reply_text(text, reply_markup=markup)
        return
    if action != "source_add" or len(args) < 2:
        raise SourceError("sources_usage")
    async with context.session() as session:
        source = await add_source(
            session=session,
            url=args[1],
            now=utcnow(),
            topics=args[2:],
            private_hosts=context.settings.fetch_allow_private_hosts,
            actor_id=user.id,
        )
    text = context.render(
        "desk/source_changed.html",
        language=language,
        code="added",
        source_id=source.id,
        value=source.url,
        topics=source.default_topics,
    )
    await message.reply_text(text)


async def _changed(context: NewsContext, press: Press, code: str, source_id: int) -> None:
    """Say what changed in the button's answer, and redraw the list under it."""
    text = context.render(
        "desk/source_changed.html", language=press.language, code=code, source_id=source_id
    )
    await press.query.answer(text)
    await press.redraw(context, *await _listing(context, press.language, around=source_id))


async def source_pause_button(update: Update, context: NewsContext) -> None:
    """⏸ Pause: the source is not fetched until it is resumed."""
    press = await desk_press(update, context, SOURCE_PAUSE, "source_pause")
    if press is None:
        return
    async with context.session() as session:
        source = await pause_source(
            session=session,
            key=press.number,
            reason=f"paused by {press.user_id}",
            now=utcnow(),
            actor_id=press.user_id,
        )
    await _changed(context, press, "paused", source.id)


async def source_resume_button(update: Update, context: NewsContext) -> None:
    """▶️ Resume: fetched at the next polling run, its failures forgotten."""
    press = await desk_press(update, context, SOURCE_RESUME, "source_resume")
    if press is None:
        return
    async with context.session() as session:
        source = await resume_source(
            session=session, key=press.number, now=utcnow(), actor_id=press.user_id
        )
    await _changed(context, press, "resumed", source.id)


async def source_remove_button(update: Update, context: NewsContext) -> None:
    """🗑 Remove: asks once more, naming the source."""
    press = await desk_press(update, context, SOURCE_REMOVE, "source_remove")
    if press is None:
        return
    async with context.session() as session:
        source = await find_source(session=session, key=press.number)
    await press.query.answer()
    text = context.render(
        "desk/source_changed.html",
        language=press.language,
        code="confirm_remove",
        source_id=source.id,
        value=source.url,
    )
    labels = parse_labels(context.render("desk/source_buttons.txt", language=press.language))
    await press.redraw(context, text, confirm_removal_keyboard(source.id, labels))


async def source_remove_yes_button(update: Update, context: NewsContext) -> None:
    """Yes, remove it: the source goes, its articles stay in the archive."""
    press = await desk_press(update, context, SOURCE_REMOVE_YES, "source_remove")
    if press is None:
        return
    async with context.session() as session:
        source = await remove_source(
            session=session, key=press.number, now=utcnow(), actor_id=press.user_id
        )
    await _changed(context, press, "removed", source.id)


async def source_list_button(update: Update, context: NewsContext) -> None:
    """Keep it (back to the list), or a page of it: `src:list:N`."""
    press = await desk_press(update, context, SOURCE_LIST, "sources")
    if press is None:
        return
    await press.query.answer()
    page = parse_id(press.extra, maximum=10_000) or 0
    await press.redraw(context, *await _listing(context, press.language, page=page))
