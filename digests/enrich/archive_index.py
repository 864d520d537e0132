"""The recent archive in memory for linking: TF-IDF postings, the embedding graph, and what
linking needs to know of each article. Loaded from the database and kept current."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.embed import Embedder, from_bytes
from digests.enrich.linking import Candidate, LinkSettings, terms_of
from digests.enrich.similarity import SimilarityIndex
from digests.enrich.vectors import VectorIndex
from digests.models import Article, ArticleEmbedding

# Nearest neighbours fetched from the graph, and the strongest lexical matches added to them
# (names and numbers an embedding may blur), before both are rescored on the blended scale.
SEMANTIC_CANDIDATES = 40
LEXICAL_CANDIDATES = 10
# The TF-IDF postings are rebuilt from the database after this long, dropping expired
# articles; the embedding graph drops them one by one instead.
REBUILD_AFTER = timedelta(hours=6)


@dataclass(slots=True)
class Meta:
    """What linking needs of an indexed article."""

    published: float
    story: int
    source: int
    language: str


class ArchiveIndex:
    """The archive's recent articles, searchable by words and by meaning."""

    def __init__(self, settings: LinkSettings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder
        self.lexical = SimilarityIndex()
        self.semantic = VectorIndex(embedder.dim) if embedder is not None else None
        self.meta: dict[int, Meta] = {}
        self.built_at: datetime | None = None
        self.last_id = 0
        # Linking reads and extends the index off the event loop; one batch at a time.
        self.lock = asyncio.Lock()

    def add(
        self,
        article_id: int,
        counts: Any,
        vector: np.ndarray | None,
        meta: Meta,
        *,
        counted: bool = False,
    ) -> None:
        """Index one article (its terms, its vector when it has one)."""
        self.lexical.add(article_id, counts, published=meta.published, counted=counted)
        if self.semantic is not None and vector is not None and np.any(vector):
            self.semantic.add([article_id], vector[None, :])
        self.meta[article_id] = meta

    def set_story(self, article_id: int, story_id: int) -> None:
        """Record which story an indexed article belongs to."""
        if article_id in self.meta:
            self.meta[article_id].story = story_id

    def candidates(self, counts: Any, vector: np.ndarray | None) -> list[Candidate]:
        """The articles worth scoring against a new one, with both similarities."""
        lexical = self.lexical.scores(self.lexical.vector(counts)) if len(self.lexical) else None
        ids: dict[int, float | None] = {}
        if self.semantic is not None and vector is not None and np.any(vector):
            ids.update(self.semantic.search(vector, SEMANTIC_CANDIDATES))
        if lexical is not None:
            count = min(LEXICAL_CANDIDATES if ids else SEMANTIC_CANDIDATES, len(lexical))
            top = np.argpartition(-lexical, count - 1)[:count]
            for position in top:
                if lexical[position] > 0:
                    ids.setdefault(self.lexical.external_ids[int(position)], None)
        missing = [i for i, s in ids.items() if s is None and self.semantic and i in self.semantic]
        if missing and vector is not None and self.semantic is not None:
            ids.update(
                zip(missing, (self.semantic.vectors(missing) @ vector).tolist(), strict=True)
            )
        found = []
        for article_id, semantic in ids.items():
            meta = self.meta.get(article_id)
            if meta is None:
                continue
            score = 0.0
            if lexical is not None and article_id in self.lexical:
                score = float(lexical[self.lexical.position(article_id)])
            found.append(
                Candidate(
                    id=article_id,
                    lexical=score,
                    semantic=None if self.semantic is None else (semantic or 0.0),
                    published=meta.published,
                    story=meta.story,
                    source=meta.source,
                    language=meta.language,
                )
            )
        return found

    async def refresh(self, *, session: AsyncSession, now: datetime) -> None:
        """Load articles added since the last refresh (all recent ones on first use)."""
        async with self.lock:
            await self._refresh(session, now)

    async def _refresh(self, session: AsyncSession, now: datetime) -> None:
        since = now - self.settings.related_window
        rebuild = self.built_at is None or now - self.built_at > REBUILD_AFTER
        before: set[int] = set()
        if rebuild:
            # Everything is read again; vectors already in the graph stay there.
            self.lexical = SimilarityIndex()
            self.built_at = now
            self.last_id = 0
            before, self.meta = set(self.meta), {}
        rows = (await session.execute(self._recent(since))).all()
        if rows:
            await asyncio.to_thread(self._load, rows)
        if self.semantic is not None and before:
            # Expired, deleted, or rolled back: gone from the database, so from the graph.
            self.semantic.remove(sorted(before - set(self.meta)))

    def _recent(self, since: datetime) -> Any:
        vector = ArticleEmbedding.vector if self.embedder is not None else None
        columns = [
            Article.id,
            Article.title,
            Article.summary,
            Article.text,
            Article.published_at,
            Article.story_id,
            Article.source_id,
            Article.language,
        ]
        query = select(*columns, vector) if vector is not None else select(*columns)
        if self.embedder is not None:
            query = query.outerjoin(
                ArticleEmbedding,
                and_(
                    ArticleEmbedding.article_id == Article.id,
                    ArticleEmbedding.model == self.embedder.name,
                ),
            )
        return query.where(Article.id > self.last_id, Article.published_at >= since).order_by(
            Article.id
        )

    async def load_up_to(self, *, session: AsyncSession, last_id: int) -> None:
        """Index every article with an id up to `last_id`, whatever its age (a resumed
        rebuild links the rest against them)."""
        async with self.lock:
            self.built_at = datetime.max.replace(tzinfo=UTC)
            query = self._recent(datetime.min.replace(tzinfo=UTC)).where(Article.id <= last_id)
            rows = (await session.execute(query)).all()
            if rows:
                await asyncio.to_thread(self._load, rows)

    def _load(self, rows: Sequence[Any]) -> None:
        documents = [(row, terms_of(row.title, row.summary, row.text)) for row in rows]
        self.lexical.count_documents(counts for _, counts in documents)
        keys, vectors = [], []
        for row, counts in documents:
            self.lexical.add(row.id, counts, published=row.published_at.timestamp(), counted=True)
            self.meta[row.id] = Meta(
                published=row.published_at.timestamp(),
                story=row.story_id or 0,
                source=row.source_id or 0,
                language=row.language or "",
            )
            stored = getattr(row, "vector", None)
            if stored is not None and self.semantic is not None:
                keys.append(row.id)
                vectors.append(from_bytes(stored))
            self.last_id = max(self.last_id, row.id)
        if keys and self.semantic is not None:
            # Loading is off the event loop and alone: every core helps build the graph.
            self.semantic.add(keys, np.stack(vectors), threads=0)
