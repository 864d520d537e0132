"""After Confirm: cancelling, editing and retracting an alert, and the status the desk sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.desk.alerts import alert_ref, render_alert
from digests.desk.progress import Tally, tally_rows
from digests.models import (
    Alert,
    AlertStatus,
    Chat,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Priority,
)
from digests.text.render import Renderer

# Telegram lets a bot delete its own messages for 48 hours only.
DELETE_WINDOW = timedelta(hours=48)


class AlertStateError(ValueError):
    """The alert is not in a state for this; `code` names the template saying why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class AlertState:
    """An alert and its outbox rows: sending, edits and deletions."""

    alert: Alert
    sends: Tally
    edits: Tally
    deletes: Tally
    too_old: int

    @property
    def busy(self) -> bool:
        """Whether the sender still has rows of this alert to finish."""
        return bool(self.sends.open or self.edits.open or self.deletes.open)


async def _tally(session: AsyncSession, ref: str, kind: DeliveryKind) -> Tally:
    rows = await session.execute(
        select(Delivery.status, Delivery.error, func.count())
        .where(Delivery.kind == kind, Delivery.ref == ref)
        .group_by(Delivery.status, Delivery.error)
    )
    return tally_rows((str(status), error, count) for status, error, count in rows.all())


def _sent_copies(ref: str, *columns: Any) -> Select[Any]:
    return select(*(columns or (Delivery,))).where(
        Delivery.kind == DeliveryKind.ALERT,
        Delivery.ref == ref,
        Delivery.status == DeliveryStatus.SENT,
        Delivery.message_id.is_not(None),
    )


def _without(kind: DeliveryKind, ref: str, part: int | None = None) -> ColumnElement[bool]:
    other = aliased(Delivery)
    condition = (other.kind == kind) & (other.ref == ref) & (other.chat_id == Delivery.chat_id)
    if part is not None:
        condition = condition & (other.part == part)
    return ~select(other.id).where(condition).exists()


async def alert_state(*, session: AsyncSession, alert: Alert, now: datetime) -> AlertState:
    """Counts for the live status message."""
    ref = alert_ref(alert.id)
    too_old = 0
    if alert.status is AlertStatus.RETRACTED:
        too_old = await session.scalar(
            _sent_copies(ref, func.count())
            .where(Delivery.sent_at < now - DELETE_WINDOW)
            .where(_without(DeliveryKind.ALERT_DELETE, ref))
        )
    return AlertState(
        alert=alert,
        sends=await _tally(session, ref, DeliveryKind.ALERT),
        edits=await _tally(session, ref, DeliveryKind.ALERT_EDIT),
        deletes=await _tally(session, ref, DeliveryKind.ALERT_DELETE),
        too_old=too_old or 0,
    )


async def _cancel_pending(
    session: AsyncSession, ref: str, kind: DeliveryKind, now: datetime
) -> int:
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.kind == kind,
            Delivery.ref == ref,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED, error="cancelled by the desk", claimed_at=now)
    )
    return result.rowcount or 0


async def cancel_alert(*, session: AsyncSession, alert_id: int, now: datetime) -> int:
    """Stop what is still pending of an alert being sent; returns how many were stopped."""
    alert = await session.get(Alert, alert_id)
    if alert is None or alert.status is not AlertStatus.SENDING:
        raise AlertStateError("not_sending")
    stopped = await _cancel_pending(session, alert_ref(alert_id), DeliveryKind.ALERT, now)
    alert.status = AlertStatus.CANCELLED
    await session.flush()
    return stopped


async def discard_draft(*, session: AsyncSession, alert_id: int, now: datetime) -> Alert:
    """Cancel a draft before anything was queued."""
    alert = await session.get(Alert, alert_id)
    if alert is None or alert.status is not AlertStatus.DRAFT:
        raise AlertStateError("not_draft")
    alert.status, alert.finished_at = AlertStatus.CANCELLED, now
    await session.flush()
    return alert


async def _last_edit_part(session: AsyncSession, ref: str) -> int:
    # Each edit queues under its own part number, so a second edit is not taken for the first.
    last = await session.scalar(
        select(func.max(Delivery.part)).where(
            Delivery.kind == DeliveryKind.ALERT_EDIT, Delivery.ref == ref
        )
    )
    return last or 0


