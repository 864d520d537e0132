"""/start and /help as a reader sees them, and the wiring around them."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Chat, ChatEvent, ChatStatus, Subscription, Topic


async def test_start_welcomes_the_user_and_registers_the_chat(application, api, deliver):
    await deliver(api.user_message("/start", user_id=4242, first_name="Ada <3"))

    [reply] = api.sent_messages(chat_id=4242)
    assert reply["text"].startswith("👋 Welcome, Ada &lt;3!")
    assert "/help — How to use this bot" in reply["text"]
    assert reply["parse_mode"] == "HTML"
    services = services_of(application)
    async with session_scope(services.sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 4242))
    assert chat is not None
    assert (chat.type.value, chat.status, chat.timezone) == (
        "private",
        ChatStatus.ACTIVE,
        "Europe/Warsaw",
    )


async def test_start_again_says_welcome_back_and_records_one_join(application, api, deliver):
    await deliver(api.user_message("/start footer-link", user_id=77))
    await deliver(api.user_message("/start", user_id=77))

    texts = [m["text"] for m in api.sent_messages(chat_id=77)]
    assert texts[1].startswith("👋 Welcome back, Ada!")
    async with session_scope(services_of(application).sessionmaker) as session:
        events = (await session.scalars(select(ChatEvent))).all()
    assert [(e.event, e.campaign) for e in events] == [("join", "footer-link")]


async def test_a_hostile_deep_link_payload_is_not_recorded(application, api, deliver):
    await deliver(api.user_message("/start <script>alert(1)</script>", user_id=78))

    assert api.sent_messages(chat_id=78)[0]["text"].startswith("👋 Welcome")
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 78))
    assert chat.joined_via is None


async def test_help_lists_the_commands(application, api, deliver):
    await deliver(api.user_message("/help", user_id=5))

    [reply] = api.sent_messages(chat_id=5)
    assert reply["text"].startswith("<b>What I can do</b>")
    async with session_scope(services_of(application).sessionmaker) as session:
        assert await session.scalar(select(Chat).where(Chat.telegram_id == 5)) is not None
    assert "/start — Welcome and what I can do" in reply["text"]


async def test_start_up_publishes_the_command_menu_and_loads_topics(application, api):
    [call] = [c for c in api.calls_to("setMyCommands") if not c.params.get("language_code")]
    [polish] = [c for c in api.calls_to("setMyCommands") if c.params.get("language_code") == "pl"]
    assert polish.params["commands"][0]["description"] == "Powitanie i co potrafię"
    names = [c["command"] for c in call.params["commands"]]
    assert names[0] == "start" and names[-1] == "help"
    assert {"topics", "subscribe", "unsubscribe", "mysubs", "settings", "stop"} <= set(names)
    async with session_scope(services_of(application).sessionmaker) as session:
        slugs = set(await session.scalars(select(Topic.slug)))
    assert {"world", "tech", "general"} <= slugs


async def test_an_unexpected_error_is_logged_and_the_user_gets_an_apology(
    application, api, deliver, caplog
):
    async def explode(update, context):
        raise RuntimeError("boom")

    from telegram.ext import CommandHandler

    # First in its group, before the answer to commands no handler takes.
    application.handlers[0].insert(0, CommandHandler("explode", explode))
    await deliver(api.user_message("/explode", user_id=9))

    [reply] = api.sent_messages(chat_id=9)
    assert reply["text"].startswith("Sorry, something went wrong on our side.")
    [record] = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert record.exc_info[1].args == ("boom",)


async def followed(application, telegram_id):
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))
        rows = await session.execute(
            select(Topic.slug, Subscription.alerts)
            .join(Topic, Topic.id == Subscription.topic_id)
            .where(Subscription.chat_id == chat.id)
        )
        return sorted(tuple(row) for row in rows)


def keyboard(message):
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_a_first_plain_start_follows_the_default_topics_and_a_later_one_changes_nothing(
    application, api, deliver
):
    await deliver(api.user_message("/start", user_id=4300))
    welcome = api.sent_messages(chat_id=4300)[-1]
    assert "✅ Now following: Top stories, with breaking alerts on." in welcome["text"]
    assert "Tap a topic below to change." in welcome["text"]
    assert keyboard(welcome)[:2] == ["✅ Top stories", "▫️ World"]
    assert await followed(application, 4300) == [("top", True)]

    await deliver(api.user_message("/unsubscribe all", user_id=4300))
    await deliver(api.user_message("/subscribe tech", user_id=4300))
    await deliver(api.user_message("/start", user_id=4300))
    again = api.sent_messages(chat_id=4300)[-1]
    assert "Following: Technology." in again["text"] and "Now following" not in again["text"]
    assert await followed(application, 4300) == [("tech", True)]


async def test_a_reader_who_unfollowed_everything_is_not_resubscribed_by_start(
    application, api, deliver
):
    await deliver(api.user_message("/start", user_id=4301))
    await deliver(api.user_message("/unsubscribe all", user_id=4301))
    await deliver(api.user_message("/start", user_id=4301))
    assert "You don't follow any topic yet" in api.sent_messages(chat_id=4301)[-1]["text"]
    assert await followed(application, 4301) == []


async def test_a_campaign_only_link_follows_the_defaults_and_records_the_campaign(
    application, api, deliver
):
    await deliver(api.user_message("/start footer-box", user_id=4302))
    assert "Now following: Top stories" in api.sent_messages(chat_id=4302)[-1]["text"]
    assert await followed(application, 4302) == [("top", True)]
    async with session_scope(services_of(application).sessionmaker) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_id == 4302))
    assert chat.joined_via == "footer-box"


async def test_in_a_group_only_an_admins_start_follows_the_defaults(application, api, deliver):
    group = -4303
    api.set_chat(group, type="supergroup", title="Club")
    api.set_member(group, 71, "member")
    api.set_member(group, 72, "administrator")
    await deliver(api.user_message("/start", user_id=71, chat_id=group))
    assert "You don't follow any topic yet" in api.sent_messages(chat_id=group)[-1]["text"]
    assert await followed(application, group) == []
    await deliver(api.user_message("/start", user_id=72, chat_id=group))
    assert "Now following: Top stories" in api.sent_messages(chat_id=group)[-1]["text"]
    assert await followed(application, group) == [("top", True)]
