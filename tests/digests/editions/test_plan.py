"""Planning a batch of digests, data in and plan out: who is due, who shares what, what next."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from digests.editions.assemble import Candidate, Digest, Item, Section
from digests.editions.compose import Audience, ComposedEdition
from digests.editions.layout import DigestPart
from digests.editions.plan import (
    Advance,
    DueChat,
    Rendering,
    batch_writes,
    plan_batch,
)
from digests.models import ChatType, DeliveryKind, Frequency

# 08:00 in Warsaw on the first day after the clocks went forward.
MOMENT = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
NOW = MOMENT + timedelta(minutes=1)
TOMORROW = datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # 08:00 CEST again
WORLD, TECH = 1, 2
READER = DueChat(
    id=1,
    type=ChatType.PRIVATE,
    language="en",
    timezone="Europe/Warsaw",
    digest_times=["08:00"],
    frequency=Frequency.DAILY,
    weekly_day=None,
    link_previews=False,
    scheduled_for=MOMENT,
    window_start=MOMENT - timedelta(hours=24),
)


def chat(id, **changes):
    return replace(READER, id=id, **changes)


def planned_ids(plan):
    return [edition.chat.id for edition in plan.editions]


def advanced(plan):
    return {(advance.chat_ids, advance.built_for, advance.following) for advance in plan.advances}


def test_only_chats_due_by_now_are_planned_and_advanced():
    chats = [
        chat(1),
        chat(2, scheduled_for=MOMENT + timedelta(hours=1)),  # due later
        chat(3, scheduled_for=NOW - timedelta(seconds=10)),  # due, but still settling
    ]
    plan = plan_batch(chats, {1: (WORLD,), 2: (WORLD,), 3: (WORLD,)}, now=NOW)
    assert planned_ids(plan) == [1]
    assert advanced(plan) == {((1,), MOMENT, TOMORROW)}
    assert plan.audiences == (
        Audience(
            topic_ids=(WORLD,),
            start=MOMENT - timedelta(hours=24),
            end=MOMENT,
            language="en",
            timezone="Europe/Warsaw",
        ),
    )


def test_chats_with_the_same_topics_window_language_and_zone_share_one_audience():
    chats = [
        chat(1),
        chat(2),
        chat(3, type=ChatType.CHANNEL, link_previews=True),  # shown differently, reads the same
        chat(4, language="pl"),
        chat(5, timezone="Europe/London"),
        chat(6),  # fewer topics
        chat(7, window_start=MOMENT - timedelta(hours=3)),  # had a digest since
        chat(8),  # follows no topic
    ]
    topics = {n: (WORLD, TECH) for n in (1, 2, 3, 4, 5, 7)} | {6: (WORLD,)}
    plan = plan_batch(chats, topics, now=NOW)
    audience = {edition.chat.id: edition.audience for edition in plan.editions}
    assert audience[1] is audience[2] is audience[3]
    assert len(plan.audiences) == 5
    assert len({audience[n] for n in (1, 4, 5, 6, 7)}) == 5
    assert audience[4].language == "pl" and audience[5].timezone == "Europe/London"
    assert audience[7].start == MOMENT - timedelta(hours=3)
    assert audience[8] is None and 8 in planned_ids(plan)
    # Every chat moves on, with or without a digest.
    assert advanced(plan) == {
        ((1, 2, 3, 4, 6, 7, 8), MOMENT, TOMORROW),
        ((5,), MOMENT, MOMENT + timedelta(hours=1)),  # 08:00 in London is 07:00 UTC
    }


def test_each_schedule_moves_on_from_the_moment_its_edition_was_built_for():
    chats = [
        chat(1),
        chat(2, timezone="Asia/Tokyo", digest_times=["17:00", "15:00"]),
        # The bot was down for three days: the missed moments are skipped, not caught up.
        chat(3, scheduled_for=MOMENT - timedelta(days=3)),
        chat(4, frequency=Frequency.WEEKLY, weekly_day=2),
    ]
    plan = plan_batch(chats, {}, now=NOW)
    assert advanced(plan) == {
        ((1,), MOMENT, TOMORROW),
        ((2,), MOMENT, MOMENT + timedelta(hours=2)),  # 17:00 in Tokyo: 15:00 has passed
        ((3,), MOMENT - timedelta(days=3), TOMORROW),
        ((4,), MOMENT, datetime(2026, 4, 1, 6, 0, tzinfo=UTC)),  # Wednesday
    }


def test_a_chat_rescheduled_during_the_build_keeps_its_new_moment():
    # Each advance applies only where the chat's next moment is still the one it was built
    # for, so the moment it was claimed with must travel with it, not the moment it moves to.
    rescheduled = chat(2, scheduled_for=MOMENT - timedelta(hours=1))
    plan = plan_batch([chat(1), rescheduled], {}, now=NOW)
    assert sorted(plan.advances, key=lambda advance: advance.chat_ids) == [
        Advance((1,), built_for=MOMENT, following=TOMORROW),
        Advance((2,), built_for=MOMENT - timedelta(hours=1), following=TOMORROW),
    ]


PARTS = [
    DigestPart("Summit ends 🗞", article_ids=(11, 12), first_number=1),
    DigestPart("Chip news", article_ids=(13,), first_number=3),
]


def rendering_for(plan):
    [audience] = plan.audiences
    return {audience: Rendering(key="k1", article_ids=(11, 12, 13), encoded=encoded(PARTS))}


def encoded(parts):
    return tuple((part.text.encode(), part.article_ids, part.first_number) for part in parts)


def test_what_a_batch_queues_and_chats_of_one_rendering_share_its_payloads():
    chats = [
        chat(1),
        chat(2),
        chat(3, link_previews=True),
        chat(4, type=ChatType.CHANNEL),
        chat(5),
    ]
    plan = plan_batch(chats, {n: (WORLD,) for n in range(1, 5)}, now=NOW)
    writes = batch_writes(plan, rendering_for(plan), bot_username="newsbot_test_bot", now=NOW)

    by_chat = {}
    for message in writes.messages:
        assert (message.kind, message.ref) == (DeliveryKind.DIGEST, "digest:20260329T060000Z")
        by_chat.setdefault(message.chat_id, []).append(message)
    assert sorted(by_chat) == [1, 2, 3, 4]
    assert [message.part for message in by_chat[1]] == [0, 1]
    first = by_chat[1][0].payload
    assert first == {
        "text": "Summit ends 🗞",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": {
            "inline_keyboard": [
                [
                    {"text": "🔗 1", "callback_data": "rl:11"},
                    {"text": "🔗 2", "callback_data": "rl:12"},
                ]
            ]
        },
    }
    assert by_chat[2][0].payload is first and by_chat[2][1].payload is by_chat[1][1].payload
    assert by_chat[3][0].payload["link_preview_options"] == {"is_disabled": False}
    assert by_chat[4][1].payload["reply_markup"] == {
        "inline_keyboard": [[{"text": "🔗 3", "url": "https://t.me/newsbot_test_bot?start=r13"}]]
    }
    rows = {row["chat_id"]: row for row in writes.editions}
    assert rows[1] == {
        "chat_id": 1,
        "scheduled_for": MOMENT,
        "window_start": MOMENT - timedelta(hours=24),
        "window_end": MOMENT,
        "article_ids": [11, 12, 13],
        "parts": 2,
        "render_key": "k1",
        "built_at": NOW,
    }
    assert (rows[5]["article_ids"], rows[5]["parts"], rows[5]["render_key"]) == ([], 0, None)
    assert writes.advances == plan.advances


def test_a_rendering_with_nothing_to_send_queues_nothing_but_records_the_edition():
    plan = plan_batch([chat(1)], {1: (WORLD,)}, now=NOW)
    [audience] = plan.audiences
    quiet = {audience: Rendering(key="k0", article_ids=(), encoded=())}
    writes = batch_writes(plan, quiet, bot_username=None, now=NOW)
    assert writes.messages == []
    [row] = writes.editions
    assert (row["parts"], row["render_key"]) == (0, "k0")


def test_a_rendering_keeps_its_text_articles_and_a_key_stable_across_processes():
    [audience] = plan_batch([chat(1)], {1: (WORLD, TECH)}, now=NOW).audiences
    article = Candidate(
        id=11,
        title="Summit ends",
        url="https://news.example/11",
        summary="",
        source="Desk",
        published_at=MOMENT,
        topics={WORLD: 1.0},
    )
    digest = Digest(sections=(Section(WORLD, (Item(article, more_sources=0, score=1.0),)),))
    rendering = Rendering.of(audience, ComposedEdition(digest, PARTS))
    assert rendering.parts() == PARTS
    assert rendering.article_ids == (11,)
    # The key editions were always stamped with: blake2b of the (topics, window, language,
    # zone) tuple's repr, so editions built before and after a deploy still group together.
    assert rendering.key == "607d2b97da27b482"
    polish = Rendering.of(replace(audience, language="pl"), ComposedEdition(digest, PARTS))
    assert polish.key != rendering.key
