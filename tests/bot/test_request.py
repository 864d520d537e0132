"""AiohttpRequest speaks the Bot API over loopback HTTP and maps failures as PTB expects."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.fakeapi import (
    Blocked,
    Disconnect,
    FakeBotAPI,
    FakeBotAPIServer,
    FloodWait,
    Migrated,
    ServerError,
    Timeout,
)
from bot.request import AiohttpRequest
from tests.conftest import TEST_TOKEN


@pytest.fixture
async def served():
    api = FakeBotAPI()
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        bot = Bot(TEST_TOKEN, base_url=server.base_url, request=AiohttpRequest(read_timeout=0.5))
        async with bot:
            yield api, bot


async def test_sends_messages_with_markup_and_reads_the_answer(served):
    api, bot = served
    keyboard = {"inline_keyboard": [[{"text": "Read", "url": "https://example.org/a"}]]}

    message = await bot.send_message(
        42, "<b>Hello</b> &amp; welcome", parse_mode="HTML", reply_markup=keyboard
    )

    [sent] = api.sent_messages(42)
    assert sent["plain_text"] == "Hello & welcome" and sent["reply_markup"] == keyboard
    assert message.message_id == sent["message_id"] and bot.username == "newsbot_test_bot"


async def test_uploads_a_photo_as_multipart(served):
    api, bot = served
    await bot.send_photo(42, photo=b"\x89PNG fake bytes", caption="A picture")
    [sent] = api.sent_messages(42)
    assert sent["method"] == "sendPhoto" and sent["caption"] == "A picture"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (FloodWait(3), RetryAfter),
        (Blocked(), Forbidden),
        (Migrated(-1_001_000_000_123), ChatMigrated),
        (ServerError(502), NetworkError),
        (Timeout(hang=2), TimedOut),
        (Disconnect(), NetworkError),
    ],
)
async def test_failures_become_ptb_errors(served, fault, error):
    api, bot = served
    api.fail_next(1, fault, method="sendMessage")
    with pytest.raises(error):
        await bot.send_message(42, "x")


async def test_bad_html_is_a_bad_request(served):
    _, bot = served
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(42, "<b>unclosed", parse_mode="HTML")


async def test_an_uninitialised_request_says_so():
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/bot/getMe", "POST")
