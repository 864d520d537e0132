"""Storing entries: de-duplicate against the archive, then summarise, tag, cluster and link.

The caller owns the session; nothing here commits. Matching order for an incoming entry:
same source and GUID, then canonical URL (both update in place when the content changed),
then the same content under another URL or GUID (skipped as a duplicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.enrich.linking import ArchiveIndex, LinkSettings, decide_link, terms_of
from digests.enrich.retag import TopicBook, load_topics, topic_rows
from digests.enrich.summary import Method, summarise
from digests.ingest.entries import EntryData
from digests.ingest.normalize import content_hash
from digests.ingest.report import IngestReport
from digests.models import Article, ArticleTopic, RelatedArticle, Source, Story

BATCH = 500


@dataclass(frozen=True)
class EnrichSettings:
    """How articles are summarised and linked."""

    summary_chars: int = 400
    summary_method: Method = Method.LEAD
    link: LinkSettings = field(default_factory=LinkSettings)


class Pipeline:
    """Everything between parsed entries and stored, enriched, linked articles."""

    def __init__(self, settings: EnrichSettings, archive: ArchiveIndex | None = None):
        self.settings = settings
        self.archive = archive or ArchiveIndex(settings.link)
        self.topics: TopicBook | None = None

    async def prepare(self, *, session: AsyncSession, now: datetime) -> None:
        """Load the topic rules and bring the archive index up to date."""
        self.topics = await load_topics(session=session)
        await self.archive.refresh(session=session, now=now)

    def _summary(self, entry: EntryData) -> str:
        return summarise(
            entry.text,
            description=entry.description,
            budget=self.settings.summary_chars,
            method=self.settings.summary_method,
            language=entry.language or "en",
        )

    async def store(
        self,
        *,
        session: AsyncSession,
        entries: Sequence[EntryData],
        source: Source | None,
        now: datetime,
    ) -> IngestReport:
        """Store entries in batches; returns what was added, updated and skipped."""
        if self.topics is None:
            await self.prepare(session=session, now=now)
        report = IngestReport()
        for start in range(0, len(entries), BATCH):
            await self._store_batch(session, entries[start : start + BATCH], source, now, report)
        return report

    async def _existing(
        self,
        session: AsyncSession,
        batch: Sequence[EntryData],
        source_id: int | None,
        hashes: Sequence[str],
    ) -> tuple[dict[str, Article], dict[str, Article], dict[str, Article]]:
        urls = [e.url for e in batch]
        guids = [e.guid for e in batch if e.guid]
        source_match = Article.source_id == source_id if source_id else Article.source_id.is_(None)
        conditions: list[ColumnElement[bool]] = [
            Article.url.in_(urls),
            Article.content_hash.in_(hashes),
        ]
        if guids:
            conditions.append(source_match & Article.guid.in_(guids))
        found = list(await session.scalars(select(Article).where(or_(*conditions))))
        by_guid = {a.guid: a for a in found if a.guid and a.source_id == source_id}
        return by_guid, {a.url: a for a in found}, {a.content_hash: a for a in found}

    async def _store_batch(
        self,
        session: AsyncSession,
        batch: Sequence[EntryData],
        source: Source | None,
        now: datetime,
        report: IngestReport,
    ) -> None:
        source_id = source.id if source is not None else None
        source_topics = list(source.default_topics) if source is not None else []
        hashes = [content_hash(e.title, e.text) for e in batch]
        by_guid, by_url, by_hash = await self._existing(session, batch, source_id, hashes)
        fresh: list[tuple[Article, EntryData]] = []
        changed: list[tuple[Article, EntryData]] = []
        seen_urls: set[str] = set()
        seen_hashes: set[str] = set()
        for entry, digest in zip(batch, hashes, strict=True):
            if entry.url in seen_urls or digest in seen_hashes:
                report.skip("duplicate within the same input")
                continue
            seen_urls.add(entry.url)
            seen_hashes.add(digest)
            existing = (by_guid.get(entry.guid) if entry.guid else None) or by_url.get(entry.url)
            if existing is not None:
                if existing.content_hash == digest:
                    report.skip("unchanged")
                    continue
                self._update(existing, entry, digest, now)
                changed.append((existing, entry))
                continue
            if digest in by_hash:
                report.skip("same article under another URL or GUID")
                continue
            article = self._new_article(entry, digest, source_id, now)
            session.add(article)
            fresh.append((article, entry))
        await session.flush()
        assert self.topics is not None
        if changed:
            await session.execute(
                delete(ArticleTopic).where(ArticleTopic.article_id.in_([a.id for a, _ in changed]))
            )
        rows = []
        for article, entry in [*fresh, *changed]:
            rows.extend(topic_rows(self.topics, article, entry.topics, source_topics))
        if rows:
            await session.execute(insert(ArticleTopic), rows)
        await self._link(session, [article for article, _ in fresh])
        report.added += len(fresh)
        report.updated += len(changed)

    def _new_article(
        self, entry: EntryData, digest: str, source_id: int | None, now: datetime
    ) -> Article:
        return Article(
            url=entry.url,
            guid=entry.guid,
            source_id=source_id,
            title=entry.title,
            summary=self._summary(entry),
            text=entry.text,
            author=entry.author,
            image_url=entry.image_url,
            language=entry.language,
            categories=list(entry.categories),
            pushed_topics=list(entry.topics),
            content_hash=digest,
            published_at=entry.published_at or now,
            fetched_at=now,
            updated_at=now,
        )

    def _update(self, article: Article, entry: EntryData, digest: str, now: datetime) -> None:
        article.title = entry.title
        article.text = entry.text
        article.summary = self._summary(entry)
        article.content_hash = digest
        article.categories = list(entry.categories)
        article.pushed_topics = list(entry.topics)
        article.author = entry.author or article.author
        article.image_url = entry.image_url or article.image_url
        article.updated_at = now
        if entry.published_at is not None:
            article.published_at = entry.published_at

    async def _link(self, session: AsyncSession, articles: list[Article]) -> None:
        if not articles:
            return
        index = self.archive.index
        settings = self.settings.link
        new_stories: dict[int, Story] = {}
        joined: dict[int, list[Article]] = {}
        related_rows: list[dict[str, Any]] = []
        for article in articles:
            counts = terms_of(article.title, article.summary, article.text)
            decision = decide_link(index, counts, published=article.published_at, settings=settings)
            if decision.story_of is not None:
                story_key = index.stories[index.position(decision.story_of)]
            else:
                # A placeholder id (negative) until the new story is flushed.
                story_key = -(len(new_stories) + 1)
                new_stories[story_key] = Story(
                    size=0,
                    first_published_at=article.published_at,
                    last_published_at=article.published_at,
                )
            joined.setdefault(story_key, []).append(article)
            index.add(
                article.id, counts, published=article.published_at.timestamp(), story_id=story_key
            )
            related_rows.extend(
                {"article_id": article.id, "related_id": other, "score": score}
                for other, score in decision.related
            )
        session.add_all(new_stories.values())
        await session.flush()
        for story_key, members in joined.items():
            story_id = new_stories[story_key].id if story_key < 0 else story_key
            for article in members:
                article.story_id = story_id
                if story_key < 0:
                    index.set_story(article.id, story_id)
            first = min(a.published_at for a in members)
            last = max(a.published_at for a in members)
            if story_key < 0:
                story = new_stories[story_key]
                story.size, story.first_published_at, story.last_published_at = (
                    len(members),
                    first,
                    last,
                )
            else:
                await session.execute(
                    update(Story).where(Story.id == story_id).values(size=Story.size + len(members))
                )
                await _widen_story(session, story_id, first, last)
        if related_rows:
            await session.execute(insert(RelatedArticle), related_rows)
        await session.flush()


async def _widen_story(
    session: AsyncSession, story_id: int, first: datetime, last: datetime
) -> None:
    story = await session.get(Story, story_id)
    if story is not None:
        story.first_published_at = min(story.first_published_at, first)
        story.last_published_at = max(story.last_published_at, last)
