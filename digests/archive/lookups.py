"""Reader lookups: latest articles, one article by id or URL, its story and related coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from digests.errors import UnknownTopics
from digests.ids import parse_id
from digests.ingest.normalize import canonical_url
from digests.models import Article, ArticleTopic, RelatedArticle, Source, Topic

MAX_PAGE = 50


@dataclass(frozen=True)
class ArticleView:
    """What a reader sees of an article in a list."""

    id: int
    title: str
    url: str
    source: str
    published_at: datetime
    summary: str = ""


@dataclass(frozen=True)
class Coverage:
    """An article with the other coverage of its story and related stories."""

    article: ArticleView
    same_story: list[ArticleView]
    related: list[ArticleView]


def _view(article: Article, source_title: str | None) -> ArticleView:
    return ArticleView(
        id=article.id,
        title=article.title,
        url=article.url,
        source=source_title or "",
        published_at=article.published_at,
        summary=article.summary,
    )


def _with_source() -> Select[Article, str | None]:
    return select(Article, Source.title).outerjoin(Source, Source.id == Article.source_id)


async def latest(
    *,
    session: AsyncSession,
    topic: str | None = None,
    limit: int = 5,
    offset: int = 0,
    published_after: datetime | None = None,
) -> list[ArticleView]:
    """The newest articles, optionally in one topic (by slug; UnknownTopics if there is no
    such topic; a top-stories topic is all), published since `published_after` when given
    (older news is not news).
    """
    query = _with_source()
    if topic is not None:
        row = (
            await session.execute(
                select(Topic.id, Topic.top_items).where(Topic.slug == topic, Topic.active)
            )
        ).first()
        if row is None:
            known = await session.scalars(
                select(Topic.slug).where(Topic.active).order_by(Topic.position, Topic.id)
            )
            raise UnknownTopics([topic], list(known))
        if row.top_items is None:
            query = query.join(ArticleTopic, ArticleTopic.article_id == Article.id).where(
                ArticleTopic.topic_id == row.id
            )
    if published_after is not None:
        query = query.where(Article.published_at >= published_after)
    rows = await session.execute(
        query.order_by(Article.published_at.desc(), Article.id.desc())
        .limit(min(limit, MAX_PAGE))
        .offset(max(0, offset))
    )
    return [_view(article, title) for article, title in rows]


async def find_article(*, session: AsyncSession, reference: str) -> Article | None:
    """An article by its archive number ('1234' or '#1234') or by any URL it was published
    under (tracking removed).
    """
    reference = reference.strip()
    number = parse_id(reference.removeprefix("#"))
    if number is not None:
        return await session.get(Article, number)
    if not reference.lower().startswith(("http://", "https://")):
        return None
    try:
        url = canonical_url(reference)
    except ValueError:
        return None
    return await session.scalar(select(Article).where(Article.url == url))


async def coverage(*, session: AsyncSession, article_id: int, limit: int = 5) -> Coverage | None:
    """The article, other articles of its story, and its related stories."""
    row = (await session.execute(_with_source().where(Article.id == article_id))).first()
    if row is None:
        return None
    article, source_title = row
    same_story: list[ArticleView] = []
    if article.story_id is not None:
        rows = await session.execute(
            _with_source()
            .where(Article.story_id == article.story_id, Article.id != article.id)
            .order_by(Article.published_at.desc())
            .limit(limit)
        )
        same_story = [_view(a, t) for a, t in rows]
    other = aliased(Article)
    rows = await session.execute(
        select(other, Source.title)
        .join(RelatedArticle, RelatedArticle.related_id == other.id)
        .outerjoin(Source, Source.id == other.source_id)
        .where(RelatedArticle.article_id == article.id)
        .order_by(RelatedArticle.score.desc())
        .limit(limit)
    )
    related = [_view(a, t) for a, t in rows]
    return Coverage(article=_view(article, source_title), same_story=same_story, related=related)
