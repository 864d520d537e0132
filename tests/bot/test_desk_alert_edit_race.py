"""The alert-edit race: an edit reaches every copy, also those whose send was in flight."""

from __future__ import annotations

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from tests.bot.alert_sending import hooked_sender, many_readers
from tests.bot.test_desk_alerts import EDITOR, draft
from tests.digests.delivery.sending import drain


async def test_an_edit_while_copies_are_in_flight_reaches_them_all(application, api, deliver):
    sessionmaker = services_of(application).sessionmaker
    readers = await many_readers(sessionmaker, 5)
    await draft(api, deliver, "/alert Ferry sank off the coast, 40 missing")
    await deliver(api.callback_query("al:ok:1"))
    sends: list[int] = []

    async def edit_during_the_fourth(method, params):
        if method == "sendMessage" and params["chat_id"] in readers:
            sends.append(params["chat_id"])
            if len(sends) == 4:
                # Three copies went out, their outcomes not yet written; the fourth is on
                # the wire and the fifth waits in the sender's memory, all with the old text.
                await deliver(
                    api.user_message("/alert_edit 1 Ferry sank off the coast, 12 missing")
                )

    # The sender writes outcomes every 2 s here, so the edit lands before they are recorded.
    await drain(
        hooked_sender(api, sessionmaker, edit_during_the_fourth, flush_interval=2.0), sessionmaker
    )
    assert sorted(sends) == readers
    context = NewsContext(application)
    await refresh_alert_status(context)  # the desk's job: copies sent meanwhile get the edit
    await drain(hooked_sender(api, sessionmaker, edit_during_the_fourth), sessionmaker)
    await refresh_alert_status(context)

    for chat_id in readers:
        [copy] = api.sent_messages(chat_id=chat_id)
        text = api.message(chat_id, copy["message_id"])["text"]
        assert "12 missing" in text, (chat_id, text)
    status = api.sent_messages(chat_id=EDITOR)[-1]
    assert "Edits: 5 of 5 copies edited" in api.message(EDITOR, status["message_id"])["text"]
