"""/alert_edit, /alert_retract and /alerts: correcting and withdrawing what was sent."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.desk_status import render_status
from bot.handlers.desk_access import desk_role
from bot.handlers.desk_alerts import command_arguments, draft_from
from bot.keyboards import parse_labels
from digests.desk.alert_changes import AlertStateError, alert_state, edit_alert, retract_alert
from digests.desk.alert_text import AlertTextError
from digests.desk.alerts import get_alert, recent_alerts, set_status_message, topic_names
from digests.desk.roles import audit
from digests.ids import parse_id
from digests.models import utcnow
from digests.text.telegram_html import plain_text


def _number_and_rest(arguments: str) -> tuple[int | None, str]:
    first, _, rest = arguments.strip().partition(" ")
    number = first.lstrip("#")
    return parse_id(number), rest


async def _change(update: Update, context: NewsContext, action: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await desk_role(update, context, action):
        return
    language = context.language_for(user.language_code)
    number, rest = _number_and_rest(command_arguments(message))
    now = utcnow()
    try:
        if number is None:
            raise AlertTextError("edit_usage" if action == "alert_edit" else "retract_usage")
        async with context.session() as session:
            alert = await get_alert(session=session, alert_id=number)
            if alert is None:
                raise AlertTextError("not_found", str(number))
            detail: dict[str, object] = {"before": alert.text}
            if action == "alert_edit":
                draft = draft_from(message, rest, require_body=False)
                if not draft.body:
                    raise AlertTextError("edit_usage")
                queued = await edit_alert(
                    session=session,
                    alert_id=number,
                    body=draft.body,
                    link=draft.link or alert.link,
                    renderer=context.services.renderer,
                    now=now,
                )
                detail |= {"after": draft.body, "copies": queued}
            else:
                detail["copies"] = await retract_alert(session=session, alert_id=number, now=now)
            await audit(
                session=session,
                actor_id=user.id,
                action=action,
                now=now,
                target=f"alert:{number}",
                detail=detail,
            )
            state = await alert_state(session=session, alert=alert, now=now)
            names = await topic_names(session=session)
    except (AlertTextError, AlertStateError) as exc:
        value = getattr(exc, "value", "") or str(number)
        text = context.render(
            "desk/alert_error.html", language=language, code=exc.code, value=value
        )
        await message.reply_text(text)
        return
    text, markup = render_status(
        context, state, language=language, topic_name=names.get(state.alert.topic_id, "")
    )
    reply = await message.reply_text(text, reply_markup=markup)
    # This reply now shows the alert's live status (the job keeps it current).
    async with context.session() as session:
        await set_status_message(
            session=session, alert_id=number, chat_id=reply.chat_id, message_id=reply.message_id
        )


async def alert_edit_command(update: Update, context: NewsContext) -> None:
    """/alert_edit <number> <new text>: every copy changes, queued or already sent."""
    await _change(update, context, "alert_edit")


async def alert_retract_command(update: Update, context: NewsContext) -> None:
    """/alert_retract <number>: delete every copy Telegram still allows; report the rest."""
    await _change(update, context, "alert_retract")


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
