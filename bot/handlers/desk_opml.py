"""OPML from the desk: an owner or editor sends an .opml file; /sources export answers with one."""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters

from bot.context import NewsContext
from bot.handlers.desk_access import desk_role
from digests.desk.opml import MAX_OPML_BYTES, MAX_OPML_FEEDS, export_opml, import_opml
from digests.models import utcnow

# What app.py routes here: an .opml document in a private chat.
OPML_FILES = filters.ChatType.PRIVATE & (
    filters.Document.FileExtension("opml") | filters.Document.MimeType("text/x-opml")
)
# The reply lists this many of each kind; the counts at its top cover them all.
SHOWN = 15


async def opml_document(update: Update, context: NewsContext) -> None:
    """An .opml document: its new feeds become sources, and the reply says what was not added."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    if not await desk_role(update, context, "source_add"):
        return
    language = context.language_for(user.language_code)
    document = message.document
    # Telegram states the size before the download; the bytes are measured again after it.
    data = b""
    if document.file_size is not None and document.file_size <= MAX_OPML_BYTES:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    if not data or len(data) > MAX_OPML_BYTES:
        text = context.render("desk/opml_too_big.html", language=language, limit=MAX_OPML_BYTES)
        await message.reply_text(text)
        return
    async with context.session() as session:
        report = await import_opml(session=session, data=data, now=utcnow(), actor_id=user.id)
    text = context.render(
        "desk/opml_report.html",
        language=language,
        shown=SHOWN,
        limit=MAX_OPML_FEEDS,
        **vars(report),
    )
    await message.reply_text(text)


async def send_opml_export(update: Update, context: NewsContext) -> None:
    """/sources export: every web feed as an OPML 2.0 file (the caller checked the role)."""
    message = update.effective_message
    if message is None:
        return
    async with context.session() as session:
        document = await export_opml(session=session)
    await message.reply_document(
        document.encode(), filename=f"newsbot-sources-{utcnow():%Y-%m-%d}.opml"
    )
