"""Groups, channels, leaving, /stop and flood protection, as chats and admins see them."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, ChatEvent, ChatStatus, Delivery, Subscription

GROUP, SUPERGROUP, CHANNEL = -4001, -1_000_000_004_001, -1_000_000_009_999


async def chat_row(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        return await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))


async def test_added_to_a_group_the_bot_explains_itself(application, api, deliver):
    await deliver(api.my_chat_member(GROUP, "group", "left", "member", by_user_id=80, title="Club"))
    [hello] = api.sent_messages(chat_id=GROUP)
    assert hello["text"].startswith("👋 Hello! I'm the newsroom's bot.")
    assert "/topics" in hello["text"]
    chat = await chat_row(application, GROUP)
    assert (chat.type.value, chat.title, chat.status) == ("group", "Club", ChatStatus.ACTIVE)


async def test_removed_from_a_group_it_is_marked_left_and_blocked_privately(
    application, api, deliver
):
    await deliver(api.my_chat_member(GROUP, "group", "left", "member", title="Club"))
    await deliver(api.my_chat_member(GROUP, "group", "member", "left"))
    assert (await chat_row(application, GROUP)).status is ChatStatus.LEFT

    await deliver(api.user_message("/start", user_id=81))
    await deliver(api.my_chat_member(81, "private", "member", "kicked", by_user_id=81))
    assert (await chat_row(application, 81)).status is ChatStatus.BLOCKED
    async with session_scope(services_of(application).sessionmaker) as session:
        events = [(e.telegram_chat_id, e.event) for e in await session.scalars(select(ChatEvent))]
    assert (GROUP, "leave") in events and (81, "blocked") in events


async def test_a_group_that_becomes_a_supergroup_keeps_its_subscriptions(application, api, deliver):
    api.set_chat(GROUP, type="group", title="Club")
    api.set_member(GROUP, 82, "administrator")
    await deliver(api.user_message("/subscribe tech", user_id=82, chat_id=GROUP))
    await deliver(api.chat_migration(GROUP, SUPERGROUP))

    assert await chat_row(application, GROUP) is None
    migrated = await chat_row(application, SUPERGROUP)
    assert migrated.type.value == "supergroup"
    async with session_scope(services_of(application).sessionmaker) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Subscription)
            .where(Subscription.chat_id == migrated.id)
        )
    assert count == 1


async def test_a_channel_admin_connects_a_channel_and_picks_its_topics(application, api, deliver):
    api.set_chat(CHANNEL, type="channel", title="Evening Post", username="eveningpost")
    api.set_member(CHANNEL, 83, "creator")

    await deliver(api.user_message("/connect @eveningpost", user_id=83))
    assert api.sent_messages(chat_id=83)[-1]["text"].startswith(
        "I'm not an admin of “Evening Post”"
    )

    api.set_member(CHANNEL, api.bot_user["id"], "administrator")
    await deliver(api.user_message("/connect @eveningpost", user_id=83))
    offer = api.sent_messages(chat_id=83)[-1]
    assert offer["text"].startswith("✅ The channel “Evening Post” is connected.")
    data = offer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("ct:")

    await deliver(api.callback_query(data, user_id=83))
    channel = await chat_row(application, CHANNEL)
    assert channel.connected_by == 83
    async with session_scope(services_of(application).sessionmaker) as session:
        assert (
            await session.scalar(
                select(func.count())
                .select_from(Subscription)
                .where(Subscription.chat_id == channel.id)
            )
            == 1
        )
    # Someone who is not the channel's admin cannot press the same button.
    await deliver(api.callback_query(data, user_id=84, message_chat_id=83))
    answer = api.calls_to("answerCallbackQuery")[-1].params
    assert answer["text"] == "Only the channel's admins can change what it receives."


async def test_adding_the_bot_to_a_channel_offers_its_topics_to_the_admin(
    application, api, deliver
):
    await deliver(api.user_message("/start", user_id=85))
    await deliver(
        api.my_chat_member(
            CHANNEL, "channel", "left", "administrator", by_user_id=85, title="Morning Brief"
        )
    )
    offer = api.sent_messages(chat_id=85)[-1]
    assert "“Morning Brief” is connected" in offer["text"]
    assert offer["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("ct:")


async def test_connect_needs_a_channel_and_a_private_chat(application, api, deliver):
    await deliver(api.user_message("/connect", user_id=86))
    assert api.sent_messages(chat_id=86)[-1]["text"].startswith("To deliver digests to a channel")
    await deliver(api.user_message("/connect @nosuchchannel", user_id=86))
    assert "I can't find a channel “@nosuchchannel”" in api.sent_messages(chat_id=86)[-1]["text"]


async def test_stop_asks_then_deletes_everything(application, api, deliver):
    await deliver(api.user_message("/subscribe world tech", user_id=87))
    await deliver(api.user_message("/stop", user_id=87))
    ask = api.sent_messages(chat_id=87)[-1]
    assert ask["text"].startswith("Stop everything?")
    await deliver(api.callback_query("stop:no", user_id=87))
    assert api.message(87, ask["message_id"])["text"] == "Nothing was changed."
    assert await chat_row(application, 87) is not None

    await deliver(api.user_message("/stop", user_id=87))
    confirm = api.sent_messages(chat_id=87)[-1]
    await deliver(api.callback_query("stop:yes", user_id=87))
    assert api.message(87, confirm["message_id"])["text"].startswith("Done: no more digests")
    assert await chat_row(application, 87) is None
    async with session_scope(services_of(application).sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Subscription)) == 0
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0


async def test_a_flooding_user_gets_one_polite_reply_and_is_ignored(application, api, deliver):
    services_of(application).clock = lambda: 1_000_000.0  # a burst, however slow the machine
    for _ in range(12):
        await deliver(api.user_message("/help", user_id=88))
    texts = [m["text"] for m in api.sent_messages(chat_id=88)]
    assert len(texts) == 9  # eight answers, then one warning, then silence
    assert texts[-1] == "You're going a bit fast! I'll be back for you in 30 seconds."
    # Someone else is not slowed down.
    await deliver(api.user_message("/help", user_id=89))
    assert len(api.sent_messages(chat_id=89)) == 1


async def test_plain_text_searches_in_private_count_towards_flood(application, api, deliver):
    services_of(application).clock = lambda: 1_000_000.0  # a burst, however slow the machine
    for _ in range(12):
        await deliver(api.user_message("tram", user_id=120))
    texts = [m["text"] for m in api.sent_messages(chat_id=120)]
    assert texts[-1] == "You're going a bit fast! I'll be back for you in 30 seconds."
    assert len(texts) == 9


async def test_only_group_admins_can_post_a_digest_on_demand(application, api, deliver):
    api.set_chat(GROUP, type="supergroup", title="Club")
    api.set_member(GROUP, 121, "member")
    await deliver(api.user_message("/digest", user_id=121, chat_id=GROUP))
    assert api.sent_messages(chat_id=GROUP)[-1]["text"] == (
        "Only this group's admins can change its topics and settings."
    )
