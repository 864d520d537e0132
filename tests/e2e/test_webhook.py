"""Webhook mode behind a proxy: a real `newsbot run` serving WEBHOOK_URL's path on loopback."""

from __future__ import annotations

import socket

import aiohttp

from tests.bot.cli.running import newsbot, newsbot_process
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import free_port, http_get, start_bot

SECRET = "s3cret_webhook-Token"
HOOK_URL = "https://news.example/tg/hook"


def webhook_set(call) -> bool:
    """The last call of a webhook instance's start: setWebhook."""
    return call.method == "setWebhook"


async def post(port: int, path: str, update: dict, secret: str | None) -> int:
    """POST an update as Telegram (or a forger) would; returns the HTTP status."""
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as client,
        client.post(f"http://127.0.0.1:{port}{path}", json=update, headers=headers) as response,
    ):
        return response.status


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path):
    ran = newsbot_process(
        "run",
        cwd=tmp_path,
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL=f"sqlite:///{tmp_path / 'hook.sqlite3'}",
        WEBHOOK_URL=HOOK_URL,
        WEBHOOK_SECRET="",
    )

    assert ran.returncode == 2
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "WEBHOOK_SECRET is not set" in lines[0]
    assert TEST_TOKEN not in ran.stderr


async def test_the_webhook_answers_on_its_path_with_the_secret_and_refuses_forgeries(tmp_path):
    port, metrics_port = free_port(), free_port()
    async with start_bot(
        tmp_path,
        ready=webhook_set,
        WEBHOOK_URL=HOOK_URL,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
        METRICS_PORT=str(metrics_port),
    ) as bot:
        api = bot.api
        [registered] = api.calls_to("setWebhook")
        assert registered.params["url"] == HOOK_URL
        assert registered.params["secret_token"] == SECRET

        forged = api.user_message("/start", user_id=666, first_name="Mallory")
        assert await post(port, "/tg/hook", forged, secret=None) == 403
        assert await post(port, "/tg/hook", forged, secret="s3cret_webhook-Tokem") == 403
        assert await post(port, "/tg/hook", forged, secret=SECRET[:-1]) == 403
        # Only WEBHOOK_URL's path is served: `/` is not a webhook, even with the secret.
        assert await post(port, "/", forged, secret=SECRET) == 404

        genuine = api.user_message("/start", user_id=777, first_name="Grace")
        assert await post(port, "/tg/hook", genuine, secret=SECRET) == 200
        reply = await api.wait_for_message(chat_id=777, contains="Welcome", timeout=30)

        assert reply["text"].startswith("👋 Welcome, Grace!")
        assert api.sent_messages(666) == []  # the forged /start never reached a handler
        _, metrics = await http_get(metrics_port, "/metrics")
        assert 'newsbot_updates_total{kind="message"} 1.0' in metrics
        assert not api.calls_to("getUpdates")
        assert await bot.stop() == 0
    log = bot.log()
    assert SECRET not in log and TEST_TOKEN not in log
    assert "refused a request without the secret (403)" in log


def test_a_webhook_port_already_taken_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = newsbot(
            "run",
            cwd=tmp_path,
            TELEGRAM_BOT_TOKEN=TEST_TOKEN,
            DATABASE_URL=f"sqlite:///{tmp_path / 'taken.sqlite3'}",
            WEBHOOK_URL=HOOK_URL,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_PORT=str(port),
        )

    assert ran.returncode == 2
    assert (
        ran.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"newsbot: WEBHOOK_PORT: cannot listen on 127.0.0.1:{port}: the port is already in use"
        )
    )
