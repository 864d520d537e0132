"""Desk figures from the database, and the chart drawn from them."""

from __future__ import annotations

import io
import struct
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from bot.keyboards import parse_labels
from digests.db import session_scope
from digests.delivery.failures import FailureCode
from digests.desk.chart import draw_chart
from digests.desk.stats import collect_stats, day_range, events_per_day
from digests.models import ChatEvent, ChatStatus, Delivery, DeliveryKind, DeliveryStatus
from digests.text.render import Renderer
from tests.factories import add_chat, add_topics

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_day_range_ends_today():
    assert day_range(NOW, 3) == [date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)]


def test_events_split_into_joins_and_leaves_by_campaign():
    days = day_range(NOW, 2)
    joins, leaves = events_per_day(
        [
            (NOW, "join", "spring"),
            (NOW - timedelta(days=1), "join", "spring"),
            (NOW, "join", None),
            (NOW, "blocked", "spring"),
            (NOW, "stop", None),
            (NOW, "migrated", None),
            (NOW - timedelta(days=9), "join", "old"),
        ],
        days,
    )
    assert joins == {"spring": [1, 1], "": [0, 1]}
    assert leaves == {"": [0, 1], "spring": [0, 1]}


async def seed(sessionmaker):
    async with session_scope(sessionmaker) as session:
        topics = await add_topics(session, "world", "tech")
        reader = await add_chat(session, 1, topics=[topics["world"], topics["tech"]])
        await add_chat(session, 2, topics=[topics["world"]])
        gone = await add_chat(session, 3, topics=[topics["tech"]])
        gone.status = ChatStatus.BLOCKED
        for at, event, campaign in [
            (NOW - timedelta(days=1), "join", "spring"),
            (NOW, "join", "spring"),
            (NOW, "join", None),
            (NOW, "blocked", None),
        ]:
            session.add(
                ChatEvent(
                    at=at, telegram_chat_id=9, chat_type="private", event=event, campaign=campaign
                )
            )
        for n, (status, code, when) in enumerate(
            [
                (DeliveryStatus.SENT, None, NOW),
                (DeliveryStatus.SENT, None, NOW),
                (DeliveryStatus.SENT, None, NOW - timedelta(days=1)),
                (DeliveryStatus.FAILED, FailureCode.BLOCKED, NOW),
                (DeliveryStatus.FAILED, FailureCode.CHAT_NOT_FOUND, NOW),
                (DeliveryStatus.FAILED, FailureCode.BLOCKED, NOW),
                (DeliveryStatus.FAILED, None, NOW),  # from before codes: "other"
            ]
        ):
            session.add(
                Delivery(
                    chat_id=reader.id,
                    kind=DeliveryKind.DIGEST,
                    ref=f"d{n}",
                    payload={},
                    status=status,
                    error=f"Telegram's words for {code}",
                    error_code=code,
                    created_at=when,
                    sent_at=when if status is DeliveryStatus.SENT else None,
                )
            )


async def test_collect_stats_counts_what_happened(sessionmaker):
    await seed(sessionmaker)
    async with session_scope(sessionmaker) as session:
        stats = await collect_stats(session=session, now=NOW, days=3)
    assert stats.active_chats == 2
    assert stats.subscribers == [("World", 2), ("Tech", 1)]
    assert stats.joins == {"spring": [0, 1, 1], "": [0, 0, 1]}
    assert stats.leaves == {"": [0, 0, 1]}
    assert stats.sent == [0, 1, 2]
    assert stats.failed == [0, 0, 4]
    assert stats.failures == [
        (FailureCode.BLOCKED, 2),
        (FailureCode.CHAT_NOT_FOUND, 1),
        (FailureCode.OTHER, 1),
    ]


async def test_the_chart_is_a_real_png_of_a_sensible_size(sessionmaker):
    await seed(sessionmaker)
    async with session_scope(sessionmaker) as session:
        stats = await collect_stats(session=session, now=NOW, days=14)
    labels = parse_labels(Renderer().render("desk/chart_labels.txt"))

    png = draw_chart(stats, labels)

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1100, 800)
    assert 10_000 < len(png) < 1_000_000
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (1100, 800)
        # Not a blank canvas: the panels drew in several colours.
        assert len(image.convert("RGB").getcolors(maxcolors=100_000) or []) > 20


def test_an_empty_newsroom_still_draws():
    empty = collect_empty()
    png = draw_chart(empty, parse_labels(Renderer().render("desk/chart_labels.txt")))
    assert png.startswith(b"\x89PNG")


def collect_empty():
    from digests.desk.stats import Stats

    days = day_range(NOW, 14)
    return Stats(
        days=days,
        active_chats=0,
        subscribers=[],
        joins={},
        leaves={},
        sent=[0] * 14,
        failed=[0] * 14,
        failures=[],
    )
