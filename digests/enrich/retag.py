"""Re-tagging the archive after the topic rules changed."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.ingest.store import load_topics, topic_rows
from digests.models import Article, ArticleTopic, Source

BATCH = 1000


async def retag_archive(
    *, session: AsyncSession, after_id: int = 0, batch: int = BATCH
) -> tuple[int, int]:
    """Re-tag up to `batch` articles with id > after_id; returns (last id done, how many)."""
    book = await load_topics(session=session)
    defaults = {
        source.id: list(source.default_topics) for source in await session.scalars(select(Source))
    }
    articles = list(
        await session.scalars(
            select(Article).where(Article.id > after_id).order_by(Article.id).limit(batch)
        )
    )
    if not articles:
        return after_id, 0
    ids = [article.id for article in articles]
    await session.execute(delete(ArticleTopic).where(ArticleTopic.article_id.in_(ids)))
    rows = []
    for article in articles:
        rows.extend(topic_rows(book, article, (), defaults.get(article.source_id or 0, [])))
    if rows:
        await session.execute(insert(ArticleTopic), rows)
    return ids[-1], len(ids)
