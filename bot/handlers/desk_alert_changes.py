"""/alert_edit, /alert_retract and /alerts: correcting and withdrawing what was sent."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.desk_status import render_status
from bot.handlers.desk_access import desk_role
from bot.handlers.desk_alerts import command_arguments, draft_from
from bot.keyboards import parse_labels
from bot.updates import message_of
from digests.desk.alert_changes import edit_alert, retract_alert
from digests.desk.alert_state import AlertState
from digests.desk.alerts import recent_alerts, set_status_message, topic_names
from digests.errors import AlertTextError
from digests.ids import parse_row_id
from digests.models import utcnow
from digests.text.telegram_html import plain_text


def _number_and_rest(arguments: str) -> tuple[int | None, str]:
    first, _, rest = arguments.strip().partition(" ")
    number = first.lstrip("#")
    return parse_row_id(number), rest


async def _show_status(
    update: Update, context: NewsContext, state: AlertState, language: str
) -> None:
    """Reply with the alert's status; the reply shows it live from now on."""
    message = message_of(update)
    text, markup = render_status(context, state, language=language)
    reply = await message.reply_text(text, reply_markup=markup)
    async with context.session() as session:
        await set_status_message(
            session=session,
            alert_id=state.alert.id,
            chat_id=reply.chat_id,
            message_id=reply.message_id,
        )


async def alert_edit_command(update: Update, context: NewsContext) -> None:
    """/alert_edit <number> <new text>: every copy changes, queued or already sent."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, "alert_edit"):
        return
    number, rest = _number_and_rest(command_arguments(message))
    draft = draft_from(message, rest, require_body=False)
    if number is None or not draft.body:
        raise AlertTextError("alert_edit_usage")
    async with context.session() as session:
        state = await edit_alert(
            session=session,
            actor_id=user.id,
            alert_id=number,
            body=draft.body,
            link=draft.link,
            renderer=context.services.renderer,
            now=utcnow(),
        )
    await _show_status(update, context, state, context.language_for(user.language_code))


async def alert_retract_command(update: Update, context: NewsContext) -> None:
    """/alert_retract <number>: delete every copy Telegram still allows; report the rest."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, "alert_retract"):
        return
    number, _ = _number_and_rest(command_arguments(message))
    if number is None:
        raise AlertTextError("alert_retract_usage")
    async with context.session() as session:
        state = await retract_alert(
            session=session, actor_id=user.id, alert_id=number, now=utcnow()
        )
    await _show_status(update, context, state, context.language_for(user.language_code))


async def alerts_command(update: Update, context: NewsContext) -> None:
    """/alerts: the latest alerts with their numbers."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, "alerts"):
        return
    language = context.language_for(user.language_code)
    async with context.session() as session:
        alerts = await recent_alerts(session=session)
        names = await topic_names(session=session)
    items = [
        {
            "id": a.id,
            "created_at": a.created_at,
            "status": a.status.value,
            "audience": a.audience,
            "topic_id": a.topic_id,
            "total": a.total,
            "preview": plain_text(a.text),
        }
        for a in alerts
    ]
    text = context.render(
        "desk/alerts_list.html",
        language=language,
        alerts=items,
        statuses=parse_labels(context.render("desk/statuses.txt", language=language)),
        topic_names=names,
        tz=context.settings.default_timezone,
        now=utcnow(),
    )
    await message.reply_text(text)
