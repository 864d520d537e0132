"""Topics against the archive: the active rules compiled for tagging, and re-tagging after
they changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.topics import GENERAL, TopicRule, compile_rules, tag_article
from digests.models import Article, ArticleTopic, Source, Topic

BATCH = 1000


@dataclass
class TopicBook:
    """The active topics' rules and ids."""

    rules: list[TopicRule]
    ids: dict[str, int]


async def load_topics(*, session: AsyncSession) -> TopicBook:
    """The active topics, compiled for tagging (a top-stories topic tags nothing)."""
    topics = list(
        await session.scalars(
            select(Topic).where(Topic.active.is_(True), Topic.top_items.is_(None))
        )
    )
    rules = compile_rules((t.slug, t.keywords, t.categories) for t in topics)
    return TopicBook(rules=rules, ids={t.slug: t.id for t in topics})


def topic_rows(
    book: TopicBook, article: Article, entry_topics: Sequence[str], source_topics: Sequence[str]
) -> list[dict[str, Any]]:
    """article_topics rows for an article (pure apart from reading the article's fields)."""
    scores = tag_article(
        book.rules,
        title=article.title,
        summary=article.summary,
        text=article.text,
        categories=article.categories,
        source_topics=source_topics,
        pushed_topics=entry_topics,
    )
    if GENERAL in scores and GENERAL not in book.ids:
        return []
    return [
        {"article_id": article.id, "topic_id": book.ids[slug], "score": score}
        for slug, score in scores.items()
        if slug in book.ids
    ]


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
        source_topics = defaults.get(article.source_id or 0, [])
        rows.extend(topic_rows(book, article, article.pushed_topics, source_topics))
    if rows:
        await session.execute(insert(ArticleTopic), rows)
    return ids[-1], len(ids)
