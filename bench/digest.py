"""Digest engine at scale: 100,000 chats, 20 topics, 2,000 articles in the window.

One chat in ten holds a keyword filter (/exclude), from a handful of words.

Sets up an archive (untimed) on SQLite, or on PostgreSQL in a scratch database of its own,
then, each in a fresh process so peak memory is its own:
  build  — claim every due chat, assemble, render (once per audience), queue, advance;
  floor  — bulk-insert the very same outbox rows into a copy of the set-up database.
Prints one JSON object last: build seconds, floor seconds, their ratio, renderings, peak RSS.

    python -m bench.digest [--chats 100000] [--articles 2000] [--seed 7]
    python -m bench.digest --chats 1000000 --backend postgresql [--database-url URL]

PostgreSQL: the server is --database-url, else NEWSBOT_BENCH_POSTGRES_URL, else
NEWSBOT_TEST_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/postgres; the bench
creates its two databases there and drops them at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench.common import DEFAULT_POSTGRES, load_average, postgres_server, scratch_postgres
from digests import migrate
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.delivery.outbox import OutgoingMessage, enqueue
from digests.editions.build import BuildCache, BuildOptions, build_due_editions
from digests.models import (
    Article,
    ArticleTopic,
    Chat,
    ChatFilter,
    Delivery,
    RelatedArticle,
    Story,
    Subscription,
    Topic,
)
from digests.text.render import Renderer

MOMENT = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
FLOOR_CHUNK = 10_000
TOPICS = 20
# A newsroom's readers: most in its own zone and language, popular topics more followed.
ZONES = [("Europe/Warsaw", 0.85), ("Europe/London", 0.1), ("America/New_York", 0.05)]
LANGUAGES = [("en", 0.7), ("pl", 0.3)]
FILTERED_SHARE, FILTERED_WORDS = 0.10, 5
WORDS = (
    "council budget river summit market chip vaccine match festival rate election harbour "
    "tram study storm court strike museum startup league minister climate"
).split()


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


async def set_up(url: str, chats: int, articles: int, seed: int) -> None:
    """Topics, articles with stories and related links, chats with subscriptions."""
    rng = random.Random(seed)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with session_scope(sessionmaker) as session:
        await session.execute(
            insert(Topic),
            [
                {
                    "slug": f"topic{n}",
                    "name": f"Topic {n}",
                    "position": n,
                    "description": "",
                    "keywords": [],
                    "categories": [],
                    "active": True,
                }
                for n in range(1, TOPICS + 1)
            ],
        )
        stories = [
            {
                "id": n,
                "size": rng.randint(1, 6),
                "first_published_at": MOMENT,
                "last_published_at": MOMENT,
            }
            for n in range(1, articles // 3 + 1)
        ]
        await session.execute(insert(Story), stories)
        await session.execute(
            insert(Article),
            [
                {
                    "id": n,
                    "url": f"https://news.example/{n}",
                    "title": " ".join(rng.choices(WORDS, k=9)).capitalize(),
                    "summary": " ".join(rng.choices(WORDS, k=40)).capitalize() + ".",
                    "text": "",
                    "content_hash": f"h{n}",
                    "categories": [],
                    "published_at": MOMENT - timedelta(minutes=rng.randint(1, 1400)),
                    "fetched_at": MOMENT - timedelta(minutes=rng.randint(1, 1400)),
                    "updated_at": MOMENT,
                    "story_id": rng.choice(stories)["id"] if rng.random() < 0.5 else None,
                }
                for n in range(1, articles + 1)
            ],
        )
        await session.execute(
            insert(ArticleTopic),
            [
                {"article_id": n, "topic_id": t, "score": rng.random()}
                for n in range(1, articles + 1)
                for t in set(rng.choices(range(1, TOPICS + 1), k=rng.randint(1, 2)))
            ],
        )
        await session.execute(
            insert(RelatedArticle),
            [
                {"article_id": n, "related_id": r, "score": rng.random()}
                for n in range(1, articles + 1)
                for r in {rng.randint(1, articles) for _ in range(3)} - {n}
            ],
        )
    popularity = [1 / rank for rank in range(1, TOPICS + 1)]
    for start in range(0, chats, 10_000):
        async with session_scope(sessionmaker) as session:
            rows = [
                {
                    "id": n,
                    "telegram_id": 10_000_000 + n,
                    "type": "private",
                    "language": _pick(rng, LANGUAGES),
                    "timezone": _pick(rng, ZONES),
                    "digest_times": ["08:00"],
                    "frequency": "daily",
                    "alerts_enabled": True,
                    "link_previews": False,
                    "status": "active",
                    "next_digest_at": MOMENT,
                    "created_at": MOMENT,
                    "updated_at": MOMENT,
                }
                for n in range(start + 1, min(chats, start + 10_000) + 1)
            ]
            await session.execute(insert(Chat), rows)
            await session.execute(
                insert(Subscription),
                [
                    {
                        "chat_id": row["id"],
                        "topic_id": topic,
                        "digest": True,
                        "alerts": True,
                        "created_at": MOMENT,
                    }
                    for row in rows
                    for topic in set(
                        rng.choices(range(1, TOPICS + 1), weights=popularity, k=rng.randint(1, 4))
                    )
                ],
            )
            # One chat in ten holds a keyword filter, one of a few words, as readers would.
            await session.execute(
                insert(ChatFilter),
                [
                    {
                        "chat_id": row["id"],
                        "kind": "exclude",
                        "phrase": rng.choice(WORDS[:FILTERED_WORDS]),
                        "created_at": MOMENT,
                    }
                    for row in rows
                    if rng.random() < FILTERED_SHARE
                ],
            )
    await engine.dispose()


async def build(url: str) -> dict:
    """Run the digest job until nothing is due; time it."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    renderer = Renderer()
    cache = BuildCache()
    options = BuildOptions(bot_username="newsbot_bench_bot")
    now = MOMENT + timedelta(minutes=1)
    started = time.perf_counter()
    chats = messages = renderings = batches = 0
    while True:
        async with session_scope(sessionmaker) as session:
            report = await build_due_editions(
                session=session, renderer=renderer, now=now, options=options, cache=cache
            )
        batches += 1
        chats, messages, renderings = (
            chats + report.chats,
            messages + report.messages,
            renderings + report.renderings,
        )
        if report.chats == 0:
            break
    seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": seconds,
        "chats": chats,
        "messages": messages,
        "renderings": renderings,
        "batches": batches,
    }


