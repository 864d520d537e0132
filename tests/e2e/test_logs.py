"""LOG_FORMAT=json: a real process writes one JSON object per line, with no secret in any."""

from __future__ import annotations

import json
import logging
import sys

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from digests.logs import REDACTED, JsonFormatter
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import spawn


async def test_newsbot_run_logs_json_lines_without_secrets(tmp_path):
    api = FakeBotAPI()
    database_url = f"sqlite:///{tmp_path / 'json.sqlite3'}"
    async with (
        FakeBotAPIServer(api, token=TEST_TOKEN) as server,
        spawn(api, server.base_url, database_url, tmp_path, LOG_FORMAT="json") as bot,
    ):
        api.user_message("/start", user_id=4545)
        await api.wait_for_message(chat_id=4545, contains="Welcome", timeout=30)
        assert await bot.stop() == 0

    lines = [line for line in bot.log().splitlines() if line.strip()]
    # Migrations print one plain line to the terminal before logging is in charge of stderr.
    entries = [json.loads(line) for line in lines if not line.startswith("database upgraded")]
    assert len(entries) >= 5
    assert all(set(entry) >= {"time", "level", "logger", "message"} for entry in entries)
    messages = [entry["message"] for entry in entries]
    assert any(message.startswith("SIGTERM: stopping") for message in messages)
    assert any(message.startswith("stopped in") for message in messages)
    assert TEST_TOKEN not in bot.log()


def test_a_traceback_is_a_field_of_its_one_line_and_secrets_are_redacted():
    formatter = JsonFormatter([TEST_TOKEN])
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TEST_TOKEN}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "bot", logging.ERROR, __file__, 1, "calling %s", (TEST_TOKEN,), sys.exc_info()
        )

    line = formatter.format(record)

    assert "\n" not in line and TEST_TOKEN not in line
    entry = json.loads(line)
    assert entry["message"] == f"calling {REDACTED}"
    assert "RuntimeError" in entry["exc"] and REDACTED in entry["exc"]
