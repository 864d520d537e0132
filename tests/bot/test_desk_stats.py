"""/stats in the chat, and `newsbot stats` in the terminal."""

from __future__ import annotations

import struct
import sys

import pytest

from bot.context import services_of
from digests.db import session_scope
from digests.readers.chats import get_chat
from tests.bot.cli.running import newsbot
from tests.digests.delivery.sending import drain, make_sender, queue

OWNER = 1001
CHARTS_MISSING = "Charts need the charts extra: pip install 'newsbot[charts]'"


@pytest.fixture
def without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if newsbot were installed without the charts extra: importing matplotlib fails."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)


async def test_stats_answers_with_a_png_chart_and_a_summary(application, api, deliver):
    await deliver(api.user_message("/start", user_id=555))
    await deliver(api.user_message("/subscribe world", user_id=555))

    await deliver(api.user_message("/stats"))

    [call] = api.calls_to("sendPhoto")
    upload = call.params["photo"]
    png = upload["content"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1100, 800)
    assert len(png) < 1_000_000
    sent = api.sent_messages(chat_id=OWNER)[-1]
    assert api.message(OWNER, sent["message_id"])["photo"][0]["width"] == 1100
    caption = sent["caption"]
    assert caption.startswith("<b>Stats for the last 14 days</b>")
    assert "Active chats: 1" in caption
    assert "Joined: 1 · left: 0" in caption


async def test_stats_names_the_top_failure_in_the_editors_words(application, api, deliver):
    await deliver(api.user_message("/start", user_id=555))
    await deliver(api.user_message("/start", user_id=556))
    sessionmaker = services_of(application).sessionmaker
    for telegram_id in (555, 556):
        async with session_scope(sessionmaker) as session:
            reader = await get_chat(session=session, telegram_id=telegram_id)
        await queue(sessionmaker, reader.id, "Your digest", ref=f"d{telegram_id}")
        api.block(telegram_id)
    await drain(make_sender(api, sessionmaker), sessionmaker)

    await deliver(api.user_message("/stats"))

    caption = api.sent_messages(chat_id=OWNER)[-1]["caption"]
    assert "Delivered: 0 · failed: 2" in caption
    assert "Top failure: blocked the bot (2)" in caption


def test_newsbot_stats_prints_the_figures(tmp_path):
    url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    assert newsbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    chart = tmp_path / "chart.png"

    result = newsbot("stats", "--days", "3", "--chart", str(chart), cwd=tmp_path, DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Stats for the last 3 days (")
    assert "Active chats: 0" in lines
    assert "Subscribers by topic" in lines and "Failures by reason" in lines
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_newsbot_stats_on_an_empty_database_says_what_to_do(tmp_path):
    result = newsbot("stats", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}")
    assert result.returncode == 2
    assert "run `newsbot db upgrade` first" in result.stderr


async def test_stats_without_the_charts_extra_sends_the_figures_and_says_how(
    application, api, deliver, without_matplotlib
):
    await deliver(api.user_message("/start", user_id=555))

    await deliver(api.user_message("/stats"))

    assert api.calls_to("sendPhoto") == []
    assert api.sent_messages(chat_id=OWNER)[-1]["plain_text"].splitlines() == [
        "Stats for the last 14 days",
        "Active chats: 1",
        "Joined: 1 · left: 0",
        "Delivered: 0 · failed: 0",
        "Best campaign: no campaign (1 join)",
        "",
        CHARTS_MISSING,
    ]


async def test_the_charts_hint_is_translated(application, api, deliver, without_matplotlib):
    await deliver(api.user_message("/stats", language_code="pl"))

    text = api.sent_messages(chat_id=OWNER)[-1]["plain_text"]
    assert text.endswith("Wykresy wymagają dodatku charts: pip install 'newsbot[charts]'")


def test_newsbot_stats_chart_without_the_charts_extra(tmp_path, without_matplotlib):
    url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    assert newsbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    chart = tmp_path / "chart.png"

    result = newsbot("stats", "--chart", str(chart), cwd=tmp_path, DATABASE_URL=url)

    assert result.returncode == 1
    assert result.stdout.startswith("Stats for the last 14 days (")
    assert result.stderr == f"newsbot: {CHARTS_MISSING}\n"
    assert not chart.exists()
