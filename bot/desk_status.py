"""An alert's live status message: rendered from the outbox, refreshed by a recurring job."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.context import NewsContext
from bot.desk_keyboards import sending_keyboard
from bot.keyboards import parse_labels
from digests.delivery.failures import FailureCode, failure_code
from digests.desk.alert_changes import advance_alert, alerts_in_flight
from digests.desk.alert_state import AlertState
from digests.desk.progress import progress_of
from digests.models import AlertStatus, utcnow
from digests.readers.chats import get_chat

logger = logging.getLogger(__name__)


def render_status(
    context: NewsContext, state: AlertState, *, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The status text, with Cancel while copies are still queued."""
    alert = state.alert
    text = context.render(
        "desk/progress.html",
        language=language,
        alert=alert,
        state=state,
        sends=progress_of(
            state.sends,
            started_at=alert.confirmed_at,
            now=utcnow(),
            whole=alert.status is AlertStatus.CANCELLED,
        ),
        topic_name=state.topic_name,
    )
    markup = None
    if alert.status is AlertStatus.SENDING and state.sends.pending:
        labels = parse_labels(context.render("desk/card_buttons.txt", language=language))
        markup = sending_keyboard(alert.id, labels)
    return text, markup


async def edit_status_message(
    context: NewsContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Edit a status message; an unchanged text or a message deleted meanwhile is no error."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if failure_code(exc) is FailureCode.NOT_MODIFIED:
            return
        logger.warning("alert status in chat %s not updated: %s", chat_id, exc.message)
    except Forbidden as exc:
        logger.warning("alert status in chat %s not updated: %s", chat_id, exc.message)


async def refresh_alert_status(context: NewsContext) -> None:
    """Job: redraw the status message of every alert in flight; finish those that are done."""
    renderer = context.services.renderer
    updates = []
    async with context.session() as session:
        for alert in await alerts_in_flight(session=session):
            state = await advance_alert(
                session=session, alert=alert, renderer=renderer, now=utcnow()
            )
            if alert.preview_chat_id is None or alert.preview_message_id is None:
                continue
            desk_chat = await get_chat(session=session, telegram_id=alert.preview_chat_id)
            language = desk_chat.language if desk_chat else renderer.default_language
            text, markup = render_status(context, state, language=language)
            updates.append((alert.preview_chat_id, alert.preview_message_id, text, markup))
    for chat_id, message_id, text, markup in updates:
        await edit_status_message(context, chat_id, message_id, text, markup)
