"""Search latency on 100,000 generated articles: SQLite FTS5, and PostgreSQL when available.

Baseline in the same run: the naive LIKE scan a search box without an index would use.
Set NEWSBOT_BENCH_POSTGRES_URL (or NEWSBOT_TEST_POSTGRES_URL) to a server the bench may
create a scratch database on.

Run: python -m bench.search [--articles N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import load_average
from bench.corpus import Corpus
from digests import migrate
from digests.archive.search import search
from digests.db import create_engine, create_sessionmaker, session_scope

TOPICS = ["world", "politics", "business", "tech", "science", "sport", "culture", "general"]


def rows(count: int):
    """Article rows (id, title, summary, text, published_at, url, hash) and the corpus."""
    corpus = Corpus()
    out = []
    for n in range(1, count + 1):
        record = corpus.article(n)
        text = record["text"]
        out.append((n, record["title"], text[:300], text, record["published"], f"https://b/{n}"))
    return out, corpus


def queries(corpus: Corpus, articles) -> list[tuple[str, dict]]:
    """A spread of query shapes: common, mid and rare words, phrases, OR, -exclude, filters."""
    w = corpus.words
    phrase = " ".join(articles[123][2].split()[3:5]).strip(".").lower()
    since = articles[-len(articles) // 10][4]
    from datetime import datetime

    since_dt = datetime.fromisoformat(since)
    return [
        (w[3], {}),
        (w[40], {}),
        (w[400], {}),
        (w[4000], {}),
        (w[20000], {}),
        (f"{w[30]} {w[300]}", {}),
        (f'"{phrase}"', {}),
        (f"{w[500]} OR {w[600]}", {}),
        (f"{w[50]} -{w[5]}", {}),
        (w[60], {"topic": "sport"}),
        (w[70], {"since": since_dt}),
        ('"unclosed AND OR NOT (', {}),
        ("zzzzzz", {}),
    ]


async def measure(url: str, qs, repeats: int) -> dict[str, object]:
    """p50/p95 latency of search() over the queries, each run `repeats` times."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    timings, per_query = [], {}
    try:
        for query, filters in qs:
            samples = []
            for _ in range(repeats):
                began = time.perf_counter()
                async with session_scope(sessionmaker) as session:
                    await search(session=session, query=query, limit=10, **filters)
                samples.append((time.perf_counter() - began) * 1000)
            timings.extend(samples)
            label = query + (" " + ",".join(filters) if filters else "")
            per_query[label] = round(statistics.median(samples), 2)
    finally:
        await engine.dispose()
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "median_ms_by_query": per_query,
    }


def load_sqlite(path: Path, articles) -> None:
    """Insert the articles and their topics with the stdlib driver (FTS kept by triggers)."""
    migrate.upgrade(f"sqlite:///{path}")
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO topics (id, slug, name, description, keywords, categories, position, active)"
        " VALUES (?, ?, ?, '', '[]', '[]', ?, 1)",
        [(i + 1, slug, slug, i) for i, slug in enumerate(TOPICS)],
    )
    db.executemany(
        "INSERT INTO articles (id, url, title, summary, text, categories, content_hash,"
        " published_at, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)",
        [
            (
                n,
                url,
                title,
                summary,
                text,
                str(n),
                pub[:19].replace("T", " "),
                pub[:19].replace("T", " "),
                pub[:19].replace("T", " "),
            )
            for n, title, summary, text, pub, url in articles
        ],
    )
    db.executemany(
        "INSERT INTO article_topics (article_id, topic_id, score) VALUES (?, ?, 1.0)",
        [(n, n % len(TOPICS) + 1) for n, *_ in articles],
    )
    db.commit()
    db.close()


def like_baseline(path: Path, corpus: Corpus, repeats: int) -> dict[str, float]:
    """The same single-word queries as a LIKE scan, newest first."""
    db = sqlite3.connect(path)
    samples = []
    for word in (corpus.words[40], corpus.words[400], corpus.words[4000]):
        for _ in range(repeats):
            began = time.perf_counter()
            db.execute(
                "SELECT id FROM articles WHERE title LIKE ? OR summary LIKE ? OR text LIKE ?"
                " ORDER BY published_at DESC LIMIT 10",
                (f"%{word}%",) * 3,
            ).fetchall()
            samples.append((time.perf_counter() - began) * 1000)
    db.close()
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[-1], 2)}


async def load_postgres(server: str, articles) -> str:
    """A scratch database with the articles; returns its URL."""
    import asyncpg

    from tests.databases import PostgresDatabase

    database = PostgresDatabase(server)
    database.name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    database.url = database.url.rsplit("/", 1)[0] + "/" + database.name
    await asyncio.to_thread(database.create)
    from datetime import datetime

    connection = await asyncpg.connect(database.url)
    try:
        await connection.executemany(
            "INSERT INTO topics (id, slug, name, description, keywords, categories, position,"
            " active) VALUES ($1, $2, $2, '', '[]', '[]', $3, true)",
            [(i + 1, slug, i) for i, slug in enumerate(TOPICS)],
        )
        records = []
        for n, title, summary, text, pub, url in articles:
            when = datetime.fromisoformat(pub)
            records.append((n, url, title, summary, text, "[]", str(n), when, when, when))
        await connection.copy_records_to_table(
            "articles",
            records=records,
            columns=[
                "id",
                "url",
                "title",
                "summary",
                "text",
                "categories",
                "content_hash",
                "published_at",
                "fetched_at",
                "updated_at",
            ],
        )
        await connection.copy_records_to_table(
            "article_topics",
            records=[(n, n % len(TOPICS) + 1, 1.0) for n, *_ in articles],
            columns=["article_id", "topic_id", "score"],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return database.url, database


def main(count: int = 100_000, repeats: int = 15) -> dict[str, object]:
    """Run the bench and return its JSON."""
    articles, corpus = rows(count)
    qs = queries(corpus, articles)
    result: dict[str, object] = {"bench": "search", "articles": count, "queries": len(qs)}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "search.sqlite3"
        began = time.perf_counter()
        load_sqlite(path, articles)
        result["sqlite_load_s"] = round(time.perf_counter() - began, 1)
        result["sqlite"] = asyncio.run(measure(f"sqlite:///{path}", qs, repeats))
        result["sqlite"]["target_p95_ms"] = 50
        result["baseline_sqlite_like_scan"] = like_baseline(path, corpus, 3)
    server = os.environ.get("NEWSBOT_BENCH_POSTGRES_URL") or os.environ.get(
        "NEWSBOT_TEST_POSTGRES_URL"
    )
    if server:
        url, database = asyncio.run(load_postgres(server, articles))
        try:
            result["postgresql"] = asyncio.run(measure(url, qs, repeats))
            result["postgresql"]["target_p95_ms"] = 50
        finally:
            database.drop()
    else:
        result["postgresql"] = {"skipped": True, "reason": "NEWSBOT_BENCH_POSTGRES_URL not set"}
    result["load_average"] = load_average()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.articles)))
