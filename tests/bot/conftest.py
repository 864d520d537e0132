"""Bot fixtures: the real Application over the recording fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Update

from bot.app import NewsApplication, build_application
from bot.fakeapi import FakeBotAPI, RecordingRequest
from digests.config import Settings

Deliver = Callable[[dict[str, Any]], Awaitable[None]]


@pytest.fixture
def api() -> FakeBotAPI:
    """The fake Bot API the application talks to."""
    return FakeBotAPI()


@asynccontextmanager
async def running_application(
    settings: Settings, api: FakeBotAPI
) -> AsyncIterator[NewsApplication]:
    """The application as `newsbot run` builds it, initialised, with post_init run."""
    app = build_application(
        settings, request=RecordingRequest(api), get_updates_request=RecordingRequest(api)
    )
    await app.initialize()
    await app.post_init(app)
    try:
        yield app
    finally:
        await app.post_shutdown(app)
        await app.shutdown()


@pytest.fixture
async def application(settings: Settings, api: FakeBotAPI) -> AsyncIterator[NewsApplication]:
    """The application as `newsbot run` builds it, initialised, with post_init run."""
    async with running_application(settings, api) as app:
        yield app


@pytest.fixture
async def twin(settings: Settings, api: FakeBotAPI) -> AsyncIterator[NewsApplication]:
    """A second application on the same database and bot, as a second process would be."""
    async with running_application(settings, api) as app:
        yield app


@pytest.fixture
def deliver(application: NewsApplication) -> Deliver:
    """Feed an update (as the fake API built it) through application.process_update."""

    async def _deliver(update: dict[str, Any]) -> None:
        await application.process_update(Update.de_json(update, application.bot))

    return _deliver
