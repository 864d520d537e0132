"""Breaking alerts before they go: drafts, audiences with their counts, Confirm and Cancel.

Each action a desk button or command takes checks the alert's state, acts, records who did
it in the audit log, and returns what the desk shows next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import rows_changed
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.desk.alert_related import related_links
from digests.desk.alert_state import AlertState, alert_state
from digests.desk.roles import audit
from digests.errors import AlertStateError, AlertTextError
from digests.models import (
    Alert,
    AlertStatus,
    Chat,
    ChatStatus,
    ChatType,
    DeliveryKind,
    Priority,
    Subscription,
    Topic,
)
from digests.models.desk import alert_ref
from digests.readers.filters import filters_of
from digests.readers.preferences import in_quiet_hours
from digests.text.render import Renderer
from digests.text.telegram_html import CAPTION_LIMIT, MESSAGE_LIMIT, visible_length

ALERT_TEMPLATE = "desk/alert.html"
AUDIENCES = ("all", "topic", "channels")
# Rows read per round while queuing, so a large audience is never all in memory at once.
BATCH = 5000


@dataclass(frozen=True)
class TopicAudience:
    """One topic's alert subscribers."""

    id: int
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class AudienceCounts:
    """How many chats each audience choice reaches now."""

    all: int
    channels: int
    topics: list[TopicAudience]

    def count_for(self, audience: str, topic_id: int | None) -> int:
        """The count of the chosen audience."""
        if audience == "channels":
            return self.channels
        if audience == "topic":
            return next((t.count for t in self.topics if t.id == topic_id), 0)
        return self.all


def render_alert(
    renderer: Renderer,
    *,
    body: str,
    link: str | None,
    language: str,
    related: Sequence[Mapping[str, str]] = (),
) -> str:
    """The alert exactly as readers get it, with its related links unless they would make it
    too long; raises AlertTextError when it is too long even without them."""
    values = {"body": Markup(body), "link": link}
    text = renderer.render(ALERT_TEMPLATE, language=language, related=related, **values)
    if related and visible_length(text) > MESSAGE_LIMIT:
        text = renderer.render(ALERT_TEMPLATE, language=language, related=(), **values)
    length = visible_length(text)
    if length > MESSAGE_LIMIT:
        raise AlertTextError("alert_too_long", length)
    return text


def alert_text(renderer: Renderer, alert: Alert, language: str) -> str:
    """An alert as readers of this language get it, related links included."""
    return render_alert(
        renderer, body=alert.text, link=alert.link, language=language, related=alert.related or ()
    )


def fits_caption(text: str) -> bool:
    """Whether a rendered alert fits under its photo (Telegram's 1024-unit caption limit)."""
    return visible_length(text) <= CAPTION_LIMIT


def _recipients(audience: str, topic_id: int | None) -> Select[Any]:
    active = (Chat.status == ChatStatus.ACTIVE) & Chat.alerts_enabled
    if audience == "channels":
        return select(Chat).where(active, Chat.type == ChatType.CHANNEL)
    if audience == "topic":
        wants = Subscription.alerts & (Subscription.chat_id == Chat.id)
        wants = wants & (Subscription.topic_id == topic_id)
        return select(Chat).where(active, exists().where(wants))
    # Everyone: every private chat and group with alerts on, whatever it follows; channels
    # only when chosen as the audience.
    return select(Chat).where(active, Chat.type != ChatType.CHANNEL)


async def audience_counts(*, session: AsyncSession) -> AudienceCounts:
    """Recipients of every audience choice: everyone, each active topic, channels."""
    everyone = await session.scalar(
        select(func.count()).select_from(_recipients("all", None).subquery())
    )
    channels = await session.scalar(
        select(func.count()).select_from(_recipients("channels", None).subquery())
    )
    per_topic = dict(
        (
            await session.execute(
                select(Subscription.topic_id, func.count())
                .join(Chat, Chat.id == Subscription.chat_id)
                .where(Chat.status == ChatStatus.ACTIVE, Chat.alerts_enabled, Subscription.alerts)
                .group_by(Subscription.topic_id)
            )
        ).all()
    )
    topics = await session.scalars(select(Topic).where(Topic.active).order_by(Topic.position))
    return AudienceCounts(
        all=everyone or 0,
        channels=channels or 0,
        topics=[TopicAudience(t.id, t.slug, t.name, per_topic.get(t.id, 0)) for t in topics],
    )


