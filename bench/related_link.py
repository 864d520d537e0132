"""The cost of linking one new article against a 100,000-article archive, as ingest does it:
embed it, search the graph and the TF-IDF postings, decide its story, and store its embedding,
story and links in both directions (SQLite file, flushed; the commit is the batch's).

The archive's vectors are generated (clustered unit vectors: embedding 100,000 texts with the
multilingual model would take 12 minutes and would not change a search's cost); the new
articles are real text embedded by the real model, inside the timing.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import insert

from bench.common import fresh_database, peak_memory_mb
from digests.db import create_engine, create_sessionmaker, session_scope
from digests.enrich.archive_index import Meta
from digests.enrich.linker import Linker
from digests.enrich.linking import LinkSettings
from digests.enrich.similarity import analyse
from digests.models import Article, Story

START = datetime(2026, 1, 1, tzinfo=UTC)


def _vectors(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    centres = rng.standard_normal((count // 20, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, len(centres), count)] + 0.8 * rng.standard_normal(
        (count, dim)
    ).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


async def _seed(url: str, size: int) -> None:
    engine = create_engine(url)
    async with session_scope(create_sessionmaker(engine)) as session:
        for start in range(0, size, 5000):
            ids = range(start + 1, min(size, start + 5000) + 1)
            when = [START + timedelta(minutes=i // 10) for i in ids]
            await session.execute(
                insert(Story),
                [
                    {"id": i, "size": 1, "first_published_at": w, "last_published_at": w}
                    for i, w in zip(ids, when, strict=True)
                ],
            )
            await session.execute(
                insert(Article),
                [
                    {
                        "id": i,
                        "url": f"https://bench.example/{i}",
                        "title": f"Article {i}",
                        "content_hash": str(i),
                        "published_at": w,
                        "fetched_at": w,
                        "updated_at": w,
                        "story_id": i,
                    }
                    for i, w in zip(ids, when, strict=True)
                ],
            )
    await engine.dispose()


async def _measure(kind: str, background: list[str], size: int, probes: int) -> dict[str, object]:
    rng = random.Random(7)
    linker = Linker(LinkSettings(), kind)
    archive = await linker.index()
    memory_before = peak_memory_mb()
    vocabulary = [w for w, _ in Counter(t for d in background for t in analyse(d)).most_common()]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    docs = [Counter(rng.choices(vocabulary, weights, k=120)) for _ in range(size)]
    archive.lexical.count_documents(docs)
    dim = archive.embedder.dim if archive.embedder else 0
    vectors = _vectors(np.random.default_rng(7), size, dim) if dim else None
    began = time.perf_counter()
    for i, counts in enumerate(docs):
        stamp = (START + timedelta(minutes=i // 10)).timestamp()
        archive.lexical.add(i + 1, counts, published=stamp, counted=True)
        archive.meta[i + 1] = Meta(stamp, i + 1, i % 50, "en")
    if vectors is not None and archive.semantic is not None:
        archive.semantic.add(list(range(1, size + 1)), vectors, threads=0)
    build_seconds = time.perf_counter() - began
    words = [w for d in background for w in d.split()]
    with tempfile.TemporaryDirectory() as directory:
        url = await fresh_database(directory, "link")
        await _seed(url, size)
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        timings: list[float] = []
        embedding: list[float] = []
        for n in range(probes):
            text = " ".join(rng.choices(words, k=200))
            async with session_scope(sessionmaker) as session:
                when = START + timedelta(days=7, minutes=n)
                article = Article(
                    url=f"https://bench.example/new/{n}",
                    title=text[:80],
                    summary=text[:300],
                    text=text,
                    content_hash=f"new{n}",
                    published_at=when,
                    fetched_at=when,
                    updated_at=when,
                    source_id=None,
                    language="en",
                )
                session.add(article)
                await session.flush()
                started = time.perf_counter()
                vectors = await linker.embed([article])
                embedded = time.perf_counter()
                await linker.link(session, [article], vectors)
                timings.append((time.perf_counter() - started) * 1000)
                embedding.append((embedded - started) * 1000)
        await engine.dispose()
    timings.sort()
    return {
        "embedder": kind,
        "archive_articles": size,
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * len(timings))], 3),
        "of_which_embedding_median_ms": round(statistics.median(embedding), 3),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "index_build_s": round(build_seconds, 1),
        "peak_rss_mb": peak_memory_mb(),
        "rss_growth_mb": round(peak_memory_mb() - memory_before, 1),
    }


def linking_cost(
    background: list[str], kind: str, *, size: int = 100_000, probes: int = 200, target: int = 10
) -> dict[str, object]:
    """Median, p95 and memory of linking one article with the given embedder."""
    result = asyncio.run(_measure(kind, background, size, probes))
    result["target_median_ms"] = target
    return result
