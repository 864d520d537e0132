"""Crafted or hurried input never crashes a handler: every button and command, arbitrary data.

Each example goes through `application.process_update` as Telegram would send it. A handler
may answer, refuse (a UserError, worded by the error handler) or do nothing; any other
exception reaching the error handler is a crash, and so is the apology a user would read.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.app import build_application
from bot.context import services_of
from bot.fakeapi import FakeBotAPI, RecordingRequest
from digests.db import session_scope
from digests.errors import UserError
from digests.models import Topic, utcnow
from tests.factories import add_article, add_source

OWNER = 1001
GROUP = -100_4242
APOLOGY = "something went wrong on our side"


def _handlers(application, kind):
    return [h for group in application.handlers.values() for h in group if isinstance(h, kind)]


def _prefixes(application) -> list[str]:
    """The literal start of every registered button pattern ("st:", "al:ok:", …)."""
    prefixes = []
    for handler in _handlers(application, CallbackQueryHandler):
        pattern = handler.pattern.pattern if hasattr(handler.pattern, "pattern") else ""
        prefixes.append(re.sub(r"[\^$]", "", pattern))
    return sorted(set(prefixes))


def _commands(application) -> list[str]:
    return sorted(c for h in _handlers(application, CommandHandler) for c in h.commands)


def _fit(data: str, limit: int = 64) -> str:
    """Cut to Telegram's 64-byte callback data."""
    return data.encode()[:limit].decode(errors="ignore")


