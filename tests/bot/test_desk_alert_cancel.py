"""Cancel means cancel: rows the sender already claimed are dropped, and the card says so."""

from __future__ import annotations

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from tests.bot.alert_sending import hooked_sender, many_readers
from tests.bot.test_desk_alerts import EDITOR, draft, rows, the_alert
from tests.digests.delivery.sending import drain


async def test_cancel_drops_what_the_sender_already_claimed(application, api, deliver):
    sessionmaker = services_of(application).sessionmaker
    readers = await many_readers(sessionmaker, 40)
    _, card = await draft(api, deliver, "/alert Dam breached upstream")
    await deliver(api.callback_query("al:ok:1"))
    copies: list[int] = []
    at_cancel: list[int] = []
    sends: list[int] = []  # every copy the sender sent
    shown: list[dict] = []

    async def press_cancel_on_the_fifth(method, params):
        if method == "sendMessage":
            sends.append(params["chat_id"])
        if method == "sendMessage" and params["chat_id"] in readers:
            copies.append(params["chat_id"])
            if len(copies) == 5:  # the sender holds all 40 claimed; the fifth is on the wire
                await deliver(api.callback_query("al:stop:1", message_id=card["message_id"]))
                at_cancel.append(len(copies))
                shown.append(api.message(EDITOR, card["message_id"]))

    await drain(hooked_sender(api, sessionmaker, press_cancel_on_the_fifth), sessionmaker)

    received = [c for c in readers if api.sent_messages(chat_id=c)]
    assert sorted(received) == sorted(copies)
    # At most a quarter of a second of sending (10 a second here) follows the Cancel.
    assert at_cancel == [5] and len(received) <= 5 + 3, len(received)
    statuses = [row.status for row in await rows(application, kind="alert")]
    total, sent = len(statuses), statuses.count("sent")
    assert total == 40 and sent == len(sends) == len(received)
    assert statuses.count("cancelled") == total - sent
    # Right after the press: the rows the sender holds are being stopped, and no Cancel button.
    [card_at_cancel] = shown
    assert "Cancelled: what was still queued will not be sent." in card_at_cancel["text"]
    assert "already with the sender" in card_at_cancel["text"]
    assert not card_at_cancel.get("reply_markup")
    await refresh_alert_status(NewsContext(application))
    final = api.message(EDITOR, card["message_id"])["text"]
    assert "Cancelled: what was still queued will not be sent." in final
    assert f"Sent {sent} / {total}" in final
    assert f"Not sent (cancelled): {total - sent}" in final
    assert "100%" not in final
    alert = await the_alert(application)
    assert alert.status == "cancelled" and alert.finished_at is not None
