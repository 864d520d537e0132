"""Links kept both ways and bounded, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from digests.db import session_scope
from digests.enrich.linker import store_links
from digests.enrich.linking import LINKS_KEPT
from digests.models import Article, RelatedArticle

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


async def test_links_are_stored_both_ways_and_each_article_keeps_only_its_best(sessionmaker):
    async with session_scope(sessionmaker) as session:
        session.add_all(
            Article(
                id=i,
                url=f"https://x.example/{i}",
                title=f"A {i}",
                content_hash=str(i),
                published_at=NOW,
            )
            for i in range(1, LINKS_KEPT + 8)
        )
        await session.flush()
        # Every later article links to article 1, each a little more strongly.
        for i in range(2, LINKS_KEPT + 8):
            await store_links(session, [(i, [(1, 0.1 + i / 100)])])
    async with session_scope(sessionmaker) as session:
        kept = list(
            await session.scalars(
                select(RelatedArticle.related_id)
                .where(RelatedArticle.article_id == 1)
                .order_by(RelatedArticle.related_id)
            )
        )
        forward = await session.scalar(select(func.count()).where(RelatedArticle.related_id == 1))
    assert kept == list(range(8, LINKS_KEPT + 8))  # the strongest LINKS_KEPT
    assert forward == LINKS_KEPT + 6  # each article's own link to 1 stays
