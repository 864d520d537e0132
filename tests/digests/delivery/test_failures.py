"""Failure codes from what PTB raises for each Bot API answer, in-process and over loopback HTTP."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import TelegramError

from bot.fakeapi import (
    Blocked,
    ChatNotFound,
    Deactivated,
    Disconnect,
    Error,
    FakeBotAPI,
    FakeBotAPIServer,
    FloodWait,
    Kicked,
    Migrated,
    ServerError,
    Timeout,
    bot_for,
)
from bot.request import AiohttpRequest
from digests.delivery.failures import FailureCode, failure_code, read_code
from tests.conftest import TEST_TOKEN

ANSWERS = [
    (Blocked(), FailureCode.BLOCKED),
    (Kicked("supergroup"), FailureCode.KICKED),
    (Kicked("channel"), FailureCode.KICKED),
    (Deactivated(), FailureCode.DEACTIVATED),
    (Error(403, "Forbidden: bot can't initiate conversation with a user"), FailureCode.FORBIDDEN),
    (ChatNotFound(), FailureCode.CHAT_NOT_FOUND),
    (Error(400, "Bad Request: group chat was deleted"), FailureCode.CHAT_NOT_FOUND),
    (Migrated(-1_001_000_000_123), FailureCode.MIGRATED),
    (FloodWait(3), FailureCode.RATE_LIMITED),
    (ServerError(502), FailureCode.SERVER_ERROR),
    (ServerError(503), FailureCode.SERVER_ERROR),
    (Timeout(hang=1), FailureCode.TIMEOUT),
    (Disconnect(), FailureCode.NETWORK),
    (Error(400, "Bad Request: message to edit not found"), FailureCode.MESSAGE_GONE),
    (Error(400, "Bad Request: message to delete not found"), FailureCode.MESSAGE_GONE),
    (Error(400, "Bad Request: message can't be edited"), FailureCode.CANNOT_EDIT),
    (Error(400, "Bad Request: message can't be deleted for everyone"), FailureCode.CANNOT_DELETE),
    (
        Error(400, "Bad Request: message is not modified: specified new message content and "),
        FailureCode.NOT_MODIFIED,
    ),
    (
        Error(400, "Bad Request: can't parse entities: unclosed start tag at byte offset 3"),
        FailureCode.BAD_HTML,
    ),
    (Error(400, "Bad Request: message is too long"), FailureCode.TOO_LONG),
    (Error(400, "Bad Request: not enough rights to send text messages"), FailureCode.NO_RIGHTS),
    (Error(400, "Bad Request: message thread not found"), FailureCode.THREAD_GONE),
    (Error(400, "Bad Request: TOPIC_CLOSED"), FailureCode.THREAD_GONE),
    (Error(400, "Bad Request: wrong parameter action in request"), FailureCode.BAD_REQUEST),
    (Error(401, "Unauthorized"), FailureCode.TOKEN_REJECTED),
]


@pytest.fixture(params=["in-process", "loopback-http"])
async def api_and_bot(request):
    api = FakeBotAPI()
    if request.param == "in-process":
        async with bot_for(api) as bot:
            yield api, bot
        return
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        bot = Bot(TEST_TOKEN, base_url=server.base_url, request=AiohttpRequest(read_timeout=0.3))
        async with bot:
            yield api, bot


@pytest.mark.parametrize(("fault", "code"), ANSWERS, ids=[code for _, code in ANSWERS])
async def test_each_answer_has_its_code(api_and_bot, fault, code):
    api, bot = api_and_bot
    api.fail_next(1, fault)
    with pytest.raises(TelegramError) as raised:
        await bot.send_message(42, "hello")
    assert failure_code(raised.value) is code


def test_an_error_that_is_not_telegrams_is_other():
    assert failure_code(ValueError("a bug")) is FailureCode.OTHER


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        ("blocked", FailureCode.BLOCKED),
        (None, FailureCode.OTHER),  # rows from before codes
        ("", FailureCode.OTHER),
        ("a_code_from_a_newer_release", FailureCode.OTHER),
    ],
)
def test_stored_codes_read_back_with_other_for_the_unknown(stored, code):
    assert read_code(stored) is code
