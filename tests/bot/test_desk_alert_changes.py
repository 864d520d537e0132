"""Correcting and retracting alerts already sent, and the list of recent alerts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from digests.db import session_scope
from digests.models import AuditEntry, Delivery, utcnow
from tests.bot.outbox_steps import send_pending
from tests.bot.test_desk_alerts import EDITOR, draft, readers, rows


async def sent_alert(application, api, deliver):
    """Alert #1 confirmed for everyone and sent to all three readers."""
    await readers(application)
    await draft(api, deliver, "/alert Bridge closed after crash")
    await deliver(api.callback_query("al:ok:1"))
    await send_pending(services_of(application).sessionmaker, api)
    await refresh_alert_status(NewsContext(application))
    return {row.chat_id: row for row in await rows(application, kind="alert")}


def copies(api):
    return [
        (chat_id, api.sent_messages(chat_id=chat_id)[-1]["message_id"])
        for chat_id in (501, 502, 504)
    ]


async def test_edit_changes_every_copy_through_the_outbox(application, api, deliver):
    await sent_alert(application, api, deliver)

    await deliver(api.user_message("/alert_edit 1 Bridge reopened after crash"))

    edits = await rows(application, kind="alert_edit")
    assert len(edits) == 3
    assert {(row.method, row.priority) for row in edits} == {("editMessageText", 0)}
    status = api.sent_messages(chat_id=EDITOR)[-1]
    assert "Edits: 0 of 3 copies edited · 3 to go" in status["plain_text"]

    await send_pending(services_of(application).sessionmaker, api)
    for chat_id, message_id in copies(api):
        assert "Bridge reopened after crash" in api.message(chat_id, message_id)["text"]
    await refresh_alert_status(NewsContext(application))
    assert "Edits: 3 of 3 copies edited" in api.message(EDITOR, status["message_id"])["text"]

    await deliver(api.user_message("/alert_edit 1 Bridge reopened, traffic slow"))
    assert len(await rows(application, kind="alert_edit")) == 6  # a second edit, new rows
    await send_pending(services_of(application).sessionmaker, api)
    for chat_id, message_id in copies(api):
        assert "traffic slow" in api.message(chat_id, message_id)["text"]


async def test_an_edit_while_sending_changes_the_queued_copies_too(application, api, deliver):
    await readers(application)
    await draft(api, deliver, "/alert First version")
    await deliver(api.callback_query("al:ok:1"))
    sessionmaker = services_of(application).sessionmaker
    await send_pending(sessionmaker, api, limit=1)

    await deliver(api.user_message("/alert_edit 1 Second version"))
    await send_pending(sessionmaker, api)

    texts = [api.sent_messages(chat_id=c)[-1]["message_id"] for c in (501, 502)]
    assert "Second version" in api.message(501, texts[0])["text"]
    assert "Second version" in api.message(502, texts[1])["text"]
    assert "First version" not in api.message(504, copies(api)[2][1])["text"]


async def test_retract_deletes_what_it_can_and_reports_the_rest(application, api, deliver):
    sent = await sent_alert(application, api, deliver)
    [first, second, channel] = copies(api)
    api.handle("deleteMessage", {"chat_id": second[0], "message_id": second[1]})  # gone already
    async with session_scope(services_of(application).sessionmaker) as session:
        too_old = sent[max(sent)]  # the channel's copy: three days old
        await session.execute(
            update(Delivery)
            .where(Delivery.id == too_old.id)
            .values(sent_at=utcnow() - timedelta(days=3))
        )

    await deliver(api.user_message("/alert_retract 1"))

    deletes = await rows(application, kind="alert_delete")
    assert len(deletes) == 2 and {row.method for row in deletes} == {"deleteMessage"}
    await send_pending(services_of(application).sessionmaker, api)
    await refresh_alert_status(NewsContext(application))
    assert api.was_deleted(*first)
    assert api.message(*channel) is not None
    report = api.sent_messages(chat_id=EDITOR)[-1]
    text = api.message(EDITOR, report["message_id"])["text"]
    assert "Retraction: 1 of 2 copies deleted" in text
    assert "could not delete, message already gone: 1" in text
    assert "1 copy is older than 48 hours: Telegram does not let a bot delete it" in text

    await deliver(api.user_message("/alert_retract 1"))
    assert "was retracted already" in api.sent_messages(chat_id=EDITOR)[-1]["text"]
    await deliver(api.user_message("/alert_edit 1 Too late"))
    assert "was retracted already" in api.sent_messages(chat_id=EDITOR)[-1]["text"]


async def test_edits_and_retractions_are_audited_with_before_and_after(application, api, deliver):
    await sent_alert(application, api, deliver)
    await deliver(api.user_message("/alert_edit 1 Corrected text"))
    await deliver(api.user_message("/alert_retract 1"))
    async with session_scope(services_of(application).sessionmaker) as session:
        entries = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action.in_(["alert_edit", "alert_retract"]))
            )
        )
    assert [(e.action, e.target, e.actor_id) for e in entries] == [
        ("alert_edit", "alert:1", EDITOR),
        ("alert_retract", "alert:1", EDITOR),
    ]
    assert entries[0].detail["before"] == "Bridge closed after crash"
    assert entries[0].detail["after"] == "Corrected text"
    assert entries[1].detail["copies"] == 3


async def test_bad_edit_and_retract_input_is_answered(application, api, deliver):
    await deliver(api.user_message("/alert_edit"))
    assert "Usage: /alert_edit" in api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    await deliver(api.user_message("/alert_retract seven"))
    assert "Usage: /alert_retract" in api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    await deliver(api.user_message("/alert_retract 99"))
    assert "There is no alert #99." in api.sent_messages(chat_id=EDITOR)[-1]["text"]
    await draft(api, deliver)
    await deliver(api.user_message("/alert_edit 1 New words"))
    assert "Alert #1 was never sent." in api.sent_messages(chat_id=EDITOR)[-1]["text"]


async def test_alerts_lists_recent_alerts_with_numbers(application, api, deliver):
    await sent_alert(application, api, deliver)
    await draft(api, deliver, "/alert Second & <different>")
    await deliver(api.user_message("/alerts"))
    lines = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"].splitlines()
    assert lines[0] == "Recent alerts"
    assert lines[1].startswith("#2 · ") and "draft · everyone with alerts on · 0 chats" in lines[1]
    assert lines[2] == "Second & <different>"
    assert lines[3].startswith("#1 · ") and "sent · everyone with alerts on · 3 chats" in lines[3]
