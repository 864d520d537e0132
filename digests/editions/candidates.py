"""Reading the archive for digests: the articles of a window with topics, stories, related."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from digests.editions.assemble import Candidate, RelatedLink
from digests.models import Article, ArticleTopic, RelatedArticle, Source, Story

RELATED_PER_ARTICLE = 2
_CHUNK = 500


def _source_label(title: str | None, url: str | None) -> str:
    if title:
        return title
    if url and "//" in url:
        return url.split("//", 1)[1].split("/", 1)[0]
    return ""


async def load_candidates(
    *,
    session: AsyncSession,
    start: datetime,
    end: datetime,
    topic_ids: Sequence[int],
    published_after: datetime | None = None,
) -> list[Candidate]:
    """Articles that arrived in [start, end) in any of the topics, ready for assembly; with
    `published_after`, only those published since then (a fetched backlog is not news).
    """
    in_topics = exists().where(
        ArticleTopic.article_id == Article.id, ArticleTopic.topic_id.in_(topic_ids)
    )
    conditions = [Article.fetched_at >= start, Article.fetched_at < end, in_topics]
    if published_after is not None:
        conditions.append(Article.published_at >= published_after)
    rows = (
        await session.execute(
            select(
                Article.id,
                Article.title,
                Article.url,
                Article.summary,
                Article.published_at,
                Article.story_id,
                Article.language,
                Source.title.label("source_title"),
                Source.url.label("source_url"),
                Source.priority,
                Story.size,
            )
            .outerjoin(Source, Source.id == Article.source_id)
            .outerjoin(Story, Story.id == Article.story_id)
            .where(*conditions)
        )
    ).all()
    ids = [row.id for row in rows]
    topics: dict[int, dict[int, float]] = defaultdict(dict)
    related: dict[int, list[RelatedLink]] = defaultdict(list)
    other = aliased(Article)
    for offset in range(0, len(ids), _CHUNK):
        chunk = ids[offset : offset + _CHUNK]
        for article_id, topic_id, score in await session.execute(
            select(ArticleTopic.article_id, ArticleTopic.topic_id, ArticleTopic.score).where(
                ArticleTopic.article_id.in_(chunk)
            )
        ):
            topics[article_id][topic_id] = score
        for article_id, title, url in await session.execute(
            select(RelatedArticle.article_id, other.title, other.url)
            .join(other, other.id == RelatedArticle.related_id)
            .where(RelatedArticle.article_id.in_(chunk))
            .order_by(RelatedArticle.article_id, RelatedArticle.score.desc())
        ):
            if len(related[article_id]) < RELATED_PER_ARTICLE:
                related[article_id].append(RelatedLink(title=title, url=url))
    return [
        Candidate(
            id=row.id,
            title=row.title,
            url=row.url,
            summary=row.summary,
            source=_source_label(row.source_title, row.source_url),
            published_at=row.published_at,
            topics=topics[row.id],
            story_id=row.story_id,
            story_size=row.size or 1,
            source_priority=row.priority or 0,
            related=tuple(related[row.id]),
            language=row.language,
        )
        for row in rows
    ]
