"""Every listing fits one Telegram message, whatever its data: hostile text at its size limits.

Each listing template is rendered as its handler renders it (a page of its size) with every
field at the longest it can be stored or typed, of characters that cost the most: astral
emoji count two UTF-16 units, `&` and `<` are escaped. Telegram's parser (the fake's copy)
must accept the HTML and the visible text must be at most 4096 UTF-16 units.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.context import services_of
from bot.desk_keyboards import SOURCE_LIST
from bot.fakeapi.telegram_html import parse_telegram_html, utf16_len
from bot.handlers import desk_sources, lookups
from digests.archive.lookups import ArticleView, Coverage
from digests.archive.search import MARK_END, MARK_START, SearchHit
from digests.db import session_scope
from digests.desk.sources_admin import SourceHealth
from digests.models import Source, SourceStatus, Topic, utcnow
from digests.text.telegram_html import MESSAGE_LIMIT
from tests.factories import add_article

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
COSTLY = st.sampled_from(["🏳️‍🌈", "😀", "𝔸", "&", "<", ">", "=", "\u200d", " ", "a", '"'])


def hostile(size: int) -> st.SearchStrategy[str]:
    """Text of `size` characters (or more), mostly the costliest ones."""
    unit = st.lists(st.one_of(COSTLY, st.characters(codec="utf-8")), min_size=1, max_size=6)
    return st.tuples(unit.map("".join), st.text(max_size=5)).map(
        lambda parts: (parts[0] * size)[:size] + parts[1]
    )


def url(size: int = 2048) -> st.SearchStrategy[str]:
    return hostile(size - 30).map(lambda tail: "https://news.example/" + tail.replace(" ", "-"))


def articles(count: int) -> st.SearchStrategy[list[ArticleView]]:
    view = st.builds(
        ArticleView,
        id=st.integers(1, 2**31 - 1),
        title=hostile(1000),
        url=url(),
        source=hostile(255),
        published_at=st.just(NOW - timedelta(days=400)),
        summary=hostile(4000),
    )
    return st.lists(view, min_size=count, max_size=count)


def check(text: str) -> None:
    """Telegram accepts the HTML and the text fits one message."""
    visible = parse_telegram_html(text)
    assert utf16_len(visible) <= MESSAGE_LIMIT, utf16_len(visible)


SIZES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SIZES
@given(found=articles(lookups.PAGE), topic=hostile(32))
def test_latest(renderer, found, topic):
    for language in ("en", "pl"):
        check(
            renderer.render(
                "lookups/latest.html",
                language=language,
                topic=topic,
                articles=found,
                first=lookups.MAX_PAGES * lookups.PAGE,
                tz="Europe/Warsaw",
                now=NOW,
            )
        )


@SIZES
@given(found=articles(lookups.PAGE), snippet=hostile(5000), query=hostile(4096))
def test_search_results(renderer, found, snippet, query):
    marked = snippet[:100] + MARK_START + snippet[100:3000] + MARK_END + snippet[3000:]
    hits = [
        SearchHit(
            article_id=a.id,
            title=a.title,
            url=a.url,
            summary=a.summary,
            published_at=a.published_at,
            score=1.0,
            snippet=marked,
            source=a.source,
        )
        for a in found
    ]
    for language in ("en", "pl"):
        check(
            renderer.render(
                "lookups/results.html",
                language=language,
                query=query,
                hits=hits,
                page=lookups.MAX_PAGES,
                first=lookups.MAX_PAGES * lookups.PAGE,
                tz="Europe/Warsaw",
                now=NOW,
            )
        )


@SIZES
@given(main=articles(1), same=articles(5), related=articles(5))
def test_coverage(renderer, main, same, related):
    coverage = Coverage(article=main[0], same_story=same, related=related)
    check(
        renderer.render(
            "lookups/coverage.html", language="en", coverage=coverage, tz="UTC", now=NOW
        )
    )


@SIZES
@given(
    titles=st.lists(hostile(255), min_size=desk_sources.PAGE, max_size=desk_sources.PAGE),
    address=url(),
    error=hostile(1000),
    reason=hostile(1000),
)
def test_sources(renderer, titles, address, error, reason):
    sources = [
        SourceHealth(
            Source(
                id=2**31 - 1 - n,
                url=address,
                title=title,
                status=SourceStatus.PAUSED if n % 2 else SourceStatus.ACTIVE,
                paused_reason=reason,
                last_error=error,
                error_count=99_999,
                last_fetch_at=NOW - timedelta(days=3),
                next_fetch_at=NOW + timedelta(days=3),
            ),
            articles_24h=10**6,
        )
        for n, title in enumerate(titles)
    ]
    for language in ("en", "pl"):
        check(
            renderer.render(
                "desk/sources.html",
                language=language,
                sources=sources,
                first=10**6,
                total=10**7,
                tz="Europe/Warsaw",
                now=NOW,
            )
        )


@SIZES
@given(previews=st.lists(hostile(4096), min_size=10, max_size=10))
def test_alerts_list(renderer, previews):
    alerts = [
        {
            "id": 2**31 - 1,
            "created_at": NOW,
            "status": "sending",
            "audience": "topic",
            "topic_id": 1,
            "total": 10**7,
            "preview": preview,
        }
        for preview in previews
    ]
    statuses = {s: s for s in ("draft", "sending", "sent", "cancelled", "retracted")}
    check(
        renderer.render(
            "desk/alerts_list.html",
            language="en",
            alerts=alerts,
            statuses=statuses,
            topic_names={1: "x" * 100},
            tz="UTC",
            now=NOW,
        )
    )


async def test_sources_with_twenty_failing_sources_are_paged(application, api, deliver):
    """Twenty-three sources, each at its longest and failing: every page fits, all are shown."""
    async with session_scope(services_of(application).sessionmaker) as session:
        for n in range(23):
            session.add(
                Source(
                    url=f"https://feeds.example/{n}/" + "😀" * 1900,
                    title=("🏳️‍🌈" * 255)[:255],
                    last_error="Connect call failed " + "&" * 1000,
                    error_count=7,
                    next_fetch_at=utcnow(),
                )
            )
    await deliver(api.user_message("/sources"))
    listing = api.sent_messages(chat_id=1001)[-1]
    assert listing["plain_text"].startswith("Sources (1–5 of 23)")
    seen, pages = set(), 0
    while True:
        pages += 1
        text = api.message(1001, listing["message_id"])["text"]
        assert utf16_len(text) <= MESSAGE_LIMIT
        seen |= {line.split()[0] for line in text.splitlines() if line.startswith("#")}
        rows = api.message(1001, listing["message_id"])["reply_markup"]["inline_keyboard"]
        pager = [b for b in rows[-1] if b["callback_data"].startswith(SOURCE_LIST + ":")]
        following = [b for b in pager if b["text"].startswith("Next")]
        if not following:
            break
        await deliver(api.callback_query(following[0]["callback_data"]))
    assert pages == 5
    assert seen == {f"#{n}" for n in range(1, 24)}
    assert "Sources (21–23 of 23)" in api.message(1001, listing["message_id"])["text"]


async def test_search_snippets_of_long_tokens_fit(application, api, deliver):
    """Articles whose text is long runs of ==== and emoji: the results still fit."""
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        for n in range(6):
            await add_article(
                session,
                n,
                topics={tech: 1.0},
                title="🏳️‍🌈" * 300 + " bridge",
                summary="bridge " + "=" * 3000 + " " + "😀" * 3000 + " bridge",
                fetched_at=utcnow() - timedelta(hours=n),
            )
    await deliver(api.user_message("/search bridge"))
    reply = api.sent_messages(chat_id=1001)[-1]
    assert reply["plain_text"].startswith("🔎 Results for “bridge”")
    assert utf16_len(reply["plain_text"]) <= MESSAGE_LIMIT
