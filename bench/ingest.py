"""Throughput of the whole pipeline: 10,000 generated articles pushed as JSON Lines through
parse, de-duplication, summary, topics, story and related, and storage; then `big_feed`: the
bot's /start latency while the poller ingests a 9.5 MB feed of 40,000 items (bench/bigfeed.py).

Baselines in the same run: parsing and normalising alone (no enrichment, no database); /start
latency with nothing being ingested.
PostgreSQL too when NEWSBOT_BENCH_POSTGRES_URL (or NEWSBOT_TEST_POSTGRES_URL) is set.

Run: python -m bench.ingest [--articles N] [--big-items N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import bigfeed
from bench.common import load_average, postgres_server, scratch_postgres
from bench.corpus import Corpus
from digests import migrate
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.ingest.catalog import load_catalog, sync_catalog
from digests.ingest.parse import parse_document
from digests.ingest.push import ingest_document
from digests.ingest.store import EnrichSettings, Pipeline
from digests.resources import default_config_path

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def document(count: int) -> bytes:
    """JSON Lines of generated articles."""
    corpus = Corpus(seed=5)
    return "\n".join(json.dumps(corpus.article(n)) for n in range(count)).encode()


async def run_pipeline(url: str, data: bytes) -> dict[str, object]:
    """Ingest the document into the database at url; articles/s and the report."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with session_scope(sessionmaker) as session:
            await sync_catalog(session=session, catalog=load_catalog(default_config_path()))
        began = time.perf_counter()
        report = await ingest_document(
            sessionmaker=sessionmaker,
            data=data,
            origin=None,
            pipeline=Pipeline(EnrichSettings()),
            now=NOW,
        )
        elapsed = time.perf_counter() - began
    finally:
        await engine.dispose()
    return {
        "seconds": round(elapsed, 2),
        "articles_per_s": round(report.added / elapsed, 1),
        "report": report.as_dict(),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(count: int = 10_000, big_items: int = bigfeed.ITEMS) -> dict[str, object]:
    """Run the bench and return its JSON."""
    data = document(count)
    rss_before = peak_rss_mb()
    began = time.perf_counter()
    parsed = parse_document(data, base_url=None, now=NOW)
    parse_rate = len(parsed.entries) / (time.perf_counter() - began)
    result: dict[str, object] = {
        "bench": "ingest",
        "articles": count,
        "input_mb": round(len(data) / 1e6, 1),
        "baseline_parse_only_articles_per_s": round(parse_rate, 1),
        "peak_rss_mb_before_pipeline": rss_before,
    }
    del parsed
    body = bigfeed.big_feed(big_items)
    result["big_feed"] = {"items": big_items, "mb": round(len(body) / 1e6, 1)}
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'ingest.sqlite3'}"
        migrate.upgrade(url)
        result["sqlite"] = asyncio.run(run_pipeline(url, data))
        url = f"sqlite:///{Path(directory) / 'bigfeed.sqlite3'}"
        migrate.upgrade(url)
        result["big_feed"]["sqlite"] = asyncio.run(bigfeed.run(url, body))
    server = postgres_server()
    if server:
        for key, work in (("postgresql", run_pipeline), ("big_feed", bigfeed.run)):
            database = scratch_postgres(server)
            try:
                outcome = asyncio.run(work(database.url, data if key == "postgresql" else body))
            finally:
                database.drop()
            if key == "postgresql":
                result["postgresql"] = outcome
            else:
                result["big_feed"]["postgresql"] = outcome
    else:
        result["postgresql"] = {"skipped": True, "reason": "NEWSBOT_BENCH_POSTGRES_URL not set"}
    result["load_average"] = load_average()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--big-items", type=int, default=bigfeed.ITEMS)
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.articles, arguments.big_items)))
