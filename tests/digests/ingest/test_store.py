"""Storing entries on both databases: de-duplication, updates in place, topics, stories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from digests.archive.lookups import coverage
from digests.db import session_scope
from digests.ingest.catalog import load_catalog, sync_catalog
from digests.ingest.entries import EntryData
from digests.ingest.store import EnrichSettings, Pipeline
from digests.models import Article, ArticleTopic, RelatedArticle, Story, Topic
from digests.resources import default_config_path

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)

RATES = EntryData(
    title="Central bank raises interest rates to fight inflation",
    url="https://a.example.com/rates",
    guid="rates-1",
    text="The central bank raised interest rates on Thursday for the third time this year. "
    "The governor said inflation remained too high. Markets barely moved.",
    published_at=NOW - timedelta(hours=3),
)
RATES_ELSEWHERE = EntryData(
    title="Interest rates rise again as central bank battles inflation",
    url="https://b.example.org/economy/rates-rise",
    text="The central bank raised interest rates on Thursday, its third rise this year, "
    "saying inflation remained too high.",
    published_at=NOW - timedelta(hours=2),
)
MATCH = EntryData(
    title="Home side wins the football championship",
    url="https://a.example.com/final",
    text="The home side won the football championship match in extra time on Sunday.",
    published_at=NOW - timedelta(hours=1),
    categories=("Sport",),
)
BANK_PROFILE = EntryData(
    title="Profile: the governor behind the rates",
    url="https://a.example.com/governor-profile",
    text="The governor grew up in a small village, studied history and once ran a bakery "
    "before joining the bank, where colleagues describe a patient listener.",
    published_at=NOW - timedelta(minutes=30),
)


async def _store(sessionmaker, entries, pipeline=None):
    pipeline = pipeline or Pipeline(EnrichSettings())
    async with session_scope(sessionmaker) as session:
        await sync_catalog(session=session, catalog=load_catalog(default_config_path()))
    async with session_scope(sessionmaker) as session:
        await pipeline.prepare(session=session, now=NOW)
        return await pipeline.store(session=session, entries=entries, source=None, now=NOW)


async def _count(sessionmaker, model) -> int:
    async with session_scope(sessionmaker) as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_reingesting_creates_no_duplicates(sessionmaker):
    first = await _store(sessionmaker, [RATES, MATCH])
    again = await _store(sessionmaker, [RATES, MATCH])
    assert (first.added, again.added, again.skipped["unchanged"]) == (2, 0, 2)
    assert await _count(sessionmaker, Article) == 2


async def test_same_article_under_another_url_or_guid_is_skipped(sessionmaker):
    await _store(sessionmaker, [RATES])
    twin = replace(RATES, url="https://mirror.example.net/copy", guid="other-guid")
    report = await _store(sessionmaker, [twin])
    assert report.skipped["same article under another URL or GUID"] == 1
    assert await _count(sessionmaker, Article) == 1


async def test_updated_entry_with_same_guid_updates_in_place(sessionmaker):
    await _store(sessionmaker, [RATES])
    corrected = replace(RATES, title="Central bank raises rates (corrected)", text="New text here.")
    report = await _store(sessionmaker, [corrected])
    assert (report.added, report.updated) == (0, 1)
    async with session_scope(sessionmaker) as session:
        article = await session.scalar(select(Article))
    assert article.title == "Central bank raises rates (corrected)"
    assert article.summary == "New text here."


async def test_topics_stories_and_related_are_stored(sessionmaker):
    await _store(sessionmaker, [RATES, RATES_ELSEWHERE, MATCH, BANK_PROFILE])
    async with session_scope(sessionmaker) as session:
        articles = {a.url: a for a in await session.scalars(select(Article))}
        tags = {
            (url, slug)
            for url, slug in (
                await session.execute(
                    select(Article.url, Topic.slug)
                    .join(ArticleTopic, ArticleTopic.article_id == Article.id)
                    .join(Topic, Topic.id == ArticleTopic.topic_id)
                )
            ).all()
        }
        related = set(
            (
                await session.execute(select(RelatedArticle.article_id, RelatedArticle.related_id))
            ).all()
        )
        stories = list(await session.scalars(select(Story).order_by(Story.id)))
    rates, elsewhere = articles[RATES.url], articles[RATES_ELSEWHERE.url]
    profile, match = articles[BANK_PROFILE.url], articles[MATCH.url]
    assert rates.story_id == elsewhere.story_id
    assert len({rates.story_id, match.story_id, profile.story_id}) == 3
    assert stories[0].size == 2
    assert (RATES.url, "business") in tags and (MATCH.url, "sport") in tags
    assert (profile.id, rates.id) in related
    # Links are stored both ways: the older article gains the newer one.
    assert (rates.id, profile.id) in related
    async with session_scope(sessionmaker) as session:
        seen = await coverage(session=session, article_id=elsewhere.id)
        older = await coverage(session=session, article_id=rates.id)
    assert [a.id for a in seen.same_story] == [rates.id]
    # The story's first member sees the member that came after it.
    assert [a.id for a in older.same_story] == [elsewhere.id]
    assert profile.id in [a.id for a in older.related]
    assert rates.id not in [a.id for a in seen.related]  # same story, so not "related"
