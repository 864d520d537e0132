"""/alert: compose, preview with audiences and counts, confirm or cancel, stop while sending."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, MessageEntity, Update

from bot.context import NewsContext
from bot.desk_keyboards import (
    ALERT_AUDIENCE,
    ALERT_CANCEL,
    ALERT_CONFIRM,
    ALERT_DISCARD,
    draft_keyboard,
    parse_audience,
)
from bot.desk_status import render_status
from bot.handlers.desk_access import desk_press, desk_role
from bot.keyboards import parse_labels
from digests.desk.alert_changes import cancel_alert
from digests.desk.alert_text import AlertDraft, parse_alert
from digests.desk.alerts import (
    DraftCard,
    alert_text,
    choose_audience,
    confirm_alert,
    create_draft,
    discard_draft,
    fits_caption,
    render_alert,
    set_status_message,
)
from digests.models import utcnow

_COMMAND = re.compile(r"^/\S+\s?")
# A photo whose caption is an /alert command (CommandHandler does not look at captions).
ALERT_CAPTION = r"^/alert(?:@\w+)?(?:\s|$)"
_MENTION = re.compile(r"^/\w+@(\w+)")


def command_arguments(message: Message) -> str:
    """What follows the command (in a text or a caption), newlines kept (context.args would
    drop them)."""
    return _COMMAND.sub("", message.text or message.caption or "", count=1)


def photo_of(message: Message | None) -> str | None:
    """The file id of a message's photo (its largest size), if it has one."""
    return message.photo[-1].file_id if message is not None and message.photo else None


def draft_from(message: Message, arguments: str, *, require_body: bool = True) -> AlertDraft:
    """The alert a command describes: its words, or the message it replies to, formatted."""
    replied = message.reply_to_message
    if replied is not None and (replied.text or replied.caption):
        entities = replied.parse_entities([MessageEntity.URL, MessageEntity.TEXT_LINK])
        entities |= replied.parse_caption_entities([MessageEntity.URL, MessageEntity.TEXT_LINK])
        links = [entity.url or text for entity, text in entities.items()]
        body = replied.text_html if replied.text else replied.caption_html
        draft = parse_alert(arguments, replied_html=body, replied_links=links)
    else:
        draft = parse_alert(arguments, require_body=require_body)
    return replace(draft, photo=photo_of(replied) or photo_of(message))


def reader_preview_options(link: str | None) -> LinkPreviewOptions:
    """The link preview a reader with previews on sees."""
    return (
        LinkPreviewOptions(is_disabled=False, url=link)
        if link
        else LinkPreviewOptions(is_disabled=True)
    )


def _card_view(
    context: NewsContext, card: DraftCard, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    alert = card.alert
    text = context.render(
        "desk/card.html",
        language=language,
        alert_id=alert.id,
        audience=alert.audience,
        topic_name=card.topic_name,
        count=card.count,
        quiet=card.quiet,
    )
    labels = parse_labels(context.render("desk/card_buttons.txt", language=language))
    return text, draft_keyboard(alert.id, card.counts, alert.audience, alert.topic_id, labels)


async def _preview(message: Message, draft: AlertDraft, preview: str) -> Message:
    """The alert as readers get it, in reply; the message the card goes under."""
    options = reader_preview_options(draft.link)
    if draft.photo is None:
        return await message.reply_text(preview, link_preview_options=options)
    if fits_caption(preview):
        return await message.reply_photo(draft.photo, caption=preview)
    photo = await message.reply_photo(draft.photo)
    return await photo.reply_text(preview, link_preview_options=options)


def _for_another_bot(message: Message, username: str) -> bool:
    """Whether the command names another bot (/alert@other_bot), as CommandHandler checks."""
    mention = _MENTION.match(message.text or message.caption or "")
    return mention is not None and mention.group(1).lower() != username.lower()


async def alert_command(update: Update, context: NewsContext) -> None:
    """/alert <text> [link=URL], or in reply to a message, or as a photo's caption: preview,
    audiences, Confirm/Cancel."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or _for_another_bot(message, context.bot.username):
        return
    if not await desk_role(update, context, "alert_draft"):
        return
    language = context.language_for(user.language_code)
    draft = draft_from(message, command_arguments(message))
    # Too long: refused before a draft exists.
    render_alert(context.services.renderer, body=draft.body, link=draft.link, language=language)
    async with context.session() as session:
        await context.current_chat(session, update)
        card = await create_draft(
            session=session,
            author_id=user.id,
            body=draft.body,
            link=draft.link,
            now=utcnow(),
            photo=draft.photo,
        )
    # The draft's related links are known now: the preview shows them, exactly as readers will.
    preview = alert_text(context.services.renderer, card.alert, language)
    copy = await _preview(message, draft, preview)
    text, markup = _card_view(context, card, language)
    shown = await copy.reply_text(text, reply_markup=markup)
    async with context.session() as session:
        await set_status_message(
            session=session,
            alert_id=card.alert.id,
            chat_id=shown.chat_id,
            message_id=shown.message_id,
        )


async def alert_audience_button(update: Update, context: NewsContext) -> None:
    """An audience on a draft's card: the card shows whom the alert reaches now."""
    press = await desk_press(update, context, ALERT_AUDIENCE, "alert_audience")
    if press is None:
        return
    audience, topic_id = parse_audience(press.extra)
    async with context.session() as session:
        card = await choose_audience(
            session=session,
            actor_id=press.user_id,
            alert_id=press.number,
            audience=audience,
            topic_id=topic_id,
            now=utcnow(),
        )
    await press.query.answer()
    await press.redraw(context, *_card_view(context, card, press.language))


async def alert_confirm_button(update: Update, context: NewsContext) -> None:
    """Confirm: the draft is queued to its audience; the card becomes its live status."""
    press = await desk_press(update, context, ALERT_CONFIRM, "alert_confirm")
    if press is None:
        return
    async with context.session() as session:
        state = await confirm_alert(
            session=session,
            actor_id=press.user_id,
            alert_id=press.number,
            renderer=context.services.renderer,
            now=utcnow(),
        )
    await press.query.answer()
    await press.redraw(context, *render_status(context, state, language=press.language))


async def alert_discard_button(update: Update, context: NewsContext) -> None:
    """Cancel on a draft: nothing is sent."""
    press = await desk_press(update, context, ALERT_DISCARD, "alert_discard")
    if press is None:
        return
    async with context.session() as session:
        alert = await discard_draft(
            session=session, actor_id=press.user_id, alert_id=press.number, now=utcnow()
        )
    await press.query.answer()
    text = context.render("desk/discarded.html", language=press.language, alert_id=alert.id)
    await press.redraw(context, text, None)


async def alert_cancel_button(update: Update, context: NewsContext) -> None:
    """Cancel sending: what is still queued is not sent."""
    press = await desk_press(update, context, ALERT_CANCEL, "alert_cancel")
    if press is None:
        return
    async with context.session() as session:
        state = await cancel_alert(
            session=session, actor_id=press.user_id, alert_id=press.number, now=utcnow()
        )
    await press.query.answer()
    await press.redraw(context, *render_status(context, state, language=press.language))