class Harness:
    """One application over the recording fake, with errors recorded instead of only logged."""

    def __init__(self, settings) -> None:
        self.api = FakeBotAPI()
        # Hundreds of updates a second from two users: the flood guard would stop most.
        unlimited = settings.model_copy(update={"flood_rate": 1e9, "flood_burst": 10**9})
        self.app = build_application(
            unlimited,
            request=RecordingRequest(self.api),
            get_updates_request=RecordingRequest(self.api),
        )
        self.crashes: list[BaseException] = []
        self.prefixes: list[str] = []

    async def start(self) -> None:
        # Telegram's pace (20 messages a minute to a group) would have the rate limiter wait
        # minutes here; the fake has no such limit, and the limiter is not under test.
        limiter = self.app.bot.rate_limiter
        limiter._group_max_rate, limiter._base_limiter = 0, None  # type: ignore[union-attr]
        await self.app.initialize()
        await self.app.post_init(self.app)
        self.app.add_error_handler(self._record)
        self.api.set_chat(GROUP, "supergroup", "Newsroom")
        self.api.set_member(GROUP, OWNER, "administrator")
        async with session_scope(services_of(self.app).sessionmaker) as session:
            now = utcnow()
            tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
            source = await add_source(session, "https://feeds.example/a.xml", "A")
            for n in range(12):
                await add_article(
                    session,
                    n,
                    topics={tech: 1.0},
                    fetched_at=now - timedelta(hours=n),
                    source=source,
                )
        # Messages with keyboards to press: /latest, /search, /settings, an alert card.
        for chat_id in (None, GROUP):
            for text in ("/latest", "/search article", "/settings", "/sources", "/alert Hello"):
                await self.send(self.api.user_message(text, chat_id=chat_id))
                await self.send(self.api.user_message(text, user_id=77, chat_id=chat_id))
        await self.send(self.api.user_message("/settings"))
        await self.send(self.api.callback_query("st:freq"))  # the frequency choices
        await self.send(self.api.user_message("/settings"))
        await self.send(self.api.callback_query("st:freq:weekly"))  # the weekdays
        # Each pattern's prefix, and each shown button's data up to its last part ("st:freq:").
        stems = {
            data.rsplit(":", 1)[0] + ":"
            for chat_id in (OWNER, GROUP)
            for _, data in _buttons(self.api, chat_id)
        }
        self.prefixes = sorted(set(_prefixes(self.app)) | stems)

    async def stop(self) -> None:
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()

    async def _record(self, update: object, context: Any) -> None:
        if not isinstance(context.error, UserError):
            self.crashes.append(context.error)

    async def send(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def check(self) -> None:
        crashes, self.crashes = self.crashes, []
        assert crashes == [], crashes
        for message in self.api.sent_messages():
            assert APOLOGY not in message.get("text", "").lower(), message["text"]


@pytest.fixture
async def harness(settings):
    harness = Harness(settings)
    await harness.start()
    yield harness
    await harness.stop()


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text, with what breaks things more often: NUL, markup, bidi and joiners, separators.
HOSTILE = st.sampled_from(
    ["\x00", "<b>", "&amp;", "\u202e", "\u200d", "🏳️‍🌈", ":", " ", "-", "9" * 12, "1", "-1"]
    + ["add", "remove", "tech", "https://news.example/1", "link=", "@channel", "08:00", "UTC"]
)
TEXT = st.lists(
    st.one_of(st.text(st.characters(codec="utf-8"), max_size=12), HOSTILE), max_size=8
).map("".join)
WHERE = st.sampled_from(["private", "group", "inline"])


def _buttons(api: FakeBotAPI, chat_id: int) -> list[tuple[int, str]]:
    """(message id, callback data) of every button on the bot's messages in a chat."""
    chat = api.chat(chat_id)
    found = []
    for message_id in sorted(chat.bot_message_ids):
        markup = (chat.messages.get(message_id) or {}).get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            found += [(message_id, b["callback_data"]) for b in row if "callback_data" in b]
    return found


def _target(api: FakeBotAPI, chat_id: int, prefix: str) -> tuple[int | None, str | None]:
    """The newest bot message with a `prefix` button and that button's data, else the newest."""
    buttons = [b for b in _buttons(api, chat_id) if b[1].startswith(prefix)]
    if buttons:
        return buttons[-1]
    return api.chat(chat_id).last_bot_message_id, None


@FUZZ
@given(data=st.data(), tail=TEXT, where=WHERE, user=st.sampled_from([OWNER, 77]))
async def test_any_press_of_any_button(harness, data, tail, where, user):
    """A button pressed again (a double tap), or any pattern's prefix with any data after it."""
    api = harness.api
    chat = GROUP if where == "group" else OWNER
    prefix = data.draw(st.sampled_from(harness.prefixes))
    message_id, shown = _target(api, chat, prefix)
    query = shown if shown is not None and data.draw(st.booleans()) else _fit(prefix + tail)
    update = api.callback_query(query, user_id=user, message_chat_id=chat, message_id=message_id)
    if where == "inline":
        update["callback_query"].pop("message", None)
        update["callback_query"]["inline_message_id"] = "AAAA-inline"
    await harness.send(update)
    harness.check()


async def test_every_button_pressed_twice(harness):
    """A double tap on each button the bot has shown: the second press finds the first's work."""
    for chat in (OWNER, GROUP):
        for message_id, query in _buttons(harness.api, chat):
            for _ in range(2):
                press = harness.api.callback_query(
                    query, message_chat_id=chat, message_id=message_id
                )
                await harness.send(press)
                harness.check()


@FUZZ
@given(data=st.data(), tail=TEXT, where=WHERE, user=st.sampled_from([OWNER, 77]))
async def test_any_command_with_any_text(harness, data, tail, where, user):
    """Every command with any text after it, and any text alone (a search, a settings answer)."""
    command = data.draw(st.sampled_from([*_commands(harness.app), ""]))
    chat = GROUP if where == "group" else None
    text = f"/{command} {tail}" if command else tail
    if not text.strip():
        return
    if not command and data.draw(st.booleans()):  # an answer to a settings question
        await harness.send(harness.api.user_message("/settings", user_id=user, chat_id=chat))
        question = data.draw(st.sampled_from(["st:times", "st:tz", "st:quiet"]))
        where_id = GROUP if chat else user
        await harness.send(
            harness.api.callback_query(question, user_id=user, message_chat_id=where_id)
        )
        prompt = harness.api.chat(where_id).last_bot_message_id
        update = harness.api.user_message(
            text, user_id=user, chat_id=chat, reply_to_message_id=prompt
        )
        await harness.send(update)
    else:
        await harness.send(harness.api.user_message(text, user_id=user, chat_id=chat))
    harness.check()
