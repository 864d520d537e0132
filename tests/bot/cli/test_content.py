"""`newsbot ingest`, `sources` and `topics` as an operator runs them."""

from __future__ import annotations

import json

from bot.app import build_application
from tests.bot.cli.running import newsbot


def test_ingest_jsonl_twice_then_retag(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    lines = [
        {
            "title": "Parliament passes budget",
            "url": "https://c.example.com/1?utm_medium=x",
            "text": "Parliament passed the budget after a long vote.",
            "published": "2026-11-01T10:00:00Z",
            "source": "cms",
        },
        {"title": "Untitled", "text": "no url"},
    ]
    path = tmp_path / "push.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    first = newsbot("ingest", str(path), cwd=tmp_path, DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert "added 1, updated 0, skipped 0" in first.stdout
    assert "line 2: skipped: no link" in first.stderr
    assert "line 3: skipped: not valid JSON" in first.stderr
    second = newsbot("ingest", "-", cwd=tmp_path, DATABASE_URL=url, _input=path.read_text())
    assert "added 0, updated 0, skipped 1" in second.stdout
    assert "skipped 1: unchanged" in second.stdout
    retag = newsbot("topics", "retag", cwd=tmp_path, DATABASE_URL=url)
    assert retag.stdout.strip() == "re-tagged 1 articles with the current topic rules"


def test_sources_add_list_pause_resume_remove(tmp_path):
    url = f"sqlite:///{tmp_path / 'src.sqlite3'}"
    env = {"DATABASE_URL": url}
    added = newsbot(
        "sources", "add", "https://feeds.example.com/rss", "--topic", "world", cwd=tmp_path, **env
    )
    assert added.stdout.strip() == "added source 1: https://feeds.example.com/rss"
    again = newsbot("sources", "add", "https://feeds.example.com/rss", cwd=tmp_path, **env)
    assert again.returncode == 1 and "That feed is already source #1." in again.stderr
    newsbot("sources", "pause", "1", "--reason", "maintenance", cwd=tmp_path, **env)
    listed = newsbot("sources", "list", cwd=tmp_path, **env).stdout
    assert "paused" in listed and "[paused: maintenance]" in listed
    newsbot("sources", "resume", "1", cwd=tmp_path, **env)
    assert "active" in newsbot("sources", "list", cwd=tmp_path, **env).stdout
    removed = newsbot("sources", "remove", "https://feeds.example.com/rss", cwd=tmp_path, **env)
    assert removed.stdout.strip() == "removed source 1: https://feeds.example.com/rss"
    missing = newsbot("sources", "remove", "7", cwd=tmp_path, **env)
    assert missing.returncode == 1 and "There is no source #7." in missing.stderr


def test_the_poll_job_is_registered(settings):
    application = build_application(settings)
    assert "poll-sources" in [job.name for job in application.job_queue.jobs()]


def test_ingest_keeps_a_feed_with_a_bad_character_reference(tmp_path):
    url = f"sqlite:///{tmp_path / 'refs.sqlite3'}"
    items = "".join(
        f"<item><title>Story {n}</title><link>https://c.example.com/{n}</link>"
        f"<description>{'Snow &#x110000; and &#xD800;' if n == 2 else 'Calm'}</description>"
        "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
        for n in (1, 2, 3)
    )
    path = tmp_path / "refs.xml"
    path.write_text(f'<rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>')
    ran = newsbot("ingest", str(path), cwd=tmp_path, DATABASE_URL=url)
    assert ran.returncode == 0, ran.stderr
    assert "added 3, updated 0, skipped 0" in ran.stdout
    assert "entry 2: an invalid character reference (&#x110000;) was replaced" in ran.stderr
