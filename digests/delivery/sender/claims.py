"""The sender's database side: claim due rows, record outcomes in batches, recover claims.

Query functions take `*, session` and never commit; the sender owns the transactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import is_postgres, rows_changed
from digests.delivery.failures import FailureCode
from digests.delivery.sender.limits import GROUP_WINDOW, JITTER, Limits
from digests.leases import INSTANCE_PREFIX
from digests.models import (
    Chat,
    ChatStatus,
    ChatType,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Lease,
)

deliveries = cast(Table, Delivery.__table__)
chats = cast(Table, Chat.__table__)
leases = cast(Table, Lease.__table__)
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)
# pg_advisory_xact_lock key the claims queue on ("news" in ASCII).
CLAIM_LOCK = 0x6E657773


@dataclass
class Claimed:
    """A row the sender holds in `sending`, with what it needs to send it."""

    id: int
    chat_id: int
    kind: DeliveryKind
    ref: str
    part: int
    method: str
    payload: dict[str, Any]
    priority: int
    attempts: int
    telegram_id: int = 0
    chat_type: ChatType = ChatType.PRIVATE
    chat_status: ChatStatus = ChatStatus.ACTIVE
    # Why the row went differently than queued, kept even when it ends sent.
    note: str | None = None
    note_code: FailureCode | None = None


@dataclass
class OutboxWrites:
    """Outcomes waiting to be written, grouped by statement so each is one executemany."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    retried: list[dict[str, Any]] = field(default_factory=list)
    released: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[dict[str, Any]] = field(default_factory=list)
    closed_chats: list[dict[str, Any]] = field(default_factory=list)
    migrated_chats: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(rows) for rows in vars(self).values())


@dataclass(frozen=True)
class ChatHolds:
    """How long a chat stays with the instance that last sent to it (PostgreSQL only)."""

    private: float = 1.0
    group: float = 60.0

    @classmethod
    def of(cls, limits: Limits) -> ChatHolds:
        """Long enough that no send the next instance did not see counts against a limit."""
        return cls(limits.chat_interval + JITTER, GROUP_WINDOW + JITTER)


