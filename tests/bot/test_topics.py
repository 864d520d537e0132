"""Choosing topics from the chat: keyboard toggles, commands, deep links, group admins."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, Subscription, Topic

GROUP = -100_555


async def followed(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        rows = await session.scalars(
            select(Topic.slug)
            .join(Subscription, Subscription.topic_id == Topic.id)
            .join(Chat, Chat.id == Subscription.chat_id)
            .where(Chat.telegram_id == telegram_id)
            .order_by(Topic.position)
        )
        return list(rows)


def buttons(message):
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_topics_keyboard_toggles_and_redraws_the_same_message(application, api, deliver):
    await deliver(api.user_message("/topics", user_id=42))
    [shown] = api.sent_messages(chat_id=42)
    assert shown["text"].startswith("<b>Your topics</b>")
    assert buttons(shown)[:3] == ["▫️ Top stories", "▫️ World", "▫️ Politics"]

    await deliver(api.callback_query("tp:tech", user_id=42))

    assert await followed(application, 42) == ["tech"]
    [answer] = api.calls_to("answerCallbackQuery")
    assert answer.params["text"] == "Following it now."
    redrawn = api.message(42, shown["message_id"])
    assert "✅ Technology" in buttons(redrawn)
    assert len(api.sent_messages(chat_id=42)) == 1  # edited in place, nothing new sent

    await deliver(api.callback_query("tp:tech", user_id=42))
    assert await followed(application, 42) == []
    assert api.calls_to("answerCallbackQuery")[-1].params["text"] == "Not following it any more."


async def test_a_stale_button_for_a_removed_topic_says_so(application, api, deliver):
    await deliver(api.user_message("/topics", user_id=43))
    await deliver(api.callback_query("tp:astrology", user_id=43))
    assert api.calls_to("answerCallbackQuery")[-1].params["text"] == "That topic no longer exists."


async def test_subscribe_and_unsubscribe_by_command(application, api, deliver):
    await deliver(api.user_message("/subscribe tech Science mars", user_id=44))
    reply = api.sent_messages(chat_id=44)[-1]["text"]
    assert "✅ Now following: Technology, Science" in reply
    assert "No such topic: mars. See /topics for the list." in reply
    assert await followed(application, 44) == ["tech", "science"]

    await deliver(api.user_message("/subscribe tech", user_id=44))
    assert "Already following: Technology" in api.sent_messages(chat_id=44)[-1]["text"]

    await deliver(api.user_message("/unsubscribe all", user_id=44))
    assert "Stopped following: Technology, Science" in api.sent_messages(chat_id=44)[-1]["text"]
    assert await followed(application, 44) == []


async def test_subscribe_without_a_topic_explains_itself(application, api, deliver):
    await deliver(api.user_message("/subscribe", user_id=45))
    reply = api.sent_messages(chat_id=45)[-1]["text"]
    assert reply.startswith("Usage: /subscribe &lt;topic&gt; — for example /subscribe top")
    assert "Topics: top, world, politics, business, tech" in reply


async def test_mysubs_lists_topics_and_the_next_digest(application, api, deliver):
    await deliver(api.user_message("/subscribe world", user_id=46))
    await deliver(api.user_message("/mysubs", user_id=46))
    reply = api.sent_messages(chat_id=46)[-1]["text"]
    assert "<b>You follow</b>: World" in reply
    assert "Next digest: " in reply and "08:00 (Europe/Warsaw)." in reply
    assert "Breaking alerts: on." in reply


async def test_a_deep_link_subscribes_in_one_tap_and_records_the_campaign(
    application, api, deliver
):
    await deliver(api.user_message("/start tech", user_id=47))
    assert "✅ Now following: Technology" in api.sent_messages(chat_id=47)[-1]["text"]
    assert await followed(application, 47) == ["tech"]
    await deliver(api.user_message("/start t-2-3", user_id=48))
    assert await followed(application, 48) == ["world", "politics"]
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 47))
    assert chat.joined_via == "tech"


async def test_a_group_member_who_is_not_an_admin_cannot_change_topics(application, api, deliver):
    api.set_chat(GROUP, type="supergroup", title="Readers' club")
    api.set_member(GROUP, 50, "member")
    api.set_member(GROUP, 51, "administrator")

    await deliver(api.user_message("/subscribe tech", user_id=50, chat_id=GROUP))
    assert api.sent_messages(chat_id=GROUP)[-1]["text"] == (
        "Only this group's admins can change its topics and settings."
    )
    await deliver(api.user_message("/topics", user_id=50, chat_id=GROUP))
    await deliver(api.callback_query("tp:tech", user_id=50, message_chat_id=GROUP))
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["show_alert"] is True
    assert answer["text"] == "Only this group's admins can change its topics and settings."
    assert await followed(application, GROUP) == []

    await deliver(api.user_message("/subscribe tech", user_id=51, chat_id=GROUP))
    assert await followed(application, GROUP) == ["tech"]
    # Membership is asked once per user and then remembered for a while.
    asked = [c.params["user_id"] for c in api.calls_to("getChatMember")]
    assert sorted(asked) == [50, 51]


async def test_an_anonymous_group_admin_may_change_topics(application, api, deliver):
    api.set_chat(GROUP, type="supergroup", title="Readers' club")
    update = api.user_message("/subscribe world", user_id=1087968824, chat_id=GROUP)
    update["message"]["sender_chat"] = update["message"]["chat"]
    await deliver(update)
    assert await followed(application, GROUP) == ["world"]
