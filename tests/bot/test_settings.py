"""/settings as a reader uses it: buttons, typed answers, bad input refused, groups guarded."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, Frequency


async def chat_row(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        return await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))


def buttons(message):
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_settings_screen_shows_the_current_settings(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=60))
    [screen] = api.sent_messages(chat_id=60)
    assert screen["text"].splitlines()[:6] == [
        "<b>Settings</b>",
        "Digest: every day at 08:00.",
        "Time zone: Europe/Warsaw.",
        "Breaking alerts: on.",
        "Quiet hours: none.",
        "Link previews: off.",
    ]
    assert buttons(screen) == [
        "🕗 Digest times",
        "🌍 Time zone",
        "📅 Frequency",
        "🔔 Alerts: on",
        "🌙 Quiet hours",
        "🔗 Previews: off",
    ]


async def test_typing_new_digest_times(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=61))
    await deliver(api.callback_query("st:times", user_id=61))
    assert api.sent_messages(chat_id=61)[-1]["text"].startswith("Send the time or times")

    await deliver(api.user_message("25:99", user_id=61))
    assert api.sent_messages(chat_id=61)[-1]["text"] == (
        "“25:99” is not a time of day. Use HH:MM, for example 08:00 or 19:30. Nothing was changed."
    )
    assert (await chat_row(application, 61)).digest_times == ["08:00"]

    await deliver(api.user_message("7:30 19:00", user_id=61))
    texts = [m["text"] for m in api.sent_messages(chat_id=61)[-2:]]
    assert texts[0] == "✅ Saved."
    assert "Digest: every day at 07:30, 19:00." in texts[1]
    chat = await chat_row(application, 61)
    assert chat.digest_times == ["07:30", "19:00"]
    assert chat.next_digest_at.astimezone(UTC) > datetime.now(UTC)


async def test_time_zone_by_city_bad_name_and_location(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=62))
    await deliver(api.callback_query("st:tz", user_id=62))
    ask = api.sent_messages(chat_id=62)[-1]
    assert ask["reply_markup"]["keyboard"][0][0]["request_location"] is True

    await deliver(api.user_message("Mars/Olympus", user_id=62))
    assert api.sent_messages(chat_id=62)[-1]["text"].startswith(
        "I don't know the time zone “Mars/Olympus”."
    )
    assert (await chat_row(application, 62)).timezone == "Europe/Warsaw"

    await deliver(api.user_message("new york", user_id=62))
    assert (await chat_row(application, 62)).timezone == "America/New_York"

    await deliver(api.callback_query("st:tz", user_id=62, message_id=ask["message_id"]))
    update = api.user_message("", user_id=62)
    message = update["message"]
    del message["text"]
    message["location"] = {"latitude": 27.7, "longitude": 85.3}
    await deliver(update)
    assert (await chat_row(application, 62)).timezone == "Asia/Kathmandu"


async def test_frequency_weekly_on_a_day_and_toggles(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=63))
    await deliver(api.callback_query("st:freq", user_id=63))
    screen = api.sent_messages(chat_id=63)[0]
    assert buttons(api.message(63, screen["message_id"])) == [
        "Once a day",
        "Twice a day",
        "Once a week…",
        "No digests",
    ]
    await deliver(api.callback_query("st:freq:weekly", user_id=63))
    assert buttons(api.message(63, screen["message_id"]))[4] == "Fri"
    await deliver(api.callback_query("st:wd:4", user_id=63))
    chat = await chat_row(application, 63)
    assert (chat.frequency, chat.weekly_day) == (Frequency.WEEKLY, 4)
    assert "Digest: weekly on Friday at 08:00." in api.message(63, screen["message_id"])["text"]

    await deliver(api.callback_query("st:alerts", user_id=63))
    await deliver(api.callback_query("st:previews", user_id=63))
    chat = await chat_row(application, 63)
    assert (chat.alerts_enabled, chat.link_previews) == (False, True)
    assert "🔔 Alerts: off" in buttons(api.message(63, screen["message_id"]))


async def test_quiet_hours(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=64))
    await deliver(api.callback_query("st:quiet", user_id=64))
    await deliver(api.user_message("late-early", user_id=64))
    assert "Nothing was changed." in api.sent_messages(chat_id=64)[-1]["text"]
    await deliver(api.user_message("22:00-07:00", user_id=64))
    chat = await chat_row(application, 64)
    assert (chat.quiet_start, chat.quiet_end) == ("22:00", "07:00")


async def test_plain_text_without_a_question_changes_nothing(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=65))
    await deliver(api.user_message("09:00", user_id=65))
    assert (await chat_row(application, 65)).digest_times == ["08:00"]


async def test_group_members_cannot_change_settings(application, api, deliver):
    group = -100_777
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 70, "member")
    await deliver(api.user_message("/settings", user_id=70, chat_id=group))
    await deliver(api.callback_query("st:alerts", user_id=70, message_chat_id=group))
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["text"] == "Only this group's admins can change its topics and settings."
    assert (await chat_row(application, group)).alerts_enabled is True


async def test_in_a_group_only_the_asking_admins_reply_to_the_question_counts(
    application, api, deliver
):
    group = -100_778
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 71, "administrator")
    api.set_member(group, 72, "member")
    await deliver(api.user_message("/settings", user_id=71, chat_id=group))
    await deliver(api.callback_query("st:times", user_id=71, message_chat_id=group))
    prompt = api.sent_messages(chat_id=group)[-1]
    assert prompt["reply_markup"]["force_reply"] is True

    await deliver(
        api.user_message(
            "06:00", user_id=72, chat_id=group, reply_to_message_id=prompt["message_id"]
        )
    )
    await deliver(api.user_message("06:30", user_id=71, chat_id=group))  # not a reply
    assert (await chat_row(application, group)).digest_times == ["08:00"]

    await deliver(
        api.user_message(
            "07:00", user_id=71, chat_id=group, reply_to_message_id=prompt["message_id"]
        )
    )
    assert (await chat_row(application, group)).digest_times == ["07:00"]


async def test_an_edited_message_is_not_taken_as_new_input(application, api, deliver):
    await deliver(api.user_message("/settings", user_id=66))
    await deliver(api.callback_query("st:times", user_id=66))
    update = api.user_message("09:00", user_id=66)
    update["edited_message"] = update.pop("message")
    update["edited_message"]["edit_date"] = update["edited_message"]["date"]
    await deliver(update)
    assert (await chat_row(application, 66)).digest_times == ["08:00"]
