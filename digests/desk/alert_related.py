"""Related coverage under a breaking alert: when its link is an archived article, up to three
other articles of that story or related to it (the archive's related-coverage lookup)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from digests.archive.lookups import coverage, find_article
from digests.text.telegram_html import clip, safe_url

RELATED_LINKS = 3
TITLE_LENGTH = 90


async def related_links(*, session: AsyncSession, link: str | None) -> list[dict[str, str]]:
    """Title and URL of up to three articles covering what the alert links to: the same story
    first, then related stories; none when the link is not an archived article."""
    article = await find_article(session=session, reference=link) if link else None
    found = await coverage(session=session, article_id=article.id) if article else None
    if found is None:
        return []
    links: dict[str, str] = {}
    for view in [*found.same_story, *found.related]:
        url = safe_url(view.url, web_only=True)
        if url and url != found.article.url and url not in links:
            links[url] = clip(view.title, TITLE_LENGTH)
    return [{"title": title, "url": url} for url, title in list(links.items())[:RELATED_LINKS]]
