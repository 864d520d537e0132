"""A newcomer's first look: ingest the shipped sample feed, preview a digest, no bot token."""

from __future__ import annotations

from pathlib import Path

from tests.bot.cli.running import newsbot

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "newsroom.xml"


def test_preview_after_ingesting_the_sample_feed(tmp_path):
    ingested = newsbot("ingest", str(SAMPLE), cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    assert "added 10" in ingested.stdout + ingested.stderr

    # The sample is dated 30 November 2026: older news than digests take (DIGEST_MAX_AGE_HOURS).
    shown = newsbot("preview", "--topics", "politics,tech", cwd=tmp_path, DIGEST_MAX_AGE_HOURS="0")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("📰 Your digest · ")
    assert "POLITICS" in lines and "TECHNOLOGY" in lines
    assert "New app tells cyclists where the city's bike racks are free" in shown.stdout
    assert "The Northbridge Courier (sample)" in shown.stdout

    polish = newsbot(
        "preview", "--topics", "tech", "--lang", "pl", cwd=tmp_path, DIGEST_MAX_AGE_HOURS="0"
    )
    assert polish.stdout.startswith("📰 Twój przegląd · ")


def test_preview_explains_what_is_missing(tmp_path):
    empty = newsbot("preview", cwd=tmp_path)
    assert empty.returncode == 2
    assert "run `newsbot db upgrade` and `newsbot ingest FILE` first" in empty.stderr
    newsbot("ingest", str(SAMPLE), cwd=tmp_path)
    bad = newsbot("preview", "--topics", "astrology", "--since", "3x", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("newsbot: ")
