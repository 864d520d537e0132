"""The sender against the recording fake Bot API: each failure class, as a reader would see it."""

from __future__ import annotations

import logging

from bot.fakeapi import (
    ChatNotFound,
    Deactivated,
    Disconnect,
    FakeBotAPI,
    FloodWait,
    Kicked,
    ServerError,
    Timeout,
)
from digests.delivery.failures import FailureCode
from digests.models import ChatStatus, ChatType, DeliveryKind, DeliveryStatus, Priority
from tests.digests.delivery.sending import (
    SimulatedClock,
    add_chats,
    chat,
    drain,
    make_sender,
    queue,
    rows,
)


async def test_sends_alerts_before_replies_before_digests_and_records_message_ids(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [501])
    await queue(sessionmaker, reader, "digest", ref="d1")
    await queue(
        sessionmaker, reader, "reply", ref="r1", kind=DeliveryKind.REPLY, priority=Priority.REPLY
    )
    await queue(
        sessionmaker,
        reader,
        "<b>alert</b>",
        ref="a1",
        kind=DeliveryKind.ALERT,
        priority=Priority.ALERT,
    )

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert [m["plain_text"] for m in api.sent_messages(501)] == ["alert", "reply", "digest"]
    stored = {row.ref: row for row in await rows(sessionmaker)}
    for message in api.sent_messages(501):
        row = stored[{"alert": "a1", "reply": "r1", "digest": "d1"}[message["plain_text"]]]
        assert row.status is DeliveryStatus.SENT
        assert row.message_id == message["message_id"] and row.sent_at is not None


async def test_a_429_makes_the_whole_bot_wait_retry_after_then_sends(sessionmaker):
    clock = SimulatedClock()  # a real 30 s wait would outlast drain()'s 10 s
    api = FakeBotAPI(clock=clock)
    first, second = await add_chats(sessionmaker, [601, 602])
    await queue(sessionmaker, first, "one")
    await queue(sessionmaker, second, "two")
    api.fail_next(1, FloodWait(retry_after=30), chat_id=601)

    await drain(make_sender(api, sessionmaker, concurrency=1, clock=clock), sessionmaker)

    calls = api.calls_to("sendMessage")
    assert [c.params["chat_id"] for c in calls] == [601, 601, 602]
    # Neither chat was tried during the wait, and the wait was retry_after, not more.
    assert 30.0 <= calls[1].at - calls[0].at < 30.1
    assert calls[2].at - calls[0].at >= 30.0
    assert {row.status for row in await rows(sessionmaker)} == {DeliveryStatus.SENT}


async def test_server_errors_timeouts_and_drops_are_retried_with_backoff(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [701])
    await queue(sessionmaker, reader, "eventually")
    api.fail_next(1, ServerError(502), chat_id=701)
    api.fail_next(1, Timeout(), chat_id=701)
    api.fail_next(1, Disconnect(), chat_id=701)

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert len(api.calls_to("sendMessage")) == 4
    [row] = await rows(sessionmaker)
    assert row.status is DeliveryStatus.SENT and row.attempts == 3
    assert [m["text"] for m in api.sent_messages(701)] == ["eventually"]


async def test_attempts_are_bounded_and_the_reason_is_recorded(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [702])
    await queue(sessionmaker, reader, "never")
    api.fail_rate(ServerError(503), 1.0, chat_id=702)

    await drain(make_sender(api, sessionmaker, max_attempts=3), sessionmaker)

    [row] = await rows(sessionmaker)
    assert row.status is DeliveryStatus.FAILED and row.attempts == 3
    assert row.error == "gave up after 3 attempts: Service Unavailable"
    assert row.error_code == FailureCode.GAVE_UP
    assert len(api.calls_to("sendMessage")) == 3


async def test_a_blocked_chat_is_marked_and_its_pending_rows_cancelled(sessionmaker):
    api = FakeBotAPI()
    blocked, other = await add_chats(sessionmaker, [801, 802])
    for part in range(3):
        await queue(sessionmaker, blocked, f"part {part}", part=part)
    await queue(sessionmaker, other, "fine")
    api.block(801)

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert (await chat(sessionmaker, blocked)).status is ChatStatus.BLOCKED
    assert len(api.calls_to("sendMessage")) == 2  # one try for the blocked chat, one for other
    by_part = {(r.chat_id, r.part): r for r in await rows(sessionmaker)}
    assert by_part[(blocked, 0)].status is DeliveryStatus.FAILED
    assert by_part[(blocked, 0)].error == "Forbidden: bot was blocked by the user"
    assert by_part[(blocked, 0)].error_code == FailureCode.BLOCKED
    for part in (1, 2):
        assert by_part[(blocked, part)].status is DeliveryStatus.CANCELLED
        assert by_part[(blocked, part)].error.startswith("chat blocked")
        assert by_part[(blocked, part)].error_code == FailureCode.BLOCKED
    assert by_part[(other, 0)].status is DeliveryStatus.SENT


