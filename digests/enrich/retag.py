"""Topics against the archive: the active rules compiled for tagging (with each topic's
profile embedded, when there is an embedder), and re-tagging after they changed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.embed import Embedder, article_text, from_bytes
from digests.enrich.topics import (
    GENERAL,
    TOPIC_SIMILARITY,
    TopicRule,
    compile_rules,
    tag_article,
    topic_profile,
)
from digests.models import Article, ArticleEmbedding, ArticleTopic, Source, Topic

BATCH = 1000
# Topic profiles embedded once per model and wording (the poll job loads topics each run).
_profiles: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}


@dataclass
class TopicBook:
    """The active topics' rules and ids, and their profiles' unit vectors (one row per slug
    in `profile_slugs`) when there is an embedder."""

    rules: list[TopicRule]
    ids: dict[str, int]
    profile_slugs: tuple[str, ...] = ()
    profiles: np.ndarray | None = None
    threshold: float = TOPIC_SIMILARITY

    def similarity(self, vector: np.ndarray | None) -> dict[str, float] | None:
        """Topic slug → cosine of an article's vector to the topic's profile."""
        if vector is None or self.profiles is None or not np.any(vector):
            return None
        return dict(zip(self.profile_slugs, (self.profiles @ vector).tolist(), strict=True))


async def load_topics(*, session: AsyncSession, embedder: Embedder | None = None) -> TopicBook:
    """The active topics, compiled for tagging (a top-stories topic tags nothing; profiles
    embedded in a worker thread)."""
    topics = list(
        await session.scalars(
            select(Topic).where(Topic.active.is_(True), Topic.top_items.is_(None))
        )
    )
    rules = compile_rules((t.slug, t.keywords, t.categories) for t in topics)
    book = TopicBook(rules=rules, ids={t.slug: t.id for t in topics})
    described = [t for t in topics if t.slug != GENERAL]
    if embedder is not None and described:
        texts = tuple(topic_profile(t.name, t.description, t.keywords) for t in described)
        key = (embedder.name, texts)
        if key not in _profiles:
            _profiles[key] = await asyncio.to_thread(embedder.embed, list(texts))
        book.profiles = _profiles[key]
        book.profile_slugs = tuple(t.slug for t in described)
        book.threshold = embedder.topic_threshold
    return book


def topic_rows(
    book: TopicBook,
    article: Article,
    entry_topics: Sequence[str],
    source_topics: Sequence[str],
    vector: np.ndarray | None = None,
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
        similarity=book.similarity(vector),
        threshold=book.threshold,
    )
    if GENERAL in scores and GENERAL not in book.ids:
        return []
    return [
        {"article_id": article.id, "topic_id": book.ids[slug], "score": score}
        for slug, score in scores.items()
        if slug in book.ids
    ]


async def retag_archive(
    *,
    session: AsyncSession,
    after_id: int = 0,
    batch: int = BATCH,
    embedder: Embedder | None = None,
) -> tuple[int, int]:
    """Re-tag up to `batch` articles with id > after_id; returns (last id done, how many).
    With an embedder, stored vectors of its model are used (others embedded on the way)."""
    book = await load_topics(session=session, embedder=embedder)
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
    vectors = await _vectors(session, embedder, articles)
    rows = []
    for article in articles:
        source_topics = defaults.get(article.source_id or 0, [])
        rows.extend(
            topic_rows(book, article, article.pushed_topics, source_topics, vectors.get(article.id))
        )
    if rows:
        await session.execute(insert(ArticleTopic), rows)
    return ids[-1], len(ids)


async def _vectors(
    session: AsyncSession, embedder: Embedder | None, articles: Sequence[Article]
) -> dict[int, np.ndarray]:
    if embedder is None:
        return {}
    ids = [article.id for article in articles]
    stored = await session.execute(
        select(ArticleEmbedding.article_id, ArticleEmbedding.vector).where(
            and_(ArticleEmbedding.article_id.in_(ids), ArticleEmbedding.model == embedder.name)
        )
    )
    vectors = {article_id: from_bytes(data) for article_id, data in stored}
    missing = [a for a in articles if a.id not in vectors]
    if missing:
        texts = [article_text(a.title, a.summary, a.text) for a in missing]
        fresh = await asyncio.to_thread(embedder.embed, texts)
        vectors.update(zip((a.id for a in missing), fresh, strict=True))
    return vectors