async def claim_due_deliveries(
    *,
    session: AsyncSession,
    instance: str,
    limit: int,
    now: datetime,
    holds: ChatHolds = ChatHolds(),
) -> list[Claimed]:
    """Mark up to `limit` due rows `sending` for `instance`: by priority, then age."""
    # A part waits until every earlier part of its message is done: part 1 never overtakes a
    # part 0 that is being retried (one probe of the unique index per row).
    earlier = deliveries.alias("earlier")
    unfinished_earlier = exists(
        select(literal(1)).where(
            earlier.c.kind == deliveries.c.kind,
            earlier.c.ref == deliveries.c.ref,
            earlier.c.chat_id == deliveries.c.chat_id,
            earlier.c.part < deliveries.c.part,
            earlier.c.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
    )
    due = (
        select(deliveries.c.id)
        .where(
            deliveries.c.status == DeliveryStatus.PENDING,
            deliveries.c.next_attempt_at <= now,
            ~unfinished_earlier,
        )
        .order_by(deliveries.c.priority, deliveries.c.next_attempt_at, deliveries.c.id)
        .limit(limit)
    )
    if is_postgres(session):
        due = _held_elsewhere_excluded(due, instance=instance, now=now, holds=holds)
        # Claims are taken one at a time across instances: each claim's snapshot sees every
        # claim committed before it, so no two instances ever take rows of one chat at once.
        await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
    claim = (
        update(deliveries)
        .where(deliveries.c.id.in_(due.scalar_subquery()))
        .values(status=DeliveryStatus.SENDING, claimed_by=instance, claimed_at=now)
        .returning(
            deliveries.c.id,
            deliveries.c.chat_id,
            deliveries.c.kind,
            deliveries.c.ref,
            deliveries.c.part,
            deliveries.c.method,
            deliveries.c.payload,
            deliveries.c.priority,
            deliveries.c.attempts,
        )
    )
    rows = [Claimed(**row._mapping) for row in await session.execute(claim)]
    if not rows:
        return rows
    chat_rows = await session.execute(
        select(chats.c.id, chats.c.telegram_id, chats.c.type, chats.c.status).where(
            chats.c.id.in_({row.chat_id for row in rows})
        )
    )
    by_id = {chat.id: chat for chat in chat_rows}
    for row in rows:
        chat = by_id[row.chat_id]
        row.telegram_id, row.chat_type, row.chat_status = chat.telegram_id, chat.type, chat.status
    rows.sort(key=lambda row: (row.priority, row.id))
    return rows


def _held_elsewhere_excluded(
    due: Select[Any], *, instance: str, now: datetime, holds: ChatHolds
) -> Select[Any]:
    """Skip chats another instance is sending to, or sent to within its limit's window.

    The instance that sent last keeps the chat until then and paces it from its own memory;
    another takes it over only once nothing it did not see can count against the limits.
    """
    other = deliveries.alias("other")
    hold = case(
        (chats.c.type.in_(GROUP_TYPES), literal(now - timedelta(seconds=holds.group))),
        else_=literal(now - timedelta(seconds=holds.private)),
    )
    held = exists(
        select(literal(1)).where(
            other.c.chat_id == deliveries.c.chat_id,
            other.c.claimed_by != instance,
            or_(
                other.c.status == DeliveryStatus.SENDING,
                and_(other.c.status == DeliveryStatus.SENT, other.c.sent_at > hold),
            ),
        )
    )
    return (
        due.join(chats, chats.c.id == deliveries.c.chat_id)
        .where(~held)
        .with_for_update(skip_locked=True, of=deliveries)
    )


def _by_id(**values: Any) -> Any:
    return update(deliveries).where(deliveries.c.id == bindparam("b_id")).values(**values)


_SENT = _by_id(
    status=DeliveryStatus.SENT,
    message_id=bindparam("b_message_id"),
    sent_at=bindparam("b_at"),
    error=bindparam("b_error"),
    error_code=bindparam("b_code"),
)
_RETRIED = _by_id(
    status=DeliveryStatus.PENDING,
    attempts=bindparam("b_attempts"),
    next_attempt_at=bindparam("b_next"),
    error=bindparam("b_error"),
    error_code=bindparam("b_code"),
    claimed_by=None,
    claimed_at=None,
)
_FAILED = _by_id(
    status=DeliveryStatus.FAILED,
    attempts=bindparam("b_attempts"),
    error=bindparam("b_error"),
    error_code=bindparam("b_code"),
)
_CANCELLED = _by_id(
    status=DeliveryStatus.CANCELLED, error=bindparam("b_error"), error_code=bindparam("b_code")
)
_RELEASED = (
    update(deliveries)
    .where(
        deliveries.c.id == bindparam("b_id"),
        deliveries.c.status == DeliveryStatus.SENDING,
        deliveries.c.claimed_by == bindparam("b_by"),
    )
    .values(
        status=DeliveryStatus.PENDING,
        next_attempt_at=bindparam("b_next"),
        claimed_by=None,
        claimed_at=None,
    )
)
_CLOSE_CHAT = (
    update(chats)
    .where(chats.c.id == bindparam("b_chat"))
    .values(status=bindparam("b_status"), updated_at=bindparam("b_at"))
)
_CANCEL_CHAT_ROWS = (
    update(deliveries)
    .where(
        deliveries.c.chat_id == bindparam("b_chat"),
        deliveries.c.status == DeliveryStatus.PENDING,
    )
    .values(
        status=DeliveryStatus.CANCELLED, error=bindparam("b_error"), error_code=bindparam("b_code")
    )
)


async def record_outcomes(*, session: AsyncSession, writes: OutboxWrites) -> None:
    """Write a batch of outcomes: one executemany per kind of change."""
    for statement, rows in (
        (_SENT, writes.sent),
        (_RETRIED, writes.retried),
        (_RELEASED, writes.released),
        (_FAILED, writes.failed),
        (_CANCELLED, writes.cancelled),
        (_CLOSE_CHAT, writes.closed_chats),
        (_CANCEL_CHAT_ROWS, writes.closed_chats),
    ):
        if rows:
            await session.execute(statement, rows)
    for move in writes.migrated_chats:
        await _follow_migration(session=session, **move)


async def _follow_migration(
    *, session: AsyncSession, b_chat: int, b_new: int, b_at: datetime
) -> None:
    """Point the chat at its supergroup; when newsbot already knows that id, mark it migrated."""
    taken = exists(select(literal(1)).select_from(chats).where(chats.c.telegram_id == b_new))
    moved = await rows_changed(
        session,
        update(chats)
        .where(chats.c.id == b_chat, ~taken)
        .values(telegram_id=b_new, type=ChatType.SUPERGROUP, updated_at=b_at),
    )
    if moved == 0:
        await session.execute(
            update(chats)
            .where(chats.c.id == b_chat, chats.c.telegram_id != b_new)
            .values(status=ChatStatus.MIGRATED, updated_at=b_at)
        )


async def recover_in_flight(*, session: AsyncSession, instance: str | None, now: datetime) -> int:
    """Put rows left in `sending` by a gone instance back to pending (and `instance`'s own).

    An instance is gone when its lease (`digests.leases`) has expired: a live peer's rows are
    never touched. `instance` is given at start-up only, when this process holds none yet.
    A row in `sending` may or may not have reached Telegram; sending it again risks a
    duplicate, dropping it risks a loss. newsbot prefers the duplicate (at-least-once),
    bounded by what was in flight when the process died.
    """
    live = exists(
        select(literal(1)).where(
            leases.c.name == literal(INSTANCE_PREFIX) + deliveries.c.claimed_by,
            leases.c.expires_at > now,
        )
    )
    gone = or_(deliveries.c.claimed_by.is_(None), ~live)
    if instance is not None:
        gone = or_(gone, deliveries.c.claimed_by == instance)
    return await rows_changed(
        session,
        update(deliveries)
        .where(deliveries.c.status == DeliveryStatus.SENDING, gone)
        .values(status=DeliveryStatus.PENDING, claimed_by=None, claimed_at=None),
    )
