"""Lookups from the chat: search with paging, latest, related coverage, inline mode, /digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.context import services_of
from digests.db import session_scope
from digests.models import Topic, utcnow
from tests.factories import add_article, add_source, add_story, relate


@pytest.fixture
async def archive(application):
    """Twelve tram stories in one story cluster except the last, and a related explainer."""
    now = utcnow()
    async with session_scope(services_of(application).sessionmaker) as session:
        tech = await session.scalar(select(Topic).where(Topic.slug == "tech"))
        politics = await session.scalar(select(Topic).where(Topic.slug == "politics"))
        courier = await add_source(session, "https://courier.example/feed", title="Courier")
        story = await add_story(session, 2, now)
        articles = []
        for n in range(1, 13):
            articles.append(
                await add_article(
                    session,
                    n,
                    topics={politics: 1.0},
                    source=courier,
                    story=story if n <= 2 else None,
                    title=f"Harbour tram vote {n}",
                    summary=f"The council voted on the tram, part {n}.",
                    fetched_at=now - timedelta(hours=n),
                    published_at=now - timedelta(hours=n),
                )
            )
        explainer = await add_article(
            session,
            13,
            topics={tech: 1.0},
            title="How trams are built",
            summary="Rails, wires and <b>steel</b>.",
            fetched_at=now - timedelta(hours=1),
        )
        await relate(session, articles[0], explainer, 0.6)
    return articles


async def test_search_finds_ranked_results_and_pages(application, api, deliver, archive):
    await deliver(api.user_message("/search tram vote", user_id=90))
    first = api.sent_messages(chat_id=90)[-1]
    assert first["text"].startswith("🔎 <b>Results for “tram vote”</b>")
    assert first["text"].count("Harbour tram vote") == 5
    assert "<b>1.</b>" in first["text"] and "<b>5.</b>" in first["text"]
    [[next_button]] = first["reply_markup"]["inline_keyboard"]
    assert next_button["text"] == "Next »"

    await deliver(api.callback_query(next_button["callback_data"], user_id=90))
    second = api.message(90, first["message_id"])
    assert "6. Harbour tram vote 6" in second["text"]  # the stored message is plain text
    labels = [b["text"] for b in second["reply_markup"]["inline_keyboard"][0]]
    assert labels == ["« Previous", "Next »"]


async def test_plain_text_in_private_is_a_search_but_not_in_groups(
    application, api, deliver, archive
):
    await deliver(api.user_message("trams built", user_id=91))
    assert "How trams are built" in api.sent_messages(chat_id=91)[-1]["text"]
    api.set_chat(-100_42, type="supergroup", title="Chatty")
    await deliver(api.user_message("trams built", user_id=91, chat_id=-100_42))
    assert api.sent_messages(chat_id=-100_42) == []


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "(((", "-", "*", "NEAR(a b)"])
async def test_hostile_queries_get_an_answer_not_an_error(
    application, api, deliver, archive, query
):
    await deliver(api.user_message(f"/search {query}", user_id=92))
    reply = api.sent_messages(chat_id=92)[-1]["text"]
    assert "Sorry, something went wrong" not in reply


async def test_search_without_words_explains_itself(application, api, deliver):
    await deliver(api.user_message("/search", user_id=93))
    assert api.sent_messages(chat_id=93)[-1]["text"].startswith("Usage: /search &lt;words&gt;")


async def test_nothing_found_suggests_syntax(application, api, deliver, archive):
    await deliver(api.user_message("/search zeppelin", user_id=93))
    assert api.sent_messages(chat_id=93)[-1]["text"].startswith("Nothing found for “zeppelin”.")


async def test_latest_overall_and_by_topic(application, api, deliver, archive):
    await deliver(api.user_message("/latest", user_id=94))
    text = api.sent_messages(chat_id=94)[-1]["text"]
    assert text.startswith("🗞 <b>Latest news</b>")
    await deliver(api.user_message("/latest tech", user_id=94))
    text = api.sent_messages(chat_id=94)[-1]["text"]
    assert "How trams are built" in text and "Harbour tram" not in text
    await deliver(api.user_message("/latest astrology", user_id=94))
    assert api.sent_messages(chat_id=94)[-1]["text"].startswith("No such topic: astrology.")


async def test_related_by_number_or_address(application, api, deliver, archive):
    lead = archive[0]
    await deliver(api.user_message(f"/related #{lead.id}", user_id=95))
    text = api.sent_messages(chat_id=95)[-1]["text"]
    assert "<b>Other coverage of this story</b>" in text and "Harbour tram vote 2" in text
    assert "<b>Related stories</b>" in text and "How trams are built" in text

    await deliver(api.user_message(f"/related {lead.url}?utm_source=x#top", user_id=95))
    assert "Harbour tram vote 2" in api.sent_messages(chat_id=95)[-1]["text"]

    await deliver(api.user_message("/related https://elsewhere.example/x", user_id=95))
    assert api.sent_messages(chat_id=95)[-1]["text"].startswith(
        "I have no article “https://elsewhere.example/x” in the archive."
    )


async def test_the_related_button_and_the_channel_deep_link(application, api, deliver, archive):
    await deliver(api.user_message("/start", user_id=96))
    await deliver(api.callback_query(f"rl:{archive[0].id}", user_id=96))
    assert "<b>Related stories</b>" in api.sent_messages(chat_id=96)[-1]["text"]
    await deliver(api.user_message(f"/start r{archive[0].id}", user_id=97))
    assert "<b>Other coverage of this story</b>" in api.sent_messages(chat_id=97)[-1]["text"]


async def test_inline_mode_offers_articles_with_paging(application, api, deliver, archive):
    await deliver(api.inline_query("tram", user_id=98))
    [answer] = api.calls_to("answerInlineQuery")
    results = answer.params["results"]
    assert 1 <= len(results) <= 20
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    assert not answer.params.get("next_offset")  # 13 matches fit one page

    await deliver(api.inline_query("", user_id=98))
    latest_answer = api.calls_to("answerInlineQuery")[-1].params
    assert len(latest_answer["results"]) == 13


async def test_digest_now(application, api, deliver, archive):
    await deliver(api.user_message("/digest", user_id=99))
    assert api.sent_messages(chat_id=99)[-1]["text"].startswith("You don't follow any topic yet")
    await deliver(api.user_message("/subscribe politics tech", user_id=99))
    await deliver(api.user_message("/digest", user_id=99))
    digest = api.sent_messages(chat_id=99)[-1]
    assert digest["text"].startswith("<b>📰 Your digest</b>")
    assert "Harbour tram vote 1" in digest["text"]
    first_button = digest["reply_markup"]["inline_keyboard"][0][0]
    assert first_button["text"] == "🔗 1" and first_button["callback_data"].startswith("rl:")
