"""`newsbot demo`: chat with newsbot in the terminal, before creating a bot (bot/demo.py)."""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import with_database

if TYPE_CHECKING:
    from digests.config import Settings


def demo_settings(settings: Settings, directory: Path) -> Settings:
    """The operator's settings, but on a scratch database, the demo token and shipped topics."""
    from pydantic import SecretStr

    from bot.demo import DEMO_TOKEN, DEMO_USER

    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(DEMO_TOKEN),
            "database_url": f"sqlite:///{directory / 'demo.sqlite3'}",
            "admin_ids": [DEMO_USER],
            "newsbot_config": None,  # the shipped topics, and no feeds to fetch from the web
            "webhook_url": None,
            "sender_enabled": True,
            "sender_instance_id": "demo",
            "sender_chat_interval": 0.05,  # a digest's parts at once: there is no Telegram limit
            "sender_poll_interval": 0.2,
        }
    )


async def _ingest_sample(settings: Settings) -> Any:
    from bot.demo import fresh_sample
    from digests.db import session_scope
    from digests.ingest.catalog import load_catalog, sync_catalog
    from digests.ingest.push import ingest_document
    from digests.ingest.setup import enrich_settings
    from digests.ingest.store import Pipeline
    from digests.models import utcnow
    from digests.resources import samples_dir

    now = utcnow()
    data = fresh_sample((samples_dir() / "newsroom.xml").read_bytes(), now)

    async def work(sessionmaker: Any) -> Any:
        async with session_scope(sessionmaker) as session:  # the topics articles are tagged with
            await sync_catalog(session=session, catalog=load_catalog(settings.config_path))
        return await ingest_document(
            sessionmaker=sessionmaker,
            data=data,
            origin=None,
            pipeline=Pipeline(enrich_settings(settings)),
            now=now,
        )

    return await with_database(settings, work)


@click.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """Chat with newsbot in the terminal, against a local stand-in for Telegram (no token)."""
    from bot.demo import chat_in_terminal
    from bot.fakeapi import FakeBotAPI
    from digests import migrate

    if settings.log_level != "DEBUG":  # the conversation is the output
        logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as directory:
        scratch = demo_settings(settings, Path(directory))
        migrate.upgrade(scratch.database_url)
        report = asyncio.run(_ingest_sample(scratch))
        click.echo(f"(sample archive: {report.added} invented articles from samples/newsroom.xml)")
        stdin = sys.stdin
        api = FakeBotAPI(username="newsbot_demo_bot", first_name="newsbot demo")
        asyncio.run(
            chat_in_terminal(
                scratch,
                api,
                stdin.readline,
                sys.stdout,
                ansi=sys.stdout.isatty(),
                echoed=stdin.isatty(),
            )
        )