async def _queue_edits(
    session: AsyncSession,
    alert: Alert,
    texts: dict[str, str],
    *,
    part: int,
    since: datetime | None,
    now: datetime,
) -> int:
    ref = alert_ref(alert.id)
    query = (
        _sent_copies(ref, Delivery, Chat.language)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(_without(DeliveryKind.ALERT_EDIT, ref, part))
    )
    if since is not None:
        query = query.where(Delivery.sent_at >= since)
    messages = []
    for copy, language in (await session.execute(query)).all():
        text = texts[language] if language in texts else texts[""]
        if copy.payload.get("text") == text:
            continue
        payload = {"message_id": copy.message_id, "text": text, "parse_mode": "HTML"}
        if copy.payload.get("link_preview_options"):
            payload["link_preview_options"] = copy.payload["link_preview_options"]
        messages.append(
            OutgoingMessage(
                chat_id=copy.chat_id,
                kind=DeliveryKind.ALERT_EDIT,
                ref=ref,
                part=part,
                payload=payload,
                priority=Priority.ALERT,
                method="editMessageText",
            )
        )
    await enqueue(session=session, messages=messages, now=now)
    return len(messages)


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
        language: render_alert(renderer, body=alert.text, link=alert.link, language=language)
        for language in languages | {renderer.default_language}
    }
    texts[""] = texts[renderer.default_language]
    return texts


async def edit_alert(
    *,
    session: AsyncSession,
    alert_id: int,
    body: str,
    link: str | None,
    renderer: Renderer,
    now: datetime,
) -> int:
    """Change an alert's text: queued copies change before sending, sent ones are edited."""
    alert = await session.get(Alert, alert_id)
    if alert is None or alert.confirmed_at is None:
        raise AlertStateError("not_sent")
    if alert.status is AlertStatus.RETRACTED:
        raise AlertStateError("retracted")
    render_alert(renderer, body=body, link=link, language=renderer.default_language)
    ref = alert_ref(alert_id)
    # An older edit not yet applied would only be overwritten: drop it.
    await _cancel_pending(session, ref, DeliveryKind.ALERT_EDIT, now)
    alert.text, alert.link, alert.edited_at, alert.finished_at = body, link, now, None
    texts = await _texts(session, alert, renderer)
    pending = await session.execute(
        select(Delivery, Chat.language)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(
            Delivery.kind == DeliveryKind.ALERT,
            Delivery.ref == ref,
            Delivery.status == DeliveryStatus.PENDING,
        )
    )
    for row, language in pending.all():
        row.payload = {**row.payload, "text": texts.get(language, texts[""])}
    await session.flush()
    part = await _last_edit_part(session, ref) + 1
    return await _queue_edits(session, alert, texts, part=part, since=None, now=now)


async def _queue_deletes(session: AsyncSession, alert: Alert, now: datetime) -> int:
    ref = alert_ref(alert.id)
    copies = await session.scalars(
        _sent_copies(ref)
        .where(Delivery.sent_at >= now - DELETE_WINDOW)
        .where(_without(DeliveryKind.ALERT_DELETE, ref))
    )
    messages = [
        OutgoingMessage(
            chat_id=copy.chat_id,
            kind=DeliveryKind.ALERT_DELETE,
            ref=ref,
            payload={"message_id": copy.message_id},
            priority=Priority.ALERT,
            method="deleteMessage",
        )
        for copy in copies
    ]
    await enqueue(session=session, messages=messages, now=now)
    return len(messages)


async def retract_alert(*, session: AsyncSession, alert_id: int, now: datetime) -> int:
    """Stop what is pending and delete every copy Telegram still lets a bot delete."""
    alert = await session.get(Alert, alert_id)
    if alert is None or alert.confirmed_at is None:
        raise AlertStateError("not_sent")
    if alert.status is AlertStatus.RETRACTED:
        raise AlertStateError("retracted")
    ref = alert_ref(alert_id)
    await _cancel_pending(session, ref, DeliveryKind.ALERT, now)
    await _cancel_pending(session, ref, DeliveryKind.ALERT_EDIT, now)
    alert.status, alert.finished_at = AlertStatus.RETRACTED, None
    await session.flush()
    return await _queue_deletes(session, alert, now)


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
        await _queue_edits(
            session,
            alert,
            await _texts(session, alert, renderer),
            part=max(await _last_edit_part(session, alert_ref(alert.id)), 1),
            since=alert.edited_at,
            now=now,
        )
    state = await alert_state(session=session, alert=alert, now=now)
    if not state.busy:
        if alert.status is AlertStatus.SENDING:
            alert.status = AlertStatus.SENT
        alert.finished_at = now
        await session.flush()
    return state
