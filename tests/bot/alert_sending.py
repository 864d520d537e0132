"""The real sender on the recording fake, with a hook into its transport for desk races.

A desk test that needs an editor to act while a copy is on the wire (Cancel, an edit) gives
`hooked_sender` a coroutine: it runs inside the sender's request, before Telegram's answer
comes back, exactly where a press by the editor races the send.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from telegram import Bot

from bot.fakeapi import FakeBotAPI, RecordingRequest
from bot.fakeapi.request import request_params
from digests.db import session_scope
from digests.delivery.sender import Limits, Sender, SenderConfig
from digests.models import Topic
from tests.digests.delivery.sending import SimulatedClock
from tests.factories import add_chat

EDITOR = 1001  # ADMIN_IDS in the test settings

Hook = Callable[[str, dict[str, Any]], Awaitable[None]]


class HookedRequest(RecordingRequest):
    """RecordingRequest that awaits `hook(method, params)` while each request is in flight."""

    def __init__(self, api: FakeBotAPI, hook: Hook) -> None:
        super().__init__(api)
        self.hook = hook

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        """Run the hook, then answer from the fake."""
        await self.hook(url.rsplit("/", 1)[-1], request_params(request_data))
        return await super().do_request(url, method, request_data, *args, **kwargs)


def hooked_sender(api: FakeBotAPI, sessionmaker, hook: Hook, **overrides: Any) -> Sender:
    """A sender at 10 messages a second (simulated), one request at a time, with the hook."""
    clock = SimulatedClock()
    options: dict[str, Any] = dict(
        instance="test:desk",
        limits=Limits(rate=10, chat_interval=0.0, group_per_minute=1000),
        concurrency=1,
        poll_interval=0.02,
        flush_interval=0.01,
    )
    options.update(overrides)
    bot = Bot("123456:fake-token", request=HookedRequest(api, hook))
    return Sender(
        bot=bot,
        sessionmaker=sessionmaker,
        config=SenderConfig(**options),
        clock=clock,
        sleep=clock.sleep,
    )


async def many_readers(sessionmaker, count: int, *, first: int = 7000) -> list[int]:
    """`count` private readers of the first topic with alerts on, and the editor's own chat
    with alerts off; the readers' Telegram ids."""
    ids = list(range(first, first + count))
    async with session_scope(sessionmaker) as session:
        topic = await session.scalar(select(Topic).order_by(Topic.position).limit(1))
        for telegram_id in ids:
            await add_chat(session, telegram_id, topics=[topic])
        desk = await add_chat(session, EDITOR)
        desk.alerts_enabled = False
    return ids
