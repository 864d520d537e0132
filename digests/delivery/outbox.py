"""The outbox: every message to a chat is a row here before the sender sends it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import upsert_into
from digests.models import Delivery, DeliveryKind, DeliveryStatus, Priority

# Rows per INSERT statement: well under SQLite's 32,766 bound parameters at ~10 columns a row.
CHUNK = 1000


@dataclass(frozen=True)
class OutgoingMessage:
    """A message to queue; `chat_id` is newsbot's chat row id, not Telegram's chat id.

    The payload holds Bot API parameters except chat_id, which the sender fills in at send
    time, so a group that migrates to a supergroup still gets its queued messages. A forum
    thread (`thread_id`, 0 for none) is part of the row's key and goes in the payload as
    message_thread_id.
    """

    chat_id: int
    kind: DeliveryKind
    ref: str
    payload: dict[str, Any]
    part: int = 0
    priority: int = Priority.DIGEST
    method: str = "sendMessage"
    not_before: datetime | None = None
    thread_id: int = 0


def _payload(message: OutgoingMessage) -> dict[str, Any]:
    if not message.thread_id:
        return message.payload
    return {**message.payload, "message_thread_id": message.thread_id}


async def enqueue(
    *, session: AsyncSession, messages: Sequence[OutgoingMessage], now: datetime
) -> None:
    """Queue messages; one already queued (same kind, ref, chat, thread and part) is left as
    it is."""
    statement = upsert_into(session, Delivery).on_conflict_do_nothing(
        index_elements=["kind", "ref", "chat_id", "thread_id", "part"]
    )
    for start in range(0, len(messages), CHUNK):
        rows = [
            {
                "chat_id": message.chat_id,
                "kind": message.kind,
                "ref": message.ref,
                "part": message.part,
                "thread_id": message.thread_id,
                "method": message.method,
                "payload": _payload(message),
                "priority": int(message.priority),
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": message.not_before or now,
                "created_at": now,
            }
            for message in messages[start : start + CHUNK]
        ]
        await session.execute(statement, rows)
