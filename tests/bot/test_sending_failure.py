"""`newsbot send` without its database for good: it fails loudly and exits non-zero."""

from __future__ import annotations

import asyncio
import logging

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from bot.sending import serve_sender
from digests.config import Settings
from tests.conftest import TEST_TOKEN


async def test_a_sender_that_cannot_reach_its_database_exits_non_zero(tmp_path, caplog):
    api = FakeBotAPI()
    directory_as_file = tmp_path / "newsbot.sqlite3"
    directory_as_file.mkdir()
    async with FakeBotAPIServer(api, token=TEST_TOKEN) as server:
        settings = Settings(
            telegram_bot_token=TEST_TOKEN,
            telegram_api_base_url=server.base_url,
            # A directory where the file should be: every connection fails, as a dead server's
            # would (a missing directory is refused before start by the settings themselves).
            database_url=f"sqlite:///{directory_as_file}",
            sender_give_up_seconds=5,
        )
        with caplog.at_level(logging.ERROR):
            code = await asyncio.wait_for(serve_sender(settings), timeout=60)

    assert code == 1
    assert "taking the instance lease failed (retrying" in caplog.text
    assert "giving up" in caplog.text and TEST_TOKEN not in caplog.text
