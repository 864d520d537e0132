"""`newsbot related` as an operator runs it: look-ups across languages, and the rebuild."""

from __future__ import annotations

import json

from tests.bot.cli.running import newsbot
from tests.events import articles


def _ingest(tmp_path, records, **env):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    ran = newsbot("ingest", str(path), cwd=tmp_path, **env)
    assert ran.returncode == 0, ran.stderr
    return ran


def _lines(output: str, kind: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip().startswith(kind)]


def test_the_english_article_lists_its_coverage_in_other_languages(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite3'}", "EMBEDDER": "multilingual"}
    records = [r for r in articles() if r["event"] in ("tram", "storm", "fire", "heat")]
    _ingest(tmp_path, records, **env)
    english = next(r for r in records if r["event"] == "storm" and r["language"] == "en")
    ran = newsbot("related", english["url"], "--limit", "10", cwd=tmp_path, **env)
    assert ran.returncode == 0, ran.stderr
    same = " ".join(_lines(ran.stdout, "same story"))
    for record in records:
        if record["event"] == "storm" and record["url"] != english["url"]:
            assert record["url"] in same, (record["language"], ran.stdout)
    for record in records:
        if record["event"] != "storm":
            assert record["url"] not in same, ran.stdout
    # The heatwave in the same town is not the same story.
    heat = [r["url"] for r in records if r["event"] == "heat"]
    assert not any(url in same for url in heat)


def test_related_by_number_prints_scores_and_rejects_unknown_articles(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'e.sqlite3'}"}
    records = [r for r in articles() if r["language"] == "en"]
    _ingest(tmp_path, records, **env)
    ran = newsbot("related", "1", cwd=tmp_path, **env)
    assert ran.returncode == 0, ran.stderr
    header, first, *_ = ran.stdout.splitlines()
    assert header.startswith(f"#1 {records[0]['title']}")
    assert first.split()[:2] == ["same", "story"]
    score, url = first.split()[2:4]
    assert url == records[1]["url"] and 0 < float(score) <= 1
    missing = newsbot("related", "https://nowhere.example/x", cwd=tmp_path, **env)
    assert missing.returncode == 1
    assert "no archived article" in missing.stderr


def test_rebuild_relinks_the_archive_with_another_embedder(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    records = [r for r in articles() if r["event"] in ("rates", "cup", "drought")]
    _ingest(tmp_path, records, DATABASE_URL=url, EMBEDDER="none")
    rebuilt = newsbot("related", "rebuild", "--batch", "4", cwd=tmp_path, DATABASE_URL=url)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.strip() == f"linked {len(records)} articles with embedder english"
    again = newsbot("related", "rebuild", cwd=tmp_path, DATABASE_URL=url)
    assert again.stdout.strip() == f"linked {len(records)} articles with embedder english"
    first_rates = next(r for r in records if r["event"] == "rates")
    ran = newsbot("related", first_rates["url"], cwd=tmp_path, DATABASE_URL=url)
    same = " ".join(_lines(ran.stdout, "same story"))
    other_english = [r for r in records if r["event"] == "rates" and r["language"] == "en"]
    assert other_english[1]["url"] in same
    assert not any(r["url"] in same for r in records if r["event"] != "rates")