@dataclass(frozen=True)
class DraftCard:
    """A draft with what its card shows: whom it would reach, and how many of them quietly."""

    alert: Alert
    counts: AudienceCounts
    quiet: int
    topic_name: str

    @property
    def count(self) -> int:
        """How many chats the chosen audience is."""
        return self.counts.count_for(self.alert.audience, self.alert.topic_id)


async def draft_card(*, session: AsyncSession, alert: Alert, now: datetime) -> DraftCard:
    """The card of a draft as it stands now."""
    counts = await audience_counts(session=session)
    names = {topic.id: topic.name for topic in counts.topics}
    quiet = await quiet_recipients(
        session=session, audience=alert.audience, topic_id=alert.topic_id, now=now
    )
    return DraftCard(alert, counts, quiet, names.get(alert.topic_id or 0, ""))


async def find_alert(*, session: AsyncSession, alert_id: int) -> Alert:
    """The alert with this number; AlertStateError when there is none."""
    alert = await session.get(Alert, alert_id)
    if alert is None:
        raise AlertStateError("no_alert", alert_id)
    return alert


async def audit_alert(
    session: AsyncSession,
    actor_id: int,
    action: str,
    alert_id: int,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what to an alert in the desk's audit log."""
    target = alert_ref(alert_id)
    await audit(
        session=session, actor_id=actor_id, action=action, now=now, target=target, detail=detail
    )


async def create_draft(
    *,
    session: AsyncSession,
    author_id: int,
    body: str,
    link: str | None,
    now: datetime,
    photo: str | None = None,
) -> DraftCard:
    """A new draft alert (with the photo's file id, if any, and the related coverage of the
    archived article it links to) for everyone with alerts on, audited; returns its card."""
    alert = Alert(
        author_id=author_id,
        text=body,
        link=link,
        photo_file_id=photo,
        related=await related_links(session=session, link=link),
        audience="all",
        created_at=now,
    )
    session.add(alert)
    await session.flush()
    await audit_alert(session, author_id, "alert_draft", alert.id, now)
    return await draft_card(session=session, alert=alert, now=now)


async def choose_audience(
    *,
    session: AsyncSession,
    actor_id: int,
    alert_id: int,
    audience: str,
    topic_id: int | None,
    now: datetime,
) -> DraftCard:
    """Set a draft's audience (a topic's subscribers need the topic), audited; its new card."""
    alert = await find_alert(session=session, alert_id=alert_id)
    if alert.status is not AlertStatus.DRAFT:
        raise AlertStateError("alert_not_draft", alert_id)
    if audience not in AUDIENCES or (
        audience == "topic" and (topic_id is None or await session.get(Topic, topic_id) is None)
    ):
        raise AlertStateError("alert_bad_audience", alert_id)
    alert.audience = audience
    alert.topic_id = topic_id if audience == "topic" else None
    await session.flush()
    detail = {"audience": audience, "topic_id": alert.topic_id}
    await audit_alert(session, actor_id, "alert_audience", alert_id, now, detail)
    return await draft_card(session=session, alert=alert, now=now)


async def discard_draft(
    *, session: AsyncSession, actor_id: int, alert_id: int, now: datetime
) -> Alert:
    """Cancel a draft before anything was queued, audited."""
    alert = await find_alert(session=session, alert_id=alert_id)
    if alert.status is not AlertStatus.DRAFT:
        raise AlertStateError("alert_not_draft", alert_id)
    alert.status, alert.finished_at = AlertStatus.CANCELLED, now
    await session.flush()
    await audit_alert(session, actor_id, "alert_discard", alert_id, now)
    return alert


def alert_payload(text: str, link: str | None, chat: Chat, now: datetime) -> dict[str, Any]:
    """sendMessage parameters for one chat: silent in its quiet hours, its link preview choice."""
    quiet = (chat.quiet_start, chat.quiet_end) if chat.quiet_start and chat.quiet_end else None
    return {
        "text": text,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": False, "url": link}
        if link and chat.link_previews
        else {"is_disabled": True},
        "disable_notification": in_quiet_hours(now, chat.timezone, quiet),
    }


def alert_messages(alert: Alert, text: str, chat: Chat, now: datetime) -> list[OutgoingMessage]:
    """One chat's copy: the text; the photo with the text as its caption; or, when the text
    is too long for a caption, the photo and then the text (parts 0 and 1, in that order)."""
    payload = alert_payload(text, alert.link, chat, now)

    def message(content: dict[str, Any], method: str, part: int = 0) -> OutgoingMessage:
        return OutgoingMessage(
            chat_id=chat.id,
            kind=DeliveryKind.ALERT,
            ref=alert_ref(alert.id),
            payload=content,
            part=part,
            priority=Priority.ALERT,
            method=method,
        )

    if alert.photo_file_id is None:
        return [message(payload, "sendMessage")]
    photo = {"photo": alert.photo_file_id, "disable_notification": payload["disable_notification"]}
    if fits_caption(text):
        return [message({**photo, "caption": text, "parse_mode": "HTML"}, "sendPhoto")]
    return [message(photo, "sendPhoto"), message(payload, "sendMessage", part=1)]


async def confirm_alert(
    *, session: AsyncSession, actor_id: int, alert_id: int, renderer: Renderer, now: datetime
) -> AlertState:
    """Queue a draft to its audience at alert priority, audited; the sending as it starts."""
    # A conditional UPDATE, so two taps on Confirm (or two instances) queue it once.
    claimed = await rows_changed(
        session,
        update(Alert)
        .where(Alert.id == alert_id, Alert.status == AlertStatus.DRAFT)
        .values(status=AlertStatus.SENDING, confirmed_at=now),
    )
    if claimed != 1:
        await find_alert(session=session, alert_id=alert_id)
        raise AlertStateError("alert_not_draft", alert_id)
    alert = await session.get(Alert, alert_id)
    assert alert is not None
    await session.refresh(alert)
    texts: dict[str, str] = {}
    total, last_id = 0, 0
    query = _recipients(alert.audience, alert.topic_id).order_by(Chat.id).limit(BATCH)
    while True:
        chats: Sequence[Chat] = (await session.scalars(query.where(Chat.id > last_id))).all()
        if not chats:
            break
        messages = []
        filters = await filters_of(session=session, chat_ids=[chat.id for chat in chats])
        for chat in chats:
            if chat.id in filters and not filters[chat.id].allows_alert(alert.text, chat.language):
                continue  # the reader's /exclude filters leave it out
            if chat.language not in texts:
                texts[chat.language] = alert_text(renderer, alert, chat.language)
            messages += alert_messages(alert, texts[chat.language], chat, now)
            total += 1
        await enqueue(session=session, messages=messages, now=now)
        last_id = chats[-1].id
        session.expunge_all()
    alert = await session.get(Alert, alert_id)
    assert alert is not None
    alert.total = total
    if total == 0:
        alert.status, alert.finished_at = AlertStatus.SENT, None
    await session.flush()
    await audit_alert(session, actor_id, "alert_confirm", alert_id, now)
    return await alert_state(session=session, alert=alert, now=now)


async def set_status_message(
    *, session: AsyncSession, alert_id: int, chat_id: int, message_id: int
) -> None:
    """The desk message that shows this alert's live status from now on."""
    await session.execute(
        update(Alert)
        .where(Alert.id == alert_id)
        .values(preview_chat_id=chat_id, preview_message_id=message_id)
    )


async def recent_alerts(*, session: AsyncSession, limit: int = 10) -> list[Alert]:
    """The latest alerts, newest first."""
    return list(await session.scalars(select(Alert).order_by(Alert.id.desc()).limit(limit)))


async def quiet_recipients(
    *, session: AsyncSession, audience: str, topic_id: int | None, now: datetime
) -> int:
    """How many of an audience are in their quiet hours now (they get the alert silently)."""
    rows = await session.execute(
        _recipients(audience, topic_id)
        .with_only_columns(
            Chat.timezone, Chat.quiet_start, Chat.quiet_end, maintain_column_froms=True
        )
        .where(Chat.quiet_start.is_not(None), Chat.quiet_end.is_not(None))
    )
    quiet = [
        zone
        for zone, start, end in rows.tuples()
        if start and end and in_quiet_hours(now, zone, (start, end))
    ]
    return len(quiet)


async def topic_names(*, session: AsyncSession) -> dict[int, str]:
    """Every topic's name by id (for audience labels)."""
    return dict((await session.execute(select(Topic.id, Topic.name))).all())
