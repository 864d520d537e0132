"""The newsbot command line as an operator uses it: in process, and one real process per group."""

from __future__ import annotations

import os

import pytest

from digests.migrate import head_revision
from tests.bot.cli.running import newsbot, newsbot_process

GROUPS = [
    "run",
    "db",
    "preview",
    "ingest",
    "sources",
    "topics",
    "send",
    "stats",
    "demo",
    "related",
    "links",
]
# What `newsbot --version` must not load: together they took it from 0.1 s to 2 s.
HEAVY_PACKAGES = {"alembic", "matplotlib", "numpy", "pydantic", "sqlalchemy", "telegram"}


@pytest.mark.parametrize("group", GROUPS)
def test_every_command_group_answers_in_a_real_process(tmp_path, group):
    result = newsbot_process(group, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: newsbot {group} ")


def test_version_answers_without_loading_the_heavy_libraries(tmp_path):
    result = newsbot_process("--version", cwd=tmp_path, PYTHONPROFILEIMPORTTIME="1")
    assert (result.returncode, result.stdout) == (0, "newsbot, version 0.1.0\n")
    # -X importtime lines end with the module's dotted name: "import time: 12 | 34 | a.b".
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()
    }
    assert "click" in imported
    assert imported & HEAVY_PACKAGES == set()


def test_help_lists_every_group(tmp_path):
    result = newsbot("--help", cwd=tmp_path)
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines()]
    assert listed == sorted(GROUPS)  # click lists commands alphabetically


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
