"""The sender settles the rows of an alert the desk stopped: cancelled, not sent."""

from __future__ import annotations

from bot.fakeapi import FakeBotAPI, ServerError
from digests.db import session_scope
from digests.models import Alert, AlertStatus, DeliveryKind, DeliveryStatus, Priority
from tests.digests.delivery.sending import NOW, add_chats, drain, make_sender, queue, rows


def alert_ref(alert_id: int) -> str:
    return f"alert:{alert_id}"  # the outbox ref of an alert's messages


async def an_alert(sessionmaker, status: AlertStatus) -> int:
    async with session_scope(sessionmaker) as session:
        alert = Alert(author_id=1, text="x", status=status, created_at=NOW, confirmed_at=NOW)
        session.add(alert)
        await session.flush()
        return alert.id


async def queue_alert(sessionmaker, chat_ids, alert_id, kind=DeliveryKind.ALERT, **payload):
    method = "editMessageText" if kind is DeliveryKind.ALERT_EDIT else "sendMessage"
    for chat_id in chat_ids:
        await queue(
            sessionmaker,
            chat_id,
            "Breaking",
            ref=alert_ref(alert_id),
            kind=kind,
            priority=Priority.ALERT,
            method=method,
            **payload,
        )


async def test_rows_of_a_cancelled_alert_back_in_the_queue_are_not_sent(sessionmaker):
    # A copy that was on the wire at Cancel and got a 5xx comes back as pending: it stays unsent.
    api = FakeBotAPI()
    chats = await add_chats(sessionmaker, [3001, 3002, 3003])
    cancelled = await an_alert(sessionmaker, AlertStatus.CANCELLED)
    going = await an_alert(sessionmaker, AlertStatus.SENDING)
    await queue_alert(sessionmaker, chats, cancelled)
    await queue_alert(sessionmaker, chats[:1], going)
    await queue(sessionmaker, chats[1], "Your digest", ref="e1")

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert [m["plain_text"] for m in api.sent_messages()] == ["Breaking", "Your digest"]
    by_ref = {}
    for row in await rows(sessionmaker):
        by_ref.setdefault(row.ref, []).append((row.status, row.error))
    assert by_ref[alert_ref(cancelled)] == [(DeliveryStatus.CANCELLED, "cancelled by the desk")] * 3
    assert by_ref[alert_ref(going)] == [(DeliveryStatus.SENT, None)]


async def test_a_retracted_alert_sends_neither_copies_nor_edits_but_its_deletions(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [3101])
    retracted = await an_alert(sessionmaker, AlertStatus.RETRACTED)
    sent = api.handle("sendMessage", {"chat_id": 3101, "text": "old"})["result"]["message_id"]
    await queue_alert(sessionmaker, [reader], retracted)
    await queue_alert(sessionmaker, [reader], retracted, DeliveryKind.ALERT_EDIT, message_id=sent)
    await queue(
        sessionmaker,
        reader,
        None,
        ref=alert_ref(retracted),
        kind=DeliveryKind.ALERT_DELETE,
        priority=Priority.ALERT,
        method="deleteMessage",
        message_id=sent,
    )
    api.fail_next(1, ServerError(), method="deleteMessage")  # the deletion is retried, and goes

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert [row.status for row in await rows(sessionmaker)] == [
        DeliveryStatus.CANCELLED,
        DeliveryStatus.CANCELLED,
        DeliveryStatus.SENT,
    ]
    assert api.was_deleted(3101, sent)
    assert not api.calls_to("editMessageText")
