"""Stepping the outbox in desk tests.

`send_pending(..., limit=None)` drains the outbox with the real sender (digests.delivery.sender) on
the recording fake. With a `limit` it sends only that many rows, one by one, the way the sender
records them (sent with the message id, or failed with Telegram's error): desk tests use it to look
at an alert half-way through, which the paced sender does not stop at on request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.fakeapi import FakeBotAPI
from digests.db import session_scope
from digests.delivery.failures import failure_code
from digests.models import Chat, Delivery, DeliveryStatus, utcnow
from tests.digests.delivery.sending import drain, make_sender, unfinished


def as_ptb_error(body: dict) -> TelegramError:
    """The exception PTB raises for an error answer (the statuses desk tests meet)."""
    if body["error_code"] == 429:
        return RetryAfter(body["parameters"]["retry_after"])
    return {400: BadRequest, 403: Forbidden}.get(body["error_code"], TelegramError)(
        body["description"]
    )


async def send_pending(
    sessionmaker, api: FakeBotAPI, *, limit: int | None = None, now: datetime | None = None
) -> int:
    """Send up to `limit` pending rows (alert priority first); returns how many were tried."""
    if limit is None:
        tried = await unfinished(sessionmaker)
        await drain(make_sender(api, sessionmaker), sessionmaker)
        return tried
    async with session_scope(sessionmaker) as session:
        query = (
            select(Delivery, Chat.telegram_id)
            .join(Chat, Chat.id == Delivery.chat_id)
            .where(Delivery.status == DeliveryStatus.PENDING)
            .order_by(Delivery.priority, Delivery.id)
            .limit(limit)
        )
        rows = (await session.execute(query)).all()
        for row, telegram_id in rows:
            body = api.handle(row.method, {"chat_id": telegram_id, **row.payload})
            row.attempts += 1
            if body["ok"]:
                row.status = DeliveryStatus.SENT
                row.sent_at = now or utcnow()
                result = body["result"]
                if isinstance(result, dict):
                    row.message_id = result["message_id"]
            else:
                row.status = DeliveryStatus.FAILED
                row.error = body["description"]
                row.error_code = failure_code(as_ptb_error(body))
    return len(rows)
