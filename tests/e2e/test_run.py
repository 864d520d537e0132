"""`newsbot run` answers a reader over HTTP, and shuts down cleanly."""

from __future__ import annotations

from tests.conftest import TEST_TOKEN


async def test_a_user_sends_start_and_receives_the_welcome(running_bot):
    api = running_bot.api
    api.user_message("/start", user_id=31337, first_name="Grace")

    reply = await api.wait_for_message(chat_id=31337, contains="Welcome", timeout=30)

    assert reply["text"].startswith("👋 Welcome, Grace!")
    assert [c.method for c in api.calls if c.method == "setMyCommands"]
    assert await running_bot.stop() == 0
    log = running_bot.log()
    assert "database upgraded from empty" in log
    assert TEST_TOKEN not in log


async def test_run_starts_with_the_env_example_copied_to_dotenv(tmp_path):
    from tests.e2e.conftest import SAMPLE_FEED, start_bot

    example = SAMPLE_FEED.parents[1] / ".env.example"
    (tmp_path / ".env").write_text(example.read_text())  # NEWSBOT_CONFIG= and the rest empty
    async with start_bot(tmp_path) as bot:
        bot.api.user_message("/start", user_id=5150, first_name="Eve")
        await bot.api.wait_for_message(chat_id=5150, contains="Welcome", timeout=30)
        assert await bot.stop() == 0
    assert "cannot read" not in bot.log()
