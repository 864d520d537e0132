"""`newsbot ingest`, `sources` and `topics` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import build_application
from tests.bot.cli.running import newsbot

SAMPLE_FEED = Path(__file__).resolve().parents[3] / "samples" / "newsroom.xml"


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
    assert "added 1, updated 0, skipped 2" in first.stdout
    assert "  skipped 1: no link (line 2)\n" in first.stdout
    assert "  skipped 1: not valid JSON (line 3)\n" in first.stdout
    assert "line 2: skipped: no link" in first.stderr
    assert "line 3: skipped: not valid JSON" in first.stderr
    second = newsbot("ingest", "-", cwd=tmp_path, DATABASE_URL=url, _input=path.read_text())
    assert "added 0, updated 0, skipped 3" in second.stdout
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
    assert again.returncode == 2 and "That feed is already source #1." in again.stderr
    newsbot("sources", "pause", "1", "--reason", "maintenance", cwd=tmp_path, **env)
    listed = newsbot("sources", "list", cwd=tmp_path, **env).stdout
    assert "paused" in listed and "[paused: maintenance]" in listed
    newsbot("sources", "resume", "1", cwd=tmp_path, **env)
    assert "active" in newsbot("sources", "list", cwd=tmp_path, **env).stdout
    removed = newsbot("sources", "remove", "https://feeds.example.com/rss", cwd=tmp_path, **env)
    assert removed.stdout.strip() == "removed source 1: https://feeds.example.com/rss"
    missing = newsbot("sources", "remove", "7", cwd=tmp_path, **env)
    assert missing.returncode == 2 and "There is no source #7." in missing.stderr


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


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["not-a-url"],
            "No such feed file: not-a-url — give a web address (http:// or https://) "
            "or a file that exists.",
        ),
        (["missing.xml"], "No such feed file: missing.xml"),
        (["https://f.example.com/rss", "--topic", "nosuch"], "No such topic: nosuch."),
        (["javascript:alert(1)"], "Not a feed address: javascript:alert(1)"),
    ],
)
def test_sources_add_refuses_in_one_line_with_exit_code_2(tmp_path, args, says):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'src.sqlite3'}"}
    refused = newsbot("sources", "add", *args, cwd=tmp_path, **env)

    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith(f"newsbot: {says}")
    assert refused.stdout == ""
    assert "no sources yet" in newsbot("sources", "list", cwd=tmp_path, **env).stdout


def test_sources_add_takes_a_local_file_that_exists(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'src.sqlite3'}"}
    added = newsbot("sources", "add", str(SAMPLE_FEED), cwd=tmp_path, **env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"added source 1: {SAMPLE_FEED}"


@pytest.mark.parametrize("junk", [b"hello, this is not a feed\n", b"{ not json either\n", b""])
def test_ingesting_a_file_that_is_not_a_feed_fails(tmp_path, junk):
    path = tmp_path / "junk.txt"
    path.write_bytes(junk)
    ran = newsbot("ingest", str(path), cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")

    assert ran.returncode == 1
    assert ran.stdout == ""
    assert ran.stderr.strip().splitlines()[-1] == (
        f"newsbot: {path} is not a feed (RSS, Atom, JSON Feed or JSON Lines): nothing ingested"
    )


def test_a_date_in_the_future_is_reported_as_such(tmp_path):
    path = tmp_path / "future.jsonl"
    article = {"title": "T", "url": "https://f.example.com/1", "text": "Body."}
    path.write_text(json.dumps(article | {"published": "2999-01-01T10:00:00Z"}) + "\n")
    ran = newsbot("ingest", str(path), cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")

    assert ran.returncode == 0
    assert "line 1: date in the future (2999-01-01 10:00 UTC); dated when read" in ran.stderr
    assert "no usable date" not in ran.stderr


def test_sources_list_has_a_header_titles_and_says_what_each_source_is(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'src.sqlite3'}"}
    newsbot("sources", "add", "https://f.example.com/rss", "--title", "Wire", cwd=tmp_path, **env)
    newsbot("sources", "add", "https://g.example.com/rss", cwd=tmp_path, **env)
    newsbot("sources", "pause", "2", "--reason", "maintenance", cwd=tmp_path, **env)
    newsbot("ingest", str(SAMPLE_FEED), cwd=tmp_path, **env)

    rows = [
        row.split() for row in newsbot("sources", "list", cwd=tmp_path, **env).stdout.splitlines()
    ]

    assert rows[0] == ["ID", "STATUS", "KIND", "NEXT", "(UTC)", "24", "H", "FROM", "SOURCE"]
    assert rows[1] == [
        "1",
        "active",
        "feed",
        "now",
        "0",
        "cli",
        "Wire",
        "—",
        "https://f.example.com/rss",
    ]
    assert rows[2][:6] == ["2", "paused", "feed", "paused", "0", "cli"]
    assert rows[2][-2:] == ["[paused:", "maintenance]"]
    # The sample file ingested by hand: credited to its feed's title, never polled.
    assert rows[3] == ["3", "active", "pushed", "not", "polled", "10", "push"] + (
        "The Northbridge Courier (sample)".split()
    )
