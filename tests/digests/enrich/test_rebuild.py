"""`related rebuild` on both databases: embeddings, stories and links for the whole archive,
resumed where an interrupted run stopped."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from digests.db import session_scope
from digests.enrich.linker import Linker
from digests.enrich.linking import LinkSettings
from digests.enrich.rebuild import rebuild_batch, start_rebuild
from digests.ingest.entries import EntryData
from digests.ingest.store import EnrichSettings, Pipeline
from digests.models import Article, ArticleEmbedding, RebuildProgress
from tests.events import EVENTS

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _entries() -> list[EntryData]:
    return [
        EntryData(
            title=title,
            url=f"https://{language}.example/{key}/{n}",
            text=lead,
            language=language,
            published_at=datetime(2026, 11, 20, 8, n, tzinfo=UTC),
        )
        for key in ("tram", "cup", "drought")
        for n, (language, title, lead) in enumerate(EVENTS[key])
        if language == "en"
    ]


async def _run(sessionmaker, linker, *, batches=None):
    async with session_scope(sessionmaker) as session:
        start = await start_rebuild(session=session, linker=linker, now=NOW)
    last, done = start.last_id, 0
    while batches is None or batches > 0:
        async with session_scope(sessionmaker) as session:
            last, count = await rebuild_batch(
                session=session, linker=linker, after_id=last, now=NOW, batch=2
            )
        if not count:
            break
        done += count
        batches = None if batches is None else batches - 1
    return start, done


async def test_an_interrupted_rebuild_resumes_and_links_the_whole_archive(sessionmaker):
    async with session_scope(sessionmaker) as session:
        await Pipeline(EnrichSettings(embedder="none")).store(
            session=session, entries=_entries(), source=None, now=NOW
        )
    first, done = await _run(sessionmaker, Linker(LinkSettings(), "english"), batches=2)
    assert (first.resumed, first.remaining, done) == (False, 6, 4)
    # A new process: the progress row says where to go on.
    second, rest = await _run(sessionmaker, Linker(LinkSettings(), "english"))
    assert (second.resumed, second.last_id, rest) == (True, 4, 2)
    async with session_scope(sessionmaker) as session:
        stories: dict[str, set[int]] = {}
        for article in await session.scalars(select(Article)):
            stories.setdefault(article.url.split("/")[3], set()).add(article.story_id)
        vectors = await session.scalar(
            select(func.count()).where(ArticleEmbedding.model == "wordllama-l2_supercat-256")
        )
        progress = await session.get(RebuildProgress, "related")
    assert vectors == 6 and progress.finished_at is not None
    # One story per event, across the resumption, and no two events in one.
    assert all(len(ids) == 1 for ids in stories.values())
    assert len(set().union(*stories.values())) == 3
