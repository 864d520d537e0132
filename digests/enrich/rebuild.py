"""`newsbot related rebuild`: embeddings, stories and links recomputed for the whole archive,
in batches the caller commits one by one, resumable where it stopped.

A fresh rebuild clears every story and link, then links the archive in id order (the order
it arrived in) as ingest would have, each article against those before it; its progress
(`rebuild_progress`, job "related") names the embedder, so a resumed run with another
EMBEDDER starts afresh rather than mixing two models' vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.linker import Linker
from digests.models import Article, ArticleEmbedding, RebuildProgress, RelatedArticle, Story

JOB = "related"
BATCH = 500


@dataclass(frozen=True)
class RebuildStart:
    """Where a rebuild starts: after `last_id`, with `remaining` articles to go."""

    last_id: int
    remaining: int
    resumed: bool


def model_name(linker: Linker) -> str:
    """The name progress is recorded under: the embedder's, or none."""
    archive = linker.archive
    return archive.embedder.name if archive and archive.embedder else "none"


async def start_rebuild(
    *, session: AsyncSession, linker: Linker, now: datetime, fresh: bool = False
) -> RebuildStart:
    """Resume an unfinished rebuild by the same embedder, or clear stories and links and
    start one. The linker's index is loaded with what is already done."""
    archive = await linker.index()
    model = model_name(linker)
    progress = await session.get(RebuildProgress, JOB)
    resume = (
        not fresh
        and progress is not None
        and progress.finished_at is None
        and progress.model == model
    )
    if resume and progress is not None:
        await archive.load_up_to(session=session, last_id=progress.last_id)
        last_id = progress.last_id
    else:
        await session.execute(delete(RelatedArticle))
        await session.execute(update(Article).values(story_id=None))
        await session.execute(delete(Story))
        if archive.embedder is not None:
            await session.execute(
                delete(ArticleEmbedding).where(ArticleEmbedding.model != archive.embedder.name)
            )
        if progress is None:
            progress = RebuildProgress(job=JOB, model=model, last_id=0, started_at=now)
            session.add(progress)
        progress.model, progress.last_id, progress.started_at = model, 0, now
        progress.finished_at = None
        last_id = 0
    remaining = await session.scalar(select(func.count()).where(Article.id > last_id))
    return RebuildStart(last_id=last_id, remaining=remaining or 0, resumed=resume)


async def rebuild_batch(
    *, session: AsyncSession, linker: Linker, after_id: int, now: datetime, batch: int = BATCH
) -> tuple[int, int]:
    """Embed and link the next `batch` articles after `after_id`; (last id done, how many).
    When none are left the rebuild is marked finished."""
    articles = list(
        await session.scalars(
            select(Article).where(Article.id > after_id).order_by(Article.id).limit(batch)
        )
    )
    progress = await session.get(RebuildProgress, JOB)
    if not articles:
        if progress is not None:
            progress.finished_at = now
        return after_id, 0
    await linker.link(session, articles)
    last_id = articles[-1].id
    if progress is not None:
        progress.last_id = last_id
    return last_id, len(articles)
