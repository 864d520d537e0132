"""Inline mode: @bot words in any chat offers articles to share, paged with next_offset."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from bot.context import NewsContext
from digests.archive.lookups import ArticleView, latest
from digests.archive.search import SearchHit, search
from digests.ids import parse_id
from digests.text.telegram_html import clip

INLINE_PAGE = 20
MAX_OFFSET = 1000


async def inline_search(update: Update, context: NewsContext) -> None:
    """Articles matching the words (the latest ones for an empty query)."""
    query = update.inline_query
    if query is None:
        return
    offset = parse_id(query.offset, maximum=MAX_OFFSET) or 0
    language = context.language_for(query.from_user.language_code)
    found: Sequence[SearchHit | ArticleView]
    async with context.session() as session:
        if query.query.strip():
            found = await search(
                session=session, query=query.query[:200], limit=INLINE_PAGE, offset=offset
            )
        else:
            found = await latest(session=session, limit=INLINE_PAGE, offset=offset)
    results = [
        InlineQueryResultArticle(
            id=str(article.article_id if isinstance(article, SearchHit) else article.id),
            title=clip(article.title, 120),
            description=clip(article.summary, 200) or None,
            url=article.url if article.url.startswith(("http://", "https://")) else None,
            input_message_content=InputTextMessageContent(
                context.render("lookups/inline_article.html", language=language, article=article)
            ),
        )
        for article in found
    ]
    more = len(found) == INLINE_PAGE and offset + INLINE_PAGE < MAX_OFFSET
    await query.answer(
        results, cache_time=30, next_offset=str(offset + INLINE_PAGE) if more else ""
    )
