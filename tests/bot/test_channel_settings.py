"""A channel's digest times and days, set from its admin's private chat with /settings."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, Frequency

CHANNEL = -1002000000077
ADMIN, OTHER_ADMIN, STRANGER = 91, 92, 93


async def channel_row(application):
    async with session_scope(services_of(application).sessionmaker) as session:
        return await session.scalar(select(Chat).where(Chat.telegram_id == CHANNEL))


def keyboard(message):
    return [
        (b["text"], b["callback_data"])
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
    ]


async def connected(api, deliver):
    api.set_chat(CHANNEL, type="channel", title="Evening Post", username="eveningpost")
    api.set_member(CHANNEL, api.bot_user["id"], "administrator")
    api.set_member(CHANNEL, ADMIN, "creator")
    await deliver(api.user_message("/connect @eveningpost", user_id=ADMIN))


async def test_the_admin_who_connected_it_sets_the_channels_times_and_days(
    application, api, deliver
):
    await connected(api, deliver)
    assert (
        "use /settings here and choose the channel" in api.sent_messages(chat_id=ADMIN)[-1]["text"]
    )
    row = (await channel_row(application)).id

    await deliver(api.user_message("/settings", user_id=ADMIN))
    own = api.sent_messages(chat_id=ADMIN)[-1]
    assert own["text"].startswith("<b>Settings</b>")
    assert ("📣 Evening Post", f"st:ch:{row}") in keyboard(own)

    await deliver(
        api.callback_query(
            f"st:ch:{row}", user_id=ADMIN, message_chat_id=ADMIN, message_id=own["message_id"]
        )
    )
    screen = api.message(ADMIN, own["message_id"])
    assert screen["text"].startswith("Settings of the channel “Evening Post”\n")
    assert ("⬅️ My own settings", "st:me") in keyboard(screen)

    await deliver(api.callback_query("st:times", user_id=ADMIN, message_chat_id=ADMIN))
    await deliver(api.user_message("07:30, 18:00", user_id=ADMIN))
    await deliver(api.callback_query("st:wd:4", user_id=ADMIN, message_chat_id=ADMIN))

    channel = await channel_row(application)
    assert channel.frequency is Frequency.WEEKLY and channel.weekly_day == 4
    assert channel.digest_times == ["07:30"]  # weekly keeps the first time
    assert channel.next_digest_at is not None and channel.next_digest_at.weekday() in (3, 4)
    async with session_scope(services_of(application).sessionmaker) as session:
        mine = await session.scalar(select(Chat).where(Chat.telegram_id == ADMIN))
    assert mine.digest_times == ["08:00"] and mine.frequency is Frequency.DAILY

    await deliver(
        api.callback_query(
            "st:me", user_id=ADMIN, message_chat_id=ADMIN, message_id=own["message_id"]
        )
    )
    assert api.message(ADMIN, own["message_id"])["text"].startswith("Settings\n")


async def test_a_plain_settings_is_the_chats_own_again(application, api, deliver):
    await connected(api, deliver)
    await deliver(api.user_message("/settings @eveningpost", user_id=ADMIN))
    assert api.sent_messages(chat_id=ADMIN)[-1]["text"].startswith("<b>Settings of the channel")
    await deliver(api.user_message("/settings", user_id=ADMIN))
    assert api.sent_messages(chat_id=ADMIN)[-1]["text"].startswith("<b>Settings</b>")


async def test_a_current_channel_admin_may_and_a_stranger_may_not(application, api, deliver):
    await connected(api, deliver)
    api.set_member(CHANNEL, OTHER_ADMIN, "administrator")

    await deliver(api.user_message("/settings @EveningPost", user_id=OTHER_ADMIN))
    assert api.sent_messages(chat_id=OTHER_ADMIN)[-1]["text"].startswith(
        "<b>Settings of the channel “Evening Post”</b>"
    )
    await deliver(
        api.callback_query("st:freq:off", user_id=OTHER_ADMIN, message_chat_id=OTHER_ADMIN)
    )
    assert (await channel_row(application)).frequency is Frequency.OFF

    await deliver(api.user_message(f"/settings {CHANNEL}", user_id=STRANGER))
    assert api.sent_messages(chat_id=STRANGER)[-1]["text"] == (
        "Only the admin who connected this channel, or one of its current admins, can change "
        "its settings."
    )
    row = (await channel_row(application)).id
    await deliver(api.callback_query(f"st:ch:{row}", user_id=STRANGER, message_chat_id=STRANGER))
    assert (
        api.calls_to("answerCallbackQuery")[-1]
        .params["text"]
        .startswith("Only the admin who connected this channel")
    )

    # Demoted while the channel's screen is open: the next tap is refused, nothing changes.
    api.set_member(CHANNEL, OTHER_ADMIN, "member")
    await deliver(
        api.callback_query("st:freq:daily", user_id=OTHER_ADMIN, message_chat_id=OTHER_ADMIN)
    )
    assert (await channel_row(application)).frequency is Frequency.OFF


async def test_settings_of_an_unknown_channel(application, api, deliver):
    await deliver(api.user_message("/settings @nosuchchannel", user_id=STRANGER))
    assert api.sent_messages(chat_id=STRANGER)[-1]["text"] == (
        "No connected channel @nosuchchannel: connect it first with /connect @channel."
    )
