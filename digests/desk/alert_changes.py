"""After Confirm: cancelling, editing and retracting an alert, and following it to the end.

The desk's actions check the alert's state, act through the outbox, record who did it in the
audit log, and return the alert's new state for the status message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import rows_changed
from digests.delivery.failures import FailureCode
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.desk.alert_related import related_links
from digests.desk.alert_state import (
    DELETE_WINDOW,
    AlertState,
    alert_state,
    sent_copies,
    without_row,
)
from digests.desk.alerts import alert_text, audit_alert, find_alert, render_alert
from digests.errors import AlertStateError, AlertTextError
from digests.models import (
    Alert,
    AlertStatus,
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Priority,
)
from digests.models.desk import alert_ref
from digests.text.render import Renderer
from digests.text.telegram_html import CAPTION_LIMIT, visible_length

deliveries = cast(Table, Delivery.__table__)


async def _cancel_pending(
    session: AsyncSession, ref: str, kind: DeliveryKind, now: datetime
) -> int:
    return await rows_changed(
        session,
        update(Delivery)
        .where(
            Delivery.kind == kind,
            Delivery.ref == ref,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(
            status=DeliveryStatus.CANCELLED,
            error="cancelled by the desk",
            error_code=FailureCode.DESK_CANCELLED,
            claimed_at=now,
        ),
    )


async def _changeable(session: AsyncSession, alert_id: int) -> Alert:
    """An alert that was confirmed and is not retracted (only those can change)."""
    alert = await find_alert(session=session, alert_id=alert_id)
    if alert.confirmed_at is None:
        raise AlertStateError("alert_not_sent", alert_id)
    if alert.status is AlertStatus.RETRACTED:
        raise AlertStateError("alert_retracted", alert_id)
    return alert


async def cancel_alert(
    *, session: AsyncSession, actor_id: int, alert_id: int, now: datetime
) -> AlertState:
    """Stop what is still pending of an alert being sent, audited with how many stopped."""
    alert = await find_alert(session=session, alert_id=alert_id)
    if alert.status is not AlertStatus.SENDING:
        raise AlertStateError("alert_not_sending", alert_id)
    stopped = await _cancel_pending(session, alert_ref(alert_id), DeliveryKind.ALERT, now)
    alert.status = AlertStatus.CANCELLED
    await session.flush()
    await audit_alert(session, actor_id, "alert_cancel", alert_id, now, {"stopped": stopped})
    return await alert_state(session=session, alert=alert, now=now)


async def _last_edit_part(session: AsyncSession, ref: str) -> int:
    # Each edit queues under its own part number, so a second edit is not taken for the first.
    last = await session.scalar(
        select(func.max(Delivery.part)).where(
            Delivery.kind == DeliveryKind.ALERT_EDIT, Delivery.ref == ref
        )
    )
    return last or 0


def _words(key: str) -> ColumnElement[str]:
    column: ColumnElement[str] = Delivery.payload[key].as_string()
    return column


def _stale(texts: dict[str, str]) -> ColumnElement[bool]:
    """True for an alert row whose words (text, or a photo's caption) are none of the current
    ones: what it was sent with, as nothing changes a row's payload once it is claimed.
    False for a photo sent without a caption (its words follow in their own message)."""
    current = set(texts.values())
    return or_(_words("text").not_in(current), _words("caption").not_in(current))


def _edit_of(copy: Delivery, text: str) -> tuple[str, dict[str, Any]]:
    """The Bot API method and parameters that put `text` into a copy already sent."""
    if "caption" in copy.payload:
        caption = {"message_id": copy.message_id, "caption": text, "parse_mode": "HTML"}
        return "editMessageCaption", caption
    payload = {"message_id": copy.message_id, "text": text, "parse_mode": "HTML"}
    if copy.payload.get("link_preview_options"):
        payload["link_preview_options"] = copy.payload["link_preview_options"]
    return "editMessageText", payload


async def _queue_edits(
    session: AsyncSession, alert: Alert, texts: dict[str, str], *, part: int, now: datetime
) -> int:
    """Queue this edit for every copy sent with other words and not edited yet.

    By content, not by time: a copy whose send was in flight at the edit (its outcome written
    after the edit looked) is found at the next look, whenever its send was recorded.
    """
    ref = alert_ref(alert.id)
    query = (
        sent_copies(ref, Delivery, Chat.language)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(without_row(DeliveryKind.ALERT_EDIT, ref, part), _stale(texts))
    )
    messages = []
    for copy, language in (await session.execute(query)).all():
        text = texts[language] if language in texts else texts[""]
        if text in (copy.payload.get("text"), copy.payload.get("caption")):
            continue
        method, payload = _edit_of(copy, text)
        messages.append(
            OutgoingMessage(
                chat_id=copy.chat_id,
                kind=DeliveryKind.ALERT_EDIT,
                ref=ref,
                part=part,
                payload=payload,
                priority=Priority.ALERT,
                method=method,
            )
        )
    await enqueue(session=session, messages=messages, now=now)
    return len(messages)


_RETEXT = (
    update(deliveries)
    .where(deliveries.c.id == bindparam("b_id"), deliveries.c.status == DeliveryStatus.PENDING)
    .values(payload=bindparam("b_payload"))
)


async def _retext_pending(session: AsyncSession, ref: str, texts: dict[str, str]) -> None:
    """Give the alert's queued copies the current text; a copy the sender claimed meanwhile
    keeps the words it goes out with (the UPDATE re-checks `pending`), and is edited later."""
    pending = await session.execute(
        select(Delivery.id, Delivery.payload, Chat.language)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(
            Delivery.kind == DeliveryKind.ALERT,
            Delivery.ref == ref,
            Delivery.status == DeliveryStatus.PENDING,
            _stale(texts),
        )
    )
    rows = [
        {"b_id": row_id, "b_payload": {**payload, key: texts.get(language, texts[""])}}
        for row_id, payload, language in pending.all()
        for key in ("caption" if "caption" in payload else "text",)
    ]
    if rows:
        await session.execute(_RETEXT, rows)


async def _texts(session: AsyncSession, alert: Alert, renderer: Renderer) -> dict[str, str]:
    languages = set(
        await session.scalars(
            select(Chat.language)
            .join(Delivery, Delivery.chat_id == Chat.id)
            .where(Delivery.kind == DeliveryKind.ALERT, Delivery.ref == alert_ref(alert.id))
            .distinct()
        )
    )
    texts = {
        language: alert_text(renderer, alert, language)
        for language in languages | {renderer.default_language}
    }
    texts[""] = texts[renderer.default_language]
    return texts


async def _check_captions(session: AsyncSession, ref: str, texts: dict[str, str]) -> None:
    """A photo alert sent with its words as the caption keeps them there: they must fit."""
    captioned = await session.scalar(
        select(Delivery.id)
        .where(Delivery.kind == DeliveryKind.ALERT, Delivery.ref == ref)
        .where(_words("caption").is_not(None))
        .limit(1)
    )
    longest = max(visible_length(text) for text in texts.values())
    if captioned is not None and longest > CAPTION_LIMIT:
        raise AlertTextError("alert_caption_too_long", longest)


async def edit_alert(
    *,
    session: AsyncSession,
    actor_id: int,
    alert_id: int,
    body: str,
    link: str | None,
    renderer: Renderer,
    now: datetime,
) -> AlertState:
    """Change an alert's text (None keeps its link) in every copy, queued or sent; audited."""
    alert = await _changeable(session, alert_id)
    before, link = alert.text, link or alert.link
    render_alert(renderer, body=body, link=link, language=renderer.default_language)
    ref = alert_ref(alert_id)
    # An older edit not yet applied would only be overwritten: drop it.
    await _cancel_pending(session, ref, DeliveryKind.ALERT_EDIT, now)
    if link != alert.link:  # a new article: its related coverage
        alert.related = await related_links(session=session, link=link)
    alert.text, alert.link, alert.edited_at, alert.finished_at = body, link, now, None
    texts = await _texts(session, alert, renderer)
    await _check_captions(session, ref, texts)
    await session.flush()
    await _retext_pending(session, ref, texts)
    part = await _last_edit_part(session, ref) + 1
    copies = await _queue_edits(session, alert, texts, part=part, now=now)
    detail = {"before": before, "after": body, "copies": copies}
    await audit_alert(session, actor_id, "alert_edit", alert_id, now, detail)
    return await alert_state(session=session, alert=alert, now=now)


async def _queue_deletes(session: AsyncSession, alert: Alert, now: datetime) -> int:
    ref = alert_ref(alert.id)
    copies = await session.scalars(
        sent_copies(ref)
        .where(Delivery.sent_at >= now - DELETE_WINDOW)
        .where(without_row(DeliveryKind.ALERT_DELETE, ref, same_part=True))
    )
    messages = [
        OutgoingMessage(
            chat_id=copy.chat_id,
            kind=DeliveryKind.ALERT_DELETE,
            ref=ref,
            part=copy.part,
            payload={"message_id": copy.message_id},
            priority=Priority.ALERT,
            method="deleteMessage",
        )
        for copy in copies
    ]
    await enqueue(session=session, messages=messages, now=now)
    return len(messages)


async def retract_alert(
    *, session: AsyncSession, actor_id: int, alert_id: int, now: datetime
) -> AlertState:
    """Stop what is pending and delete every copy Telegram still lets a bot delete, audited."""
    alert = await _changeable(session, alert_id)
    ref = alert_ref(alert_id)
    await _cancel_pending(session, ref, DeliveryKind.ALERT, now)
    await _cancel_pending(session, ref, DeliveryKind.ALERT_EDIT, now)
    alert.status, alert.finished_at = AlertStatus.RETRACTED, None
    await session.flush()
    copies = await _queue_deletes(session, alert, now)
    await audit_alert(
        session, actor_id, "alert_retract", alert_id, now, {"before": alert.text, "copies": copies}
    )
    return await alert_state(session=session, alert=alert, now=now)


async def alerts_in_flight(*, session: AsyncSession) -> list[Alert]:
    """Alerts with an operation the desk is watching (sending, editing, retracting)."""
    return list(
        await session.scalars(
            select(Alert)
            .where(Alert.confirmed_at.is_not(None), Alert.finished_at.is_(None))
            .order_by(Alert.id)
        )
    )


async def advance_alert(
    *, session: AsyncSession, alert: Alert, renderer: Renderer, now: datetime
) -> AlertState:
    """One look at an alert in flight: catch copies sent meanwhile, finish it when all is done."""
    if alert.status is AlertStatus.RETRACTED:
        # Copies that were already being sent when the alert was retracted.
        await _queue_deletes(session, alert, now)
    elif alert.edited_at is not None:
        # Copies whose send was in flight at the edit: sent since with the old words, or
        # back in the queue after a retry.
        ref, texts = alert_ref(alert.id), await _texts(session, alert, renderer)
        await _retext_pending(session, ref, texts)
        part = max(await _last_edit_part(session, ref), 1)
        await _queue_edits(session, alert, texts, part=part, now=now)
    state = await alert_state(session=session, alert=alert, now=now)
    if not state.busy:
        if alert.status is AlertStatus.SENDING:
            alert.status = AlertStatus.SENT
        alert.finished_at = now
        await session.flush()
    return state
