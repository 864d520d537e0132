"""Breaking alerts with a picture: preview, send by file id, edit the caption, retract all."""

from __future__ import annotations

from bot.context import NewsContext, services_of
from bot.desk_status import refresh_alert_status
from tests.bot.outbox_steps import send_pending
from tests.bot.test_desk_alerts import EDITOR, readers, rows, the_alert

READERS = (501, 502, 504)  # everyone with alerts on (see readers())


def photo_id(message) -> str:
    return message["photo"][-1]["file_id"]


async def photo_from_editor(api, deliver, caption=None) -> dict:
    """The editor sends a photo (with a caption, if given); the stored message."""
    update = api.user_photo(caption, user_id=EDITOR)
    await deliver(update)
    return update["message"]


async def confirm_and_send(application, api, deliver) -> None:
    await deliver(api.callback_query("al:ok:1"))
    await send_pending(services_of(application).sessionmaker, api)
    await refresh_alert_status(NewsContext(application))


def reader_copies(api) -> list[dict]:
    return [api.sent_messages(chat_id=chat_id) for chat_id in READERS]


async def test_alert_in_reply_to_a_photo_sends_the_photo_with_the_alert_as_caption(
    application, api, deliver
):
    await readers(application)
    photo = await photo_from_editor(api, deliver)
    await deliver(
        api.user_message("/alert Tornado hits Moore", reply_to_message_id=photo["message_id"])
    )

    preview, card = api.sent_messages(chat_id=EDITOR)[-2:]
    assert preview["method"] == "sendPhoto" and preview["photo"] == photo_id(photo)
    assert preview["plain_text"].splitlines() == ["🔴 Breaking", "", "Tornado hits Moore"]
    assert card["plain_text"].startswith("Alert #1 — draft")
    assert card["message_id"] > preview["message_id"]

    await confirm_and_send(application, api, deliver)
    for [copy] in reader_copies(api):
        assert copy["method"] == "sendPhoto"
        assert copy["photo"] == photo_id(photo)  # the same file, by id: never uploaded again
        assert copy["plain_text"].splitlines()[2] == "Tornado hits Moore"
    assert not api.calls_to("getFile")
    status = api.message(EDITOR, card["message_id"])["text"]
    assert "Sent." in status and "Sent 3 / 3" in status
    assert (await the_alert(application)).photo_file_id == photo_id(photo)


async def test_a_photo_with_alert_as_its_caption_is_an_alert(application, api, deliver):
    await readers(application)
    photo = await photo_from_editor(api, deliver, "/alert Bridge collapses https://news.example/b")

    preview, card = api.sent_messages(chat_id=EDITOR)[-2:]
    assert preview["method"] == "sendPhoto" and preview["photo"] == photo_id(photo)
    assert "Bridge collapses https://news.example/b" in preview["plain_text"]
    assert '<a href="https://news.example/b">Read more</a>' in preview["caption"]
    assert "Send to: everyone with alerts on — 3 chats." in card["plain_text"]

    await confirm_and_send(application, api, deliver)
    assert all(copy["method"] == "sendPhoto" for [copy] in reader_copies(api))
    assert {row.method for row in await rows(application, kind="alert")} == {"sendPhoto"}


async def test_a_caption_only_photo_or_another_bots_alert_is_no_alert(application, api, deliver):
    await readers(application)
    await photo_from_editor(api, deliver, "Look at this: /alert in the middle")
    await photo_from_editor(api, deliver, "/alert@some_other_bot Not for us")
    await photo_from_editor(api, deliver, "/alerts")
    assert await the_alert(application) is None
    await photo_from_editor(api, deliver, "/alert@newsbot_test_bot\nFor us")
    assert (await the_alert(application)).text == "For us"


async def test_an_edited_caption_is_not_a_new_alert(application, api, deliver):
    await readers(application)
    update = api.user_photo("/alert Storm warning", user_id=EDITOR)
    edited = {"update_id": update["update_id"] + 1000, "edited_message": update["message"]}
    edited["edited_message"]["edit_date"] = update["message"]["date"] + 5
    await deliver(edited)
    assert await the_alert(application) is None


async def test_a_stranger_cannot_alert_with_a_photo(application, api, deliver):
    await readers(application)
    await deliver(api.user_photo("/alert Fake news", user_id=4242))
    assert "Not allowed" in api.sent_messages(chat_id=4242)[-1]["plain_text"]
    assert await the_alert(application) is None


async def test_a_text_too_long_for_a_caption_follows_its_photo(application, api, deliver):
    await readers(application)
    words = "Evacuate now. " * 100  # 1,400 characters: over the 1,024 of a caption
    await photo_from_editor(api, deliver, f"/alert {words}")
    photo, preview, card = api.sent_messages(chat_id=EDITOR)[-3:]
    assert photo["method"] == "sendPhoto" and not photo.get("caption")
    assert preview["method"] == "sendMessage" and "Evacuate now." in preview["plain_text"]
    assert card["message_id"] > preview["message_id"]

    await confirm_and_send(application, api, deliver)
    for copies in reader_copies(api):
        assert [copy["method"] for copy in copies] == ["sendPhoto", "sendMessage"]
    assert "Sent 6 / 6" in api.message(EDITOR, card["message_id"])["text"]

    await deliver(api.user_message("/alert_retract 1"))
    await send_pending(services_of(application).sessionmaker, api)
    for chat_id, copies in zip(READERS, reader_copies(api), strict=True):
        assert all(api.was_deleted(chat_id, copy["message_id"]) for copy in copies)


async def test_alert_edit_changes_the_caption_of_every_copy(application, api, deliver):
    await readers(application)
    await photo_from_editor(api, deliver, "/alert Dam holds for now")
    await confirm_and_send(application, api, deliver)

    await deliver(api.user_message("/alert_edit 1 Dam breached, evacuate the valley"))
    edits = await rows(application, kind="alert_edit")
    assert {row.method for row in edits} == {"editMessageCaption"} and len(edits) == 3
    await send_pending(services_of(application).sessionmaker, api)
    for chat_id, [copy] in zip(READERS, reader_copies(api), strict=True):
        caption = api.message(chat_id, copy["message_id"])["caption"]
        assert "Dam breached, evacuate the valley" in caption

    await deliver(api.user_message("/alert_edit 1 " + "Too long. " * 120))
    reply = api.sent_messages(chat_id=EDITOR)[-1]["plain_text"]
    assert "Too long for the caption of this alert's photo (" in reply
    assert len(await rows(application, kind="alert_edit")) == 3  # nothing queued


async def test_alert_retract_deletes_every_photo_copy(application, api, deliver):
    await readers(application)
    await photo_from_editor(api, deliver, "/alert Wrong photo")
    await confirm_and_send(application, api, deliver)
    await deliver(api.user_message("/alert_retract 1"))
    await send_pending(services_of(application).sessionmaker, api)
    for chat_id, [copy] in zip(READERS, reader_copies(api), strict=True):
        assert api.was_deleted(chat_id, copy["message_id"])
