"""/alert: compose, preview with audiences and counts, confirm or cancel, stop while sending."""

from __future__ import annotations

import re

from telegram import LinkPreviewOptions, Message, MessageEntity, Update

from bot.context import NewsContext
from bot.desk_keyboards import ALERT, draft_keyboard
from bot.desk_status import edit_status_message, render_status
from bot.handlers.desk_access import desk_role
from bot.keyboards import parse_labels
from digests.desk.alert_changes import AlertStateError, alert_state, cancel_alert, discard_draft
from digests.desk.alert_text import AlertDraft, AlertTextError, parse_alert
from digests.desk.alerts import (
    audience_counts,
    choose_audience,
    confirm_alert,
    create_draft,
    get_alert,
    quiet_recipients,
    render_alert,
    set_status_message,
    topic_names,
)
from digests.desk.roles import audit
from digests.ids import parse_id
from digests.models import Alert, utcnow

_COMMAND = re.compile(r"^/\S+\s?")


def command_arguments(message: Message) -> str:
    """What follows the command, newlines kept (context.args would drop them)."""
    return _COMMAND.sub("", message.text or "", count=1)


def draft_from(message: Message, arguments: str, *, require_body: bool = True) -> AlertDraft:
    """The alert a command describes: its words, or the message it replies to, formatted."""
    replied = message.reply_to_message
    if replied is not None and (replied.text or replied.caption):
        entities = replied.parse_entities([MessageEntity.URL, MessageEntity.TEXT_LINK])
        entities |= replied.parse_caption_entities([MessageEntity.URL, MessageEntity.TEXT_LINK])
        links = [entity.url or text for entity, text in entities.items()]
        body = replied.text_html if replied.text else replied.caption_html
        return parse_alert(arguments, replied_html=body, replied_links=links)
    return parse_alert(arguments, require_body=require_body)


def reader_preview_options(link: str | None) -> LinkPreviewOptions:
    """The link preview a reader with previews on sees."""
    return (
        LinkPreviewOptions(is_disabled=False, url=link)
        if link
        else LinkPreviewOptions(is_disabled=True)
    )


async def _card(context: NewsContext, alert: Alert, language: str):
    async with context.session() as session:
        counts = await audience_counts(session=session)
        quiet = await quiet_recipients(
            session=session, audience=alert.audience, topic_id=alert.topic_id, now=utcnow()
        )
        names = await topic_names(session=session)
    text = context.render(
        "desk/card.html",
        language=language,
        alert_id=alert.id,
        audience=alert.audience,
        topic_name=names.get(alert.topic_id, ""),
        count=counts.count_for(alert.audience, alert.topic_id),
        quiet=quiet,
    )
    labels = parse_labels(context.render("desk/card_buttons.txt", language=language))
    return text, draft_keyboard(alert.id, counts, alert.audience, alert.topic_id, labels)


async def alert_command(update: Update, context: NewsContext) -> None:
    """/alert <text> [link=URL], or in reply to a message: preview, audiences, Confirm/Cancel."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, "alert"):
        return
    language = context.language_for(user.language_code)
    try:
        draft = draft_from(message, command_arguments(message))
        preview = render_alert(
            context.services.renderer, body=draft.body, link=draft.link, language=language
        )
    except AlertTextError as exc:
        text = context.render(
            "desk/alert_error.html", language=language, code=exc.code, value=exc.value
        )
        await message.reply_text(text)
        return
    async with context.session() as session:
        await context.current_chat(session, update)
        alert = await create_draft(
            session=session, author_id=user.id, body=draft.body, link=draft.link, now=utcnow()
        )
        await audit(
            session=session,
            actor_id=user.id,
            action="alert_draft",
            now=utcnow(),
            target=f"alert:{alert.id}",
        )
    copy = await message.reply_text(
        preview, link_preview_options=reader_preview_options(draft.link)
    )
    text, markup = await _card(context, alert, language)
    card = await copy.reply_text(text, reply_markup=markup)
    async with context.session() as session:
        await set_status_message(
            session=session, alert_id=alert.id, chat_id=card.chat_id, message_id=card.message_id
        )


def _parse_data(data: str) -> tuple[str, int, str]:
    action, _, rest = data.removeprefix(ALERT).partition(":")
    number, _, extra = rest.partition(":")
    return action, parse_id(number) or 0, extra


async def alert_button(update: Update, context: NewsContext) -> None:
    """Audience choice, Confirm, Cancel (draft) and Cancel sending."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    action, alert_id, extra = _parse_data(query.data)
    if not await desk_role(update, context, f"alert_{action}"):
        return
    language = context.language_for(user.language_code)
    now = utcnow()
    try:
        async with context.session() as session:
            alert = await get_alert(session=session, alert_id=alert_id)
            if alert is None:
                raise AlertTextError("not_found", str(alert_id))
            if action == "a":
                audience = {"all": "all", "ch": "channels"}.get(extra, "topic")
                topic_id = parse_id(extra[1:]) if audience == "topic" else None
                changed = await choose_audience(
                    session=session, alert_id=alert_id, audience=audience, topic_id=topic_id
                )
                if changed is None:
                    raise AlertStateError("not_draft")
            elif action == "ok":
                if (
                    await confirm_alert(
                        session=session,
                        alert_id=alert_id,
                        renderer=context.services.renderer,
                        now=now,
                    )
                    is None
                ):
                    raise AlertStateError("not_draft")
            elif action == "no":
                await discard_draft(session=session, alert_id=alert_id, now=now)
            elif action == "stop":
                await cancel_alert(session=session, alert_id=alert_id, now=now)
            await audit(
                session=session,
                actor_id=user.id,
                action=f"alert_{action}",
                now=now,
                target=f"alert:{alert_id}",
                detail={"extra": extra} if extra else None,
            )
            alert = await get_alert(session=session, alert_id=alert_id)
            assert alert is not None
            state = await alert_state(session=session, alert=alert, now=now)
            names = await topic_names(session=session)
    except (AlertTextError, AlertStateError) as exc:
        text = context.render(
            "desk/alert_error.html", language=language, code=exc.code, value=str(alert_id)
        )
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    if action == "a":
        text, markup = await _card(context, state.alert, language)
    elif action == "no":
        text, markup = (
            context.render("desk/discarded.html", language=language, alert_id=alert_id),
            None,
        )
    else:
        text, markup = render_status(
            context, state, language=language, topic_name=names.get(state.alert.topic_id, "")
        )
    if query.message is not None:
        await edit_status_message(
            context, query.message.chat.id, query.message.message_id, text, markup
        )
