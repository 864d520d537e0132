"""The whole alert lifecycle over HTTP against a real `newsbot run` process and its sender."""

from __future__ import annotations

from tests.e2e.conftest import run_newsbot

OWNER, READER, STRANGER = 1001, 31337, 2002


def text_of(api, chat_id, message_id) -> str:
    message = api.message(chat_id, message_id)
    return message["text"] if message else ""


async def test_alert_lifecycle_with_the_real_sender(tmp_path):
    """Roles, draft, confirm, progress edits, edit and retract, as editors and readers see it."""
    async with run_newsbot(tmp_path, ADMIN_IDS=str(OWNER), ALERT_PROGRESS_SECONDS="1") as bot:
        await _lifecycle(bot)


async def _lifecycle(bot) -> None:
    api = bot.api
    # A plain Start, no deep link: the reader follows the default topics, alerts on.
    api.user_message("/start", user_id=READER)
    welcome = await api.wait_for_message(chat_id=READER, contains="Welcome", timeout=30)
    assert "Now following: Top stories, with breaking alerts on." in welcome["text"]

    api.user_message("/alert Stranger danger", user_id=STRANGER)
    await api.wait_for_message(chat_id=STRANGER, contains="Not allowed", timeout=30)

    api.user_message("/alert Storm hits the coast", user_id=OWNER)
    card = await api.wait_for_message(chat_id=OWNER, contains="Alert #1", timeout=30)
    # Everyone: the reader, and the owner's own chat (registered by /alert, alerts on).
    assert "Everyone (2)" in str(card["reply_markup"])

    api.callback_query("al:ok:1", user_id=OWNER, message_id=card["message_id"])
    await api.wait_until(lambda: "Alert #1 ·" in text_of(api, OWNER, card["message_id"]), 30)
    copy = await api.wait_for_message(chat_id=READER, contains="Storm hits", timeout=30)
    assert copy["plain_text"].startswith("🔴 Breaking")
    await api.wait_until(
        lambda: (
            "Sent 2 / 2" in text_of(api, OWNER, card["message_id"])
            and "Sent." in text_of(api, OWNER, card["message_id"])
        ),
        timeout=30,
    )

    api.user_message("/alert_edit 1 Storm: coast road closed", user_id=OWNER)
    await api.wait_for_message(chat_id=OWNER, contains="Edits", timeout=30)
    await api.wait_until(
        lambda: "coast road closed" in text_of(api, READER, copy["message_id"]), timeout=30
    )

    api.user_message("/alert_retract 1", user_id=OWNER)
    report = await api.wait_for_message(chat_id=OWNER, contains="Retraction", timeout=30)
    await api.wait_until(lambda: api.was_deleted(READER, copy["message_id"]), timeout=30)
    await api.wait_until(
        lambda: "2 of 2 copies deleted" in text_of(api, OWNER, report["message_id"]), timeout=30
    )
    assert await bot.stop() == 0
