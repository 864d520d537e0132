"""Waiting for calls and messages, from any event loop or thread.

The fake may be driven from the test's event loop (RecordingRequest, or the
aiohttp server in the same loop) or from a server thread with its own loop.
So waiters do not share one asyncio primitive: each waiter registers a wake-up
callback with a ``Notifier``; a change wakes async waiters through their own
loop (``call_soon_threadsafe`` when the change happens on another thread) and
sync waiters through a ``threading.Event``. Waiters re-check their condition
after every wake-up, so missed or spurious wake-ups are harmless.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

from .jsontypes import JSON

if TYPE_CHECKING:
    from .state import Call

__all__ = ["Notifier", "WaitingMixin"]

T = TypeVar("T")


class Notifier:
    """Wakes every registered waiter; nearly free when nobody waits."""

    def __init__(self) -> None:
        self._waiters: set[Callable[[], None]] = set()
        self._lock = threading.Lock()

    def notify(self) -> None:
        """Wake all current waiters (they re-check their conditions)."""
        if not self._waiters:  # hot path during benchmarks: no waiters, no work
            return
        with self._lock:
            waiters = tuple(self._waiters)
        for wake in waiters:
            wake()

    @contextmanager
    def _registered(self, wake: Callable[[], None]) -> Iterator[None]:
        with self._lock:
            self._waiters.add(wake)
        try:
            yield
        finally:
            with self._lock:
                self._waiters.discard(wake)

    async def wait_until(self, check: Callable[[], T | None], timeout: float) -> T | None:
        """Await until ``check()`` returns non-None (returned) or ``timeout`` s pass (None)."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        owner = threading.get_ident()

        def wake() -> None:
            if threading.get_ident() == owner:
                event.set()
            else:
                with suppress(RuntimeError):  # the waiter's loop may be closed already
                    loop.call_soon_threadsafe(event.set)

        deadline = loop.time() + timeout
        with self._registered(wake):  # register before checking: no lost wake-up
            while True:
                event.clear()
                result = check()
                if result is not None:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                with suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)

    def wait_until_sync(self, check: Callable[[], T | None], timeout: float) -> T | None:
        """Blocking twin of ``wait_until`` for threads without an event loop."""
        event = threading.Event()
        deadline = time.monotonic() + timeout
        with self._registered(event.set):
            while True:
                event.clear()
                result = check()
                if result is not None:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                event.wait(remaining)


def _text_of(record: JSON) -> str:
    return "\n".join(str(record.get(key) or "") for key in ("text", "caption", "plain_text"))


class WaitingMixin:
    """Waiting helpers of FakeBotAPI; ``*_sync`` variants block the calling thread."""

    calls: list[Call]
    _calls_changed: Notifier
    _sent_list: Callable[[Any], list[JSON]]  # FakeBotAPI._sent_list

    def _call_finder(
        self, predicate: Callable[[Call], bool], after: int
    ) -> Callable[[], Call | None]:
        cursor = after

        def find() -> Call | None:
            nonlocal cursor
            calls = self.calls[cursor:]  # a slice is atomic under the GIL
            for call in calls:
                if call.response is not None and predicate(call):
                    return call
            # In-flight calls are re-checked later, when their response is set.
            done = next((i for i, c in enumerate(calls) if c.response is None), len(calls))
            cursor += done
            return None

        return find

    def _message_finder(
        self, chat_id: Any, contains: str | None, after: int
    ) -> Callable[[], JSON | None]:
        cursor = after

        def find() -> JSON | None:
            nonlocal cursor
            records = self._sent_list(chat_id)[cursor:]
            cursor += len(records)
            for record in records:
                if contains is None or contains in _text_of(record):
                    return record
            return None

        return find

    def _timeout(self, what: str, timeout: float) -> TimeoutError:
        recent = ", ".join(f"{c.method}({c.params.get('chat_id', '')})" for c in self.calls[-8:])
        return TimeoutError(f"no {what} within {timeout} s; last calls: [{recent}]")

    async def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Await until ``condition()`` is truthy after some call; return its value."""
        result = await self._calls_changed.wait_until(lambda: condition() or None, timeout)
        if result is None:
            raise self._timeout("condition", timeout)
        return result

    async def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0, *, after: int = 0
    ) -> Call:
        """Await the first completed call (from index ``after`` of ``calls``) matching."""
        call = await self._calls_changed.wait_until(self._call_finder(predicate, after), timeout)
        if call is None:
            raise self._timeout("matching call", timeout)
        return call

    async def wait_for_message(
        self,
        chat_id: Any = None,
        contains: str | None = None,
        timeout: float = 5.0,
        *,
        after: int = 0,
    ) -> JSON:
        """Await the first sent message to ``chat_id`` (None: any) whose text contains ``contains``.

        ``after`` skips that many earlier entries of ``sent_messages(chat_id)``.
        """
        finder = self._message_finder(chat_id, contains, after)
        record = await self._calls_changed.wait_until(finder, timeout)
        if record is None:
            raise self._timeout(f"message to {chat_id} containing {contains!r}", timeout)
        return record

    def wait_until_sync(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Blocking ``wait_until`` (for a server running in its own thread)."""
        result = self._calls_changed.wait_until_sync(lambda: condition() or None, timeout)
        if result is None:
            raise self._timeout("condition", timeout)
        return result

    def wait_for_sync(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0, *, after: int = 0
    ) -> Call:
        """Blocking ``wait_for``."""
        call = self._calls_changed.wait_until_sync(self._call_finder(predicate, after), timeout)
        if call is None:
            raise self._timeout("matching call", timeout)
        return call

    def wait_for_message_sync(
        self,
        chat_id: Any = None,
        contains: str | None = None,
        timeout: float = 5.0,
        *,
        after: int = 0,
    ) -> JSON:
        """Blocking ``wait_for_message``."""
        finder = self._message_finder(chat_id, contains, after)
        record = self._calls_changed.wait_until_sync(finder, timeout)
        if record is None:
            raise self._timeout(f"message to {chat_id} containing {contains!r}", timeout)
        return record
