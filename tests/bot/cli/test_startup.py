"""Start-up failures, from real `newsbot run` and `newsbot send` processes: one or two lines
on stderr naming the cause and what to do, a non-zero exit, and never the token."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from tests.bot.cli.running import Ran, newsbot_process
from tests.conftest import TEST_TOKEN

WRONG_TOKEN = "123:WRONG"


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPIServer]:
    """The loopback fake Bot API, accepting only TEST_TOKEN."""
    with FakeBotAPIServer(FakeBotAPI(), token=TEST_TOKEN) as server:
        yield server


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(command: str, tmp_path, *, token: str, base_url: str, **env: str) -> Ran:
    """`newsbot COMMAND` as a process, on a SQLite file in tmp_path unless told otherwise."""
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'newsbot.sqlite3'}")
    return newsbot_process(
        command, cwd=tmp_path, TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=base_url, **env
    )


def failure_lines(ran: Ran, token: str) -> list[str]:
    """stderr's lines without the first run's migration notice, after checking the token."""
    assert token not in ran.stderr + ran.stdout
    assert "Traceback" not in ran.stderr
    return [line for line in ran.stderr.splitlines() if not line.startswith("database upgraded")]


@pytest.mark.parametrize("command", ["run", "send"])
def test_a_rejected_token_is_one_line_without_the_token(tmp_path, fake_api, command):
    ran = start(command, tmp_path, token=WRONG_TOKEN, base_url=fake_api.base_url)

    assert ran.returncode == 1
    host = fake_api.base_url.removesuffix("/bot")
    assert failure_lines(ran, WRONG_TOKEN) == [
        f"newsbot: the Bot API at {host} rejected the token: set TELEGRAM_BOT_TOKEN to the "
        "token @BotFather gave this bot (/mybots → API Token)"
    ]


def test_a_wrong_api_path_is_one_line_without_the_token(tmp_path, fake_api):
    wrong = fake_api.base_url.removesuffix("/bot") + "/telegram"
    ran = start("run", tmp_path, token=TEST_TOKEN, base_url=wrong)

    assert ran.returncode == 1
    assert failure_lines(ran, TEST_TOKEN) == [
        f"newsbot: the Bot API at {wrong} answered 404 Not Found: check TELEGRAM_API_BASE_URL "
        "(a Bot API server's root, or its URL ending in /bot) and TELEGRAM_BOT_TOKEN"
    ]


@pytest.mark.parametrize("command", ["run", "send"])
def test_an_unreachable_bot_api_is_one_line(tmp_path, command):
    where = f"http://127.0.0.1:{closed_port()}"
    ran = start(command, tmp_path, token=TEST_TOKEN, base_url=where)

    assert ran.returncode == 1
    assert failure_lines(ran, TEST_TOKEN) == [
        f"newsbot: cannot reach the Bot API at {where}: connection refused; "
        "check TELEGRAM_API_BASE_URL"
    ]


def test_at_debug_level_the_token_is_redacted_everywhere(tmp_path, fake_api):
    ran = start("run", tmp_path, token=WRONG_TOKEN, base_url=fake_api.base_url, LOG_LEVEL="DEBUG")

    assert ran.returncode == 1
    assert WRONG_TOKEN not in ran.stderr and "123%3AWRONG" not in ran.stderr
    # The traceback is there for whoever asked for DEBUG, with the token replaced.
    assert "DEBUG bot.cli.main: start-up failure" in ran.stderr
    assert "The token `<token>` was rejected by the server." in ran.stderr
    assert ran.stderr.rstrip().splitlines()[-1].startswith("newsbot: the Bot API at ")


def test_a_database_that_does_not_exist_is_one_line(tmp_path, postgres_database):
    if postgres_database is None:
        pytest.skip("NEWSBOT_TEST_POSTGRES_URL is not set")
    url = postgres_database.url.rsplit("/", 1)[0] + "/newsbot_nosuch_database"
    ran = start("run", tmp_path, token=TEST_TOKEN, base_url="http://127.0.0.1:9", DATABASE_URL=url)

    assert ran.returncode == 1
    assert failure_lines(ran, TEST_TOKEN) == [
        "newsbot: the database postgresql+asyncpg://"
        + url.split("://", 1)[1]
        + " does not exist: create it (createdb newsbot_nosuch_database)"
    ]


@pytest.mark.parametrize("command", ["run", "send"])
def test_a_database_refusing_connections_is_one_line(tmp_path, command):
    url = f"postgresql://newsbot@127.0.0.1:{closed_port()}/newsbot"
    ran = start(
        command, tmp_path, token=TEST_TOKEN, base_url="http://127.0.0.1:9", DATABASE_URL=url
    )

    assert ran.returncode == 1
    assert failure_lines(ran, TEST_TOKEN) == [
        f"newsbot: cannot connect to the database {url.replace('postgresql', 'postgresql+asyncpg')}"
        ": connection refused; is the server running? Check DATABASE_URL"
    ]


def test_a_sqlite_file_in_a_missing_directory_is_one_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'nowhere' / 'newsbot.sqlite3'}"
    ran = start("run", tmp_path, token=TEST_TOKEN, base_url="http://127.0.0.1:9", DATABASE_URL=url)

    assert ran.returncode == 2
    assert failure_lines(ran, TEST_TOKEN) == [
        f"newsbot: DATABASE_URL: the directory {tmp_path / 'nowhere'} does not exist: "
        "create it first"
    ]
