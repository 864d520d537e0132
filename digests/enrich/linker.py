"""Linking new articles as they are stored: embed them (off the event loop), decide their
stories, and store their embeddings and links in both directions. The caller owns the session;
nothing here commits."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.db import upsert_into
from digests.enrich.archive_index import ArchiveIndex, Meta
from digests.enrich.embed import Embedder, article_text, load_embedder, to_bytes
from digests.enrich.linking import LINKS_KEPT, LinkDecision, LinkSettings, decide_link, terms_of
from digests.models import Article, ArticleEmbedding, RelatedArticle, Story


@dataclass(frozen=True)
class _Item:
    """An article's fields, read on the event loop for the worker thread."""

    id: int
    title: str
    summary: str
    text: str
    published: float
    source: int
    language: str


@dataclass(frozen=True)
class _Plan:
    item: _Item
    vector: np.ndarray | None
    decision: LinkDecision
    story_key: int


class Linker:
    """Stories and related coverage for new articles, against the archive index."""

    def __init__(self, settings: LinkSettings, embedder: str = "english"):
        self.settings = settings
        self.kind = embedder
        self.archive: ArchiveIndex | None = None

    async def index(self) -> ArchiveIndex:
        """The archive index, the embedder loaded (once, in a worker thread) on first use."""
        if self.archive is None:
            embedder: Embedder | None = await asyncio.to_thread(load_embedder, self.kind)
            if self.archive is None:
                self.archive = ArchiveIndex(self.settings, embedder)
        return self.archive

    async def embed(self, articles: Sequence[Article]) -> list[np.ndarray | None]:
        """The articles' vectors (in a worker thread), or Nones without an embedder."""
        archive = await self.index()
        if archive.embedder is None:
            return [None] * len(articles)
        texts = [article_text(a.title, a.summary, a.text) for a in articles]
        return list(await asyncio.to_thread(archive.embedder.embed, texts))

    async def store_vectors(
        self,
        session: AsyncSession,
        articles: Sequence[Article],
        vectors: Sequence[np.ndarray | None],
    ) -> None:
        """Store (replace) articles' vectors without relinking them."""
        archive = await self.index()
        if archive.embedder is not None:
            pairs = [(a.id, v) for a, v in zip(articles, vectors, strict=True) if v is not None]
            await store_embeddings(session, archive.embedder.name, pairs)

    async def link(
        self,
        session: AsyncSession,
        articles: Sequence[Article],
        vectors: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """Cluster and link freshly flushed articles (in order), storing their vectors;
        `vectors` when the caller already embedded them."""
        if not articles:
            return
        archive = await self.index()
        if vectors is None:
            vectors = await self.embed(articles)
        items = [
            _Item(
                id=a.id,
                title=a.title,
                summary=a.summary,
                text=a.text,
                published=a.published_at.timestamp(),
                source=a.source_id or 0,
                language=a.language or "",
            )
            for a in articles
        ]
        # Held while storing too: the index carries placeholder story ids until the flush.
        async with archive.lock:
            plans = await asyncio.to_thread(_plan, archive, items, list(vectors))
            await _store(session, archive, articles, plans)


def _plan(
    archive: ArchiveIndex, items: Sequence[_Item], vectors: Sequence[np.ndarray | None]
) -> list[_Plan]:
    """Pure apart from the index: find candidates, decide, add to the index."""
    plans = []
    placeholders = 0
    for item, vector in zip(items, vectors, strict=True):
        counts = terms_of(item.title, item.summary, item.text)
        decision = decide_link(
            archive.candidates(counts, vector),
            published=_when(item.published),
            language=item.language,
            settings=archive.settings,
        )
        story_key = archive.meta[decision.story_of].story if decision.story_of else 0
        if not story_key:
            # A placeholder id (negative) until the new story is flushed.
            placeholders += 1
            story_key = -placeholders
        meta = Meta(item.published, story_key, item.source, item.language)
        archive.add(item.id, counts, vector, meta)
        plans.append(_Plan(item, vector, decision, story_key))
    return plans


def _when(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


async def _store(
    session: AsyncSession, archive: ArchiveIndex, articles: Sequence[Article], plans: list[_Plan]
) -> None:
    embedder = archive.embedder
    if embedder is not None:
        await store_embeddings(
            session,
            embedder.name,
            [(p.item.id, p.vector) for p in plans if p.vector is not None],
        )
    by_id = {article.id: article for article in articles}
    new_stories: dict[int, Story] = {}
    members: dict[int, list[Article]] = {}
    for plan in plans:
        article = by_id[plan.item.id]
        members.setdefault(plan.story_key, []).append(article)
        if plan.story_key < 0 and plan.story_key not in new_stories:
            new_stories[plan.story_key] = Story(
                size=0,
                first_published_at=article.published_at,
                last_published_at=article.published_at,
            )
    session.add_all(new_stories.values())
    await session.flush()
    for story_key, group in members.items():
        story_id = new_stories[story_key].id if story_key < 0 else story_key
        for article in group:
            article.story_id = story_id
            archive.set_story(article.id, story_id)
        first = min(a.published_at for a in group)
        last = max(a.published_at for a in group)
        if story_key < 0:
            story = new_stories[story_key]
            story.size, story.first_published_at, story.last_published_at = len(group), first, last
        else:
            await session.execute(
                update(Story).where(Story.id == story_id).values(size=Story.size + len(group))
            )
            await _widen_story(session, story_id, first, last)
    await store_links(session, [(p.item.id, p.decision.links) for p in plans])
    await session.flush()


async def store_embeddings(
    session: AsyncSession, model: str, vectors: Sequence[tuple[int, np.ndarray]]
) -> None:
    """Store (or replace) articles' vectors under the model's name."""
    if not vectors:
        return
    statement = upsert_into(session, ArticleEmbedding)
    statement = statement.on_conflict_do_update(
        index_elements=["article_id"],
        set_={"model": statement.excluded.model, "vector": statement.excluded.vector},
    )
    rows = [{"article_id": i, "model": model, "vector": to_bytes(v)} for i, v in vectors]
    await session.execute(statement, rows)


async def store_links(
    session: AsyncSession, links: Sequence[tuple[int, Sequence[tuple[int, float]]]]
) -> None:
    """Store each article's links and the same links back from the articles it relates to,
    then keep only the LINKS_KEPT best of every article they reached."""
    scores: dict[tuple[int, int], float] = {}
    for article_id, found in links:
        for other, score in found:
            for pair in ((article_id, other), (other, article_id)):
                scores[pair] = max(scores.get(pair, 0.0), score)
    if not scores:
        return
    statement = upsert_into(session, RelatedArticle)
    statement = statement.on_conflict_do_update(
        index_elements=["article_id", "related_id"], set_={"score": statement.excluded.score}
    )
    rows = [{"article_id": a, "related_id": b, "score": s} for (a, b), s in scores.items()]
    await session.execute(statement, rows)
    await _prune(session, sorted({article_id for article_id, _ in scores}))


async def _prune(session: AsyncSession, reached: Sequence[int]) -> None:
    """Drop every link beyond the LINKS_KEPT best of each article in `reached`, in one
    statement (a window function; SQLite ≥ 3.25 and PostgreSQL)."""
    for start in range(0, len(reached), 500):
        ranked = (
            select(
                RelatedArticle.article_id,
                RelatedArticle.related_id,
                func.row_number()
                .over(
                    partition_by=RelatedArticle.article_id,
                    order_by=(RelatedArticle.score.desc(), RelatedArticle.related_id),
                )
                .label("rank"),
            )
            .where(RelatedArticle.article_id.in_(reached[start : start + 500]))
            .subquery()
        )
        stale = select(ranked.c.article_id, ranked.c.related_id).where(ranked.c.rank > LINKS_KEPT)
        await session.execute(
            delete(RelatedArticle).where(
                tuple_(RelatedArticle.article_id, RelatedArticle.related_id).in_(stale)
            )
        )


async def _widen_story(
    session: AsyncSession, story_id: int, first: datetime, last: datetime
) -> None:
    story = await session.get(Story, story_id)
    if story is not None:
        story.first_published_at = min(story.first_published_at, first)
        story.last_published_at = max(story.last_published_at, last)
