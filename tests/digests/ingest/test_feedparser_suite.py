"""Every feed in feedparser's own test suite (its sdist, fetched from PyPI into the bench
cache) goes through parsing, enrichment and storage without an unhandled exception.

It downloads, so it runs only when asked: `pytest -m network` (CI does, after the main run)."""

from __future__ import annotations

import tarfile
from datetime import UTC, datetime

import pytest

from bench._cache import pip_download
from digests.enrich.linking import terms_of
from digests.enrich.summary import summarise
from digests.enrich.topics import compile_rules, tag_article
from digests.ingest.parse import parse_document
from tests.digests.ingest.test_store import _store

pytestmark = pytest.mark.network

NOW = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def suite_documents() -> list[tuple[str, bytes]]:
    """(name, bytes) of every test feed in feedparser's sdist."""
    sdist = pip_download("feedparser", sdist=True, pattern="*.tar.gz")
    if sdist is None:
        # Only ever run on request (-m network): an unreachable index is a failure, not a skip.
        pytest.fail("feedparser's sdist could not be fetched from the package index")
    documents = []
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if member.isfile() and "/tests/" in member.name and member.name.endswith(".xml"):
                documents.append((member.name, archive.extractfile(member).read()))
    assert len(documents) > 2000
    return documents


def test_every_suite_feed_parses_and_enriches(suite_documents):
    rules = compile_rules([("tech", ["software"], ["technology"])])
    entries = 0
    for _name, data in suite_documents:
        feed = parse_document(data, base_url="http://example.org/feed", now=NOW)
        for entry in feed.entries:
            summarise(entry.text, description=entry.description, language=entry.language or "en")
            tag_article(
                rules, title=entry.title, summary="", text=entry.text, categories=entry.categories
            )
            terms_of(entry.title, "", entry.text)
            entries += 1
    # Most suite feeds test one element and have no linked entry; those are skipped with a reason.
    assert entries >= 30


async def test_every_suite_entry_stores(sessionmaker, suite_documents):
    all_entries = []
    for _name, data in suite_documents:
        all_entries.extend(
            parse_document(data, base_url="http://example.org/feed", now=NOW).entries
        )
    report = await _store(sessionmaker, all_entries)
    assert report.added + report.updated + report.skipped_total == len(all_entries)
