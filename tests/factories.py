"""Test data written through the models, as the pipeline would have stored it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from digests.models import (
    Article,
    ArticleTopic,
    Chat,
    ChatType,
    Frequency,
    RelatedArticle,
    Source,
    Story,
    Subscription,
    Topic,
)


async def add_topics(session: AsyncSession, *slugs: str) -> dict[str, Topic]:
    """Topics in the given order, named after their slugs."""
    topics = {}
    for position, slug in enumerate(slugs):
        topic = Topic(slug=slug, name=slug.title(), position=position)
        session.add(topic)
        topics[slug] = topic
    await session.flush()
    return topics


async def add_chat(
    session: AsyncSession,
    telegram_id: int,
    *,
    topics: list[Topic] = (),
    timezone: str = "UTC",
    times: list[str] | None = None,
    next_digest_at: datetime | None = None,
    last_digest_at: datetime | None = None,
    language: str = "en",
    chat_type: ChatType = ChatType.PRIVATE,
    frequency: Frequency = Frequency.DAILY,
) -> Chat:
    """An active chat subscribed (digest and alerts) to topics."""
    chat = Chat(
        telegram_id=telegram_id,
        type=chat_type,
        timezone=timezone,
        language=language,
        digest_times=times or ["08:00"],
        frequency=frequency,
        next_digest_at=next_digest_at,
        last_digest_at=last_digest_at,
    )
    session.add(chat)
    await session.flush()
    for topic in topics:
        session.add(Subscription(chat_id=chat.id, topic_id=topic.id))
    await session.flush()
    return chat


async def add_source(
    session: AsyncSession, url: str, title: str | None = None, priority: int = 0
) -> Source:
    """A feed source."""
    source = Source(url=url, title=title, priority=priority)
    session.add(source)
    await session.flush()
    return source


async def add_article(
    session: AsyncSession,
    n: int,
    *,
    topics: dict[Topic, float],
    fetched_at: datetime,
    published_at: datetime | None = None,
    source: Source | None = None,
    story: Story | None = None,
    title: str | None = None,
    summary: str = "",
) -> Article:
    """An archived article tagged with topics."""
    article = Article(
        url=f"https://news.example/{n}",
        title=title or f"Article {n}",
        summary=summary,
        text="",
        content_hash=f"hash{n}",
        published_at=published_at or fetched_at,
        fetched_at=fetched_at,
        source_id=source.id if source else None,
        story_id=story.id if story else None,
    )
    session.add(article)
    await session.flush()
    for topic, score in topics.items():
        session.add(ArticleTopic(article_id=article.id, topic_id=topic.id, score=score))
    await session.flush()
    return article


async def add_story(session: AsyncSession, size: int, at: datetime) -> Story:
    """A story cluster of the given size."""
    story = Story(size=size, first_published_at=at, last_published_at=at)
    session.add(story)
    await session.flush()
    return story


async def relate(session: AsyncSession, article: Article, other: Article, score: float) -> None:
    """Link related coverage."""
    session.add(RelatedArticle(article_id=article.id, related_id=other.id, score=score))
    await session.flush()
