"""Topics a pushed article names survive `newsbot topics retag`."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from digests.db import create_engine, create_sessionmaker, session_scope
from digests.models import Article, ArticleTopic, Topic
from tests.bot.cli.running import newsbot


async def slugs_of(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            rows = await session.scalars(
                select(Topic.slug)
                .join(ArticleTopic, ArticleTopic.topic_id == Topic.id)
                .join(Article, Article.id == ArticleTopic.article_id)
                .order_by(Topic.slug)
            )
            return list(rows)
    finally:
        await engine.dispose()


def test_retag_keeps_the_topics_a_pushed_article_named(tmp_path, database_url):
    line = {
        "title": "A quiet afternoon at the club",
        "url": "https://cms.example/club",
        "text": "Members met for tea.",  # no rule would call this sport
        "published": "2026-11-01T10:00:00Z",
        "topics": ["sport"],
    }
    path = tmp_path / "push.jsonl"
    path.write_text(json.dumps(line) + "\n")
    ingested = newsbot("ingest", str(path), cwd=tmp_path, DATABASE_URL=database_url)
    assert ingested.returncode == 0, ingested.stderr
    assert asyncio.run(slugs_of(database_url)) == ["sport"]

    retag = newsbot("topics", "retag", cwd=tmp_path, DATABASE_URL=database_url)
    assert retag.returncode == 0, retag.stderr
    assert asyncio.run(slugs_of(database_url)) == ["sport"]