async def test_kicked_deactivated_and_missing_chats_close(sessionmaker):
    api = FakeBotAPI()
    kicked, deactivated, missing = await add_chats(sessionmaker, [-901, 902, 903])
    for chat_id in (kicked, deactivated, missing):
        await queue(sessionmaker, chat_id, "hello")
    api.block(-901, Kicked("group"))
    api.block(902, Deactivated())
    api.fail_rate(ChatNotFound(), 1.0, chat_id=903)

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert (await chat(sessionmaker, kicked)).status is ChatStatus.LEFT
    assert (await chat(sessionmaker, deactivated)).status is ChatStatus.GONE
    assert (await chat(sessionmaker, missing)).status is ChatStatus.GONE
    assert {r.status for r in await rows(sessionmaker)} == {DeliveryStatus.FAILED}
    assert [r.error_code for r in await rows(sessionmaker)] == [
        FailureCode.KICKED,
        FailureCode.DEACTIVATED,
        FailureCode.CHAT_NOT_FOUND,
    ]


async def test_queued_rows_of_a_closed_chat_are_cancelled_not_sent(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [904])
    await queue(sessionmaker, reader, "too late")
    await drain(make_sender(api, sessionmaker), sessionmaker)
    api.block(904)
    await queue(sessionmaker, reader, "blocked now", ref="e2")
    await drain(make_sender(api, sessionmaker), sessionmaker)
    await queue(sessionmaker, reader, "after", ref="e3")

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert len(api.calls_to("sendMessage")) == 2
    assert (await rows(sessionmaker))[-1].status is DeliveryStatus.CANCELLED
    assert (await rows(sessionmaker))[-1].error == "chat is blocked"
    assert (await rows(sessionmaker))[-1].error_code == FailureCode.BLOCKED


async def test_a_migrated_group_gets_its_new_id_and_the_message(sessionmaker):
    api = FakeBotAPI()
    [group] = await add_chats(sessionmaker, [-1001], ChatType.GROUP)
    await queue(sessionmaker, group, "to the group")
    api.migrate(-1001, -1_001_000_000_555)

    await drain(make_sender(api, sessionmaker), sessionmaker)

    moved = await chat(sessionmaker, group)
    assert moved.telegram_id == -1_001_000_000_555 and moved.type is ChatType.SUPERGROUP
    assert moved.status is ChatStatus.ACTIVE
    assert [m["text"] for m in api.sent_messages(-1_001_000_000_555)] == ["to the group"]


async def test_html_that_does_not_parse_goes_as_plain_text_and_is_logged(sessionmaker, caplog):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [1101])
    await queue(sessionmaker, reader, "<b>Breaking</b> <i>unclosed &amp; more")

    with caplog.at_level(logging.ERROR, logger="digests.delivery.sender"):
        await drain(make_sender(api, sessionmaker), sessionmaker)

    [message] = api.sent_messages(1101)
    assert message["text"] == "Breaking unclosed & more" and "parse_mode" not in message
    [row] = await rows(sessionmaker)
    assert row.status is DeliveryStatus.SENT
    assert row.error.startswith("sent as plain text after: Can't parse entities")
    assert row.error_code == FailureCode.PLAIN_TEXT
    assert "template bug" in caplog.text


async def test_editing_or_deleting_a_vanished_message_fails_without_retrying(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [1201])
    await queue(
        sessionmaker,
        reader,
        "corrected",
        ref="a1",
        kind=DeliveryKind.ALERT_EDIT,
        method="editMessageText",
        message_id=999,
    )
    await queue(
        sessionmaker,
        reader,
        None,
        ref="a2",
        kind=DeliveryKind.ALERT_DELETE,
        method="deleteMessage",
        message_id=998,
    )

    await drain(make_sender(api, sessionmaker), sessionmaker)

    edit, delete = await rows(sessionmaker)
    assert (edit.status, edit.error) == (DeliveryStatus.FAILED, "Message to edit not found")
    assert (delete.status, delete.error) == (DeliveryStatus.FAILED, "Message to delete not found")
    assert (edit.error_code, delete.error_code) == (FailureCode.MESSAGE_GONE,) * 2
    assert len(api.calls) == 3  # getMe, one edit, one delete: no retries


async def test_edits_and_deletes_of_sent_alerts_succeed(sessionmaker):
    api = FakeBotAPI()
    [reader] = await add_chats(sessionmaker, [1202])
    await queue(sessionmaker, reader, "first", ref="a1", kind=DeliveryKind.ALERT)
    await drain(make_sender(api, sessionmaker), sessionmaker)
    [sent] = await rows(sessionmaker)
    await queue(
        sessionmaker,
        reader,
        "fixed",
        ref="a1",
        kind=DeliveryKind.ALERT_EDIT,
        method="editMessageText",
        message_id=sent.message_id,
    )

    await drain(make_sender(api, sessionmaker), sessionmaker)

    assert api.message(1202, sent.message_id)["text"] == "fixed"
    assert (await rows(sessionmaker))[-1].status is DeliveryStatus.SENT
