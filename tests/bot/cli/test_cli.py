"""The newsbot command line as an operator uses it (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from digests.migrate import head_revision


def newsbot(
    *args: str, cwd, _input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with a clean newsbot environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        input=_input,
        text=True,
        timeout=60,
    )


def test_run_without_a_token_fails_with_one_line(tmp_path):
    result = newsbot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsbot: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its "
        "token in the environment or in .env"
    ]


def test_a_bad_setting_names_the_variable(tmp_path):
    result = newsbot("db", "upgrade", cwd=tmp_path, DEFAULT_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "newsbot: DEFAULT_TIMEZONE: unknown time zone 'Mars/Olympus' "
        "(use an IANA name such as Europe/Warsaw)"
    )


def test_db_upgrade_then_check_on_an_empty_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgraded = newsbot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith(f"empty -> {head_revision()}")
    checked = newsbot("db", "check", cwd=tmp_path, DATABASE_URL=url)
    assert checked.returncode == 0
    assert "models and migrations agree" in checked.stdout


def test_check_on_an_unmigrated_database_fails(tmp_path):
    result = newsbot("db", "check", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    assert "database at revision none" in result.stderr


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_need_no_configuration(tmp_path, flag):
    result = newsbot(flag, cwd=tmp_path)
    assert result.returncode == 0
    assert "newsbot" in result.stdout


def test_run_on_postgres_demands_migrations(tmp_path):
    server = os.environ.get("NEWSBOT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("NEWSBOT_TEST_POSTGRES_URL is not set")
    from tests.databases import PostgresDatabase

    database = PostgresDatabase(server)
    import asyncio

    from tests.databases import _admin

    asyncio.run(_admin(server, f'CREATE DATABASE "{database.name}"'))
    try:
        result = newsbot("run", cwd=tmp_path, DATABASE_URL=database.url, TELEGRAM_BOT_TOKEN="1:abc")
    finally:
        database.drop()
    assert result.returncode == 2
    needs = (
        f"is at revision none but this newsbot needs {head_revision()}: run `newsbot db upgrade`"
    )
    assert needs in result.stderr
