"""Stories and related coverage: each new article joins the story of its closest recent match
(cosine above a tuned threshold) or starts one; related = the closest outside its story."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.similarity import SimilarityIndex, article_terms
from digests.models import Article

# Only the headline and the opening carry what a news story is about (the inverted
# pyramid); reading no further keeps a 100,000-article archive quick to load and search.
BODY_CHARS = 2000
CANDIDATES = 40
# The archive index is rebuilt from the database after this long, dropping expired articles.
REBUILD_AFTER = timedelta(hours=6)


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds and windows for stories and related coverage."""

    story_threshold: float = 0.2
    story_window: timedelta = timedelta(days=2)
    related_window: timedelta = timedelta(days=14)
    related_limit: int = 5
    related_min: float = 0.1


@dataclass(frozen=True)
class LinkDecision:
    """Where a new article belongs: the story of `story_of` (an article id), or a new story."""

    story_of: int | None
    story_score: float
    related: list[tuple[int, float]]


def terms_of(title: str, summary: str, text: str) -> Counter[str]:
    """The terms an article is compared by."""
    body = text[:BODY_CHARS] if text else summary
    return article_terms(title, body)


def decide_link(
    index: SimilarityIndex,
    counts: Counter[str],
    *,
    published: datetime,
    settings: LinkSettings,
) -> LinkDecision:
    """Pure: the story to join (if any) and the related articles, from the index."""
    vector = index.vector(counts)
    hits = index.nearest(vector, limit=CANDIDATES, min_score=settings.related_min)
    stamp = published.timestamp()
    story_window = settings.story_window.total_seconds()
    related_window = settings.related_window.total_seconds()
    story_of: int | None = None
    story_score = 0.0
    story_id = 0
    meta = []
    for doc_id, score in hits:
        position = index.position(doc_id)
        meta.append((doc_id, score, index.stories[position], index.published[position]))
    for doc_id, score, story, when in meta:
        if score >= settings.story_threshold and abs(stamp - when) <= story_window:
            story_of, story_score, story_id = doc_id, score, story
            break
    related = [
        (doc_id, round(score, 4))
        for doc_id, score, story, when in meta
        if doc_id != story_of
        and (story_id == 0 or story != story_id)
        and abs(stamp - when) <= related_window
    ][: settings.related_limit]
    return LinkDecision(story_of=story_of, story_score=story_score, related=related)


class ArchiveIndex:
    """The recent archive in a SimilarityIndex, loaded from the database and kept current."""

    def __init__(self, settings: LinkSettings):
        self.settings = settings
        self.index = SimilarityIndex()
        self.built_at: datetime | None = None
        self.last_id = 0

    async def refresh(self, *, session: AsyncSession, now: datetime) -> None:
        """Load articles added since the last refresh (all recent ones on first use)."""
        if self.built_at is None or now - self.built_at > REBUILD_AFTER:
            self.index = SimilarityIndex()
            self.built_at = now
            self.last_id = 0
        since = now - self.settings.related_window
        rows = (
            await session.execute(
                select(
                    Article.id,
                    Article.title,
                    Article.summary,
                    Article.text,
                    Article.published_at,
                    Article.story_id,
                )
                .where(Article.id > self.last_id, Article.published_at >= since)
                .order_by(Article.id)
            )
        ).all()
        documents = [(row, terms_of(row.title, row.summary, row.text)) for row in rows]
        self.index.count_documents(counts for _, counts in documents)
        for row, counts in documents:
            self.index.add(
                row.id,
                counts,
                published=row.published_at.timestamp(),
                story_id=row.story_id or 0,
                counted=True,
            )
            self.last_id = max(self.last_id, row.id)
