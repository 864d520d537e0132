"""Crafted or hurried presses and hostile text get an answer or nothing, never an apology."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Alert, Source, Topic, utcnow
from tests.factories import add_article

OWNER = 1001
APOLOGY = "something went wrong on our side"


async def articles(application, count=12):
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        now = utcnow()
        for n in range(count):
            await add_article(
                session,
                n,
                topics={tech: 1.0},
                title=f"Bridge story {n}",
                fetched_at=now - timedelta(hours=n),
            )


def no_apology(api):
    texts = [m.get("text", "") for m in api.sent_messages()]
    texts += [c.params.get("text", "") for c in api.calls_to("answerCallbackQuery")]
    assert not [t for t in texts if APOLOGY in t.lower()]


def answered(api, update):
    query_id = update["callback_query"]["id"]
    return [
        c for c in api.calls_to("answerCallbackQuery") if c.params["callback_query_id"] == query_id
    ]


async def test_a_double_tap_on_the_latest_pager(application, api, deliver):
    await articles(application)
    await deliver(api.user_message("/latest"))
    listing = api.sent_messages(chat_id=OWNER)[-1]
    for _ in range(2):  # the second tap arrives before the first one's edit is seen
        press = api.callback_query("lt:-:1", message_id=listing["message_id"])
        await deliver(press)
        assert answered(api, press)
    no_apology(api)
    assert "Bridge story 5" in api.message(OWNER, listing["message_id"])["text"]


@pytest.mark.parametrize("data", ["st:freq:x", "st:wd:-1", "st:wd:7", "st:nope", "st:", "st:freq"])
async def test_crafted_settings_presses(application, api, deliver, data):
    await deliver(api.user_message("/settings"))
    screen = api.sent_messages(chat_id=OWNER)[-1]
    for _ in range(2):
        press = api.callback_query(data, message_id=screen["message_id"])
        await deliver(press)
        assert answered(api, press)
    no_apology(api)


@pytest.mark.parametrize("data", ["lt:-:999", "lt:-:-1", "lt:nope:3", "lt:", "sr:zz:1", "sr:"])
async def test_out_of_range_pages(application, api, deliver, data):
    await articles(application)
    await deliver(api.user_message("/search bridge"))
    listing = api.sent_messages(chat_id=OWNER)[-1]
    key = listing["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1]
    for crafted in (data, f"sr:{key}:999", f"sr:{key}:-1"):
        press = api.callback_query(crafted, message_id=listing["message_id"])
        await deliver(press)
        assert answered(api, press)
    no_apology(api)


@pytest.mark.parametrize("data", ["lt:-:1", "st:alerts", "tp:tech", "al:ok:1", "src:pause:1"])
async def test_a_press_from_an_inline_message_is_answered(application, api, deliver, data):
    press = api.callback_query(data)
    press["callback_query"].pop("message", None)
    press["callback_query"]["inline_message_id"] = "AAAA-inline"
    await deliver(press)
    assert answered(api, press)
    no_apology(api)


async def test_a_nul_character_in_an_alert(application, api, deliver):
    await deliver(api.user_message("/alert Storm\x00 hits the coast"))
    no_apology(api)
    async with session_scope(services_of(application).sessionmaker) as session:
        [alert] = await session.scalars(select(Alert))
    assert alert.text == "Storm hits the coast" or "\x00" not in alert.text


async def test_a_nul_character_in_a_source(application, api, deliver):
    await deliver(api.user_message("/sources add https://feeds.example/a\x00.xml"))
    no_apology(api)
    assert api.sent_messages(chat_id=OWNER)[-1]["text"].startswith("Not a feed address")
    async with session_scope(services_of(application).sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Source)) == 0


@pytest.mark.parametrize(
    "data",
    ["al:a:99999999999:all", "al:ok:99999999999", "src:pause:99999999999", "ct:99999999999:tech"],
)
async def test_a_number_past_any_row_is_no_such_row(application, api, deliver, data):
    await deliver(api.user_message("/alert Storm hits the coast"))
    press = api.callback_query(data)
    await deliver(press)
    assert answered(api, press)
    no_apology(api)


@pytest.mark.parametrize(
    "text",
    ["/alert_edit 99999999999 New text", "/alert_retract 99999999999", "/related 99999999999"],
)
async def test_a_number_past_any_row_in_a_command(application, api, deliver, text):
    await deliver(api.user_message(text))
    no_apology(api)
    assert api.sent_messages(chat_id=OWNER)[-1]["text"]


@pytest.mark.parametrize("text", ["/latest te\x00ch", "/related https://news.example/\x00"])
async def test_a_nul_character_in_a_lookup(application, api, deliver, text):
    await deliver(api.user_message(text))
    no_apology(api)


@pytest.mark.parametrize("data", ["sr:\x00:1", "sr:ab\x00cd:0", "sr:é:1", "lt:te\x00ch:1"])
async def test_a_nul_character_in_a_pager(application, api, deliver, data):
    await articles(application)
    await deliver(api.user_message("/search bridge"))
    press = api.callback_query(data)
    await deliver(press)
    assert answered(api, press)
    no_apology(api)