async def floor(url: str, source_url: str) -> dict:
    """Bulk-insert the same outbox rows the build queued, into a copy of the set-up database.

    The rows are read from the built database in chunks (untimed) and inserted in one
    transaction with the product's own `enqueue`, so only the inserts are timed.
    """
    source = create_engine(source_url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    seconds, count = 0.0, 0
    columns = (Delivery.chat_id, Delivery.kind, Delivery.ref, Delivery.part, Delivery.payload)
    async with source.connect() as connection, session_scope(sessionmaker) as session:
        result = await connection.stream(
            select(*columns).order_by(Delivery.id).execution_options(yield_per=FLOOR_CHUNK)
        )
        async for rows in result.partitions():
            messages = [
                OutgoingMessage(
                    chat_id=r.chat_id, kind=r.kind, ref=r.ref, part=r.part, payload=r.payload
                )
                for r in rows
            ]
            started = time.perf_counter()
            await enqueue(session=session, messages=messages, now=MOMENT)
            seconds += time.perf_counter() - started
            count += len(messages)
        started = time.perf_counter()
        await session.commit()
        seconds += time.perf_counter() - started
    await source.dispose()
    await engine.dispose()
    return {"seconds": seconds, "rows": count}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phase(args: list[str]) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.digest", *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _compare(args: argparse.Namespace, built: str, empty: str) -> dict:
    """Both phases, each in its own process, on the set-up database and its untouched copy."""
    build_result = _phase(["--phase", "build", "--db", built])
    floor_result = _phase(["--phase", "floor", "--db", empty, "--source-db", built])
    return {"build": build_result, "floor": floor_result}


def _run_sqlite(args: argparse.Namespace) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-digest-") as directory:
        built, empty = Path(directory) / "built.sqlite3", Path(directory) / "floor.sqlite3"
        migrate.upgrade(f"sqlite:///{built}")
        started = time.perf_counter()
        asyncio.run(set_up(f"sqlite:///{built}", args.chats, args.articles, args.seed))
        setup_seconds = time.perf_counter() - started
        shutil.copyfile(built, empty)
        return _compare(args, f"sqlite:///{built}", f"sqlite:///{empty}"), setup_seconds


def _run_postgres(args: argparse.Namespace) -> tuple[dict, float]:
    server = postgres_server(args.database_url) or DEFAULT_POSTGRES
    built = scratch_postgres(server)
    empty = None
    try:
        started = time.perf_counter()
        asyncio.run(set_up(built.url, args.chats, args.articles, args.seed))
        setup_seconds = time.perf_counter() - started
        empty = scratch_postgres(server, template=built.name)
        return _compare(args, built.url, empty.url), setup_seconds
    finally:
        for database in (built, empty):
            if database is not None:
                database.drop()


def main() -> None:
    """Set up, run both phases in fresh processes, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="PostgreSQL server (implies --backend postgresql)")
    parser.add_argument("--phase", choices=["build", "floor"])
    parser.add_argument("--db", help="a phase's database URL")
    parser.add_argument("--source-db", help="the floor phase's source database URL")
    args = parser.parse_args()
    if args.phase == "build":
        result = asyncio.run(build(args.db))
        print(json.dumps({**result, "peak_rss_mb": round(_peak_mb(), 1)}))
        return
    if args.phase == "floor":
        result = asyncio.run(floor(args.db, args.source_db))
        print(json.dumps({**result, "peak_rss_mb": round(_peak_mb(), 1)}))
        return
    backend = "postgresql" if args.database_url else args.backend
    phases, setup_seconds = (_run_postgres if backend == "postgresql" else _run_sqlite)(args)
    build_result, floor_result = phases["build"], phases["floor"]
    ratio = build_result["seconds"] / floor_result["seconds"]
    peak_target = 500 if backend == "postgresql" else 300
    print(
        json.dumps(
            {
                "bench": "digest",
                "backend": backend,
                "chats": build_result["chats"],
                "articles_in_window": args.articles,
                "messages_queued": build_result["messages"],
                "floor_rows": floor_result["rows"],
                "renderings": build_result["renderings"],
                "batches": build_result["batches"],
                "build_seconds": round(build_result["seconds"], 2),
                "floor_seconds": round(floor_result["seconds"], 2),
                "ratio_to_floor": round(ratio, 2),
                "target_ratio": 3.0,
                "build_peak_rss_mb": build_result["peak_rss_mb"],
                "floor_peak_rss_mb": floor_result["peak_rss_mb"],
                "target_peak_mb": peak_target,
                "setup_seconds": round(setup_seconds, 1),
                "load_average": load_average(),
                "meets_targets": ratio <= 3.0 and build_result["peak_rss_mb"] <= peak_target,
            }
        )
    )


if __name__ == "__main__":
    main()
