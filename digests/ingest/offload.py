"""Parsing feeds off the event loop, in a worker process.

feedparser is pure Python: a 9.5 MB feed kept the bot's event loop busy for 27 s, and a thread
would still hold the interpreter lock most of that time. One spawned worker process parses
every fetched document (the poller stores them one at a time anyway); a worker that dies (a
crash, or the system's OOM killer) fails that one source and is replaced for the next.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from digests.ingest.entries import ParsedFeed
from digests.ingest.parse import parse_document

_pool: ProcessPoolExecutor | None = None


def _worker() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the bot's process has threads and a running event loop.
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def shut_down() -> None:
    """Stop the worker process (it is started again when next needed)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


async def parse_off_loop(
    data: bytes, *, base_url: str | None, now: datetime, content_type: str | None = None
) -> ParsedFeed:
    """parse_document() in the worker process; the event loop stays free meanwhile."""
    call = functools.partial(
        parse_document, data, base_url=base_url, now=now, content_type=content_type
    )
    try:
        return await asyncio.get_running_loop().run_in_executor(_worker(), call)
    except BrokenProcessPool:
        shut_down()
        return ParsedFeed(
            format="xml", problems=["feed: the parser stopped on this document (out of memory?)"]
        )
