"""`.env.example` copied to `.env` works as it says: empty values are the defaults."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.bot.cli.running import newsbot

ROOT = Path(__file__).resolve().parents[3]


def test_the_env_example_as_dotenv_upgrades_ingests_and_previews(tmp_path):
    example = (ROOT / ".env.example").read_text()
    assert "\nNEWSBOT_CONFIG=\n" in example  # the empty line that used to stop newsbot
    dotenv = example.replace("\nTELEGRAM_BOT_TOKEN=\n", "\nTELEGRAM_BOT_TOKEN=123456:ABC-example\n")
    (tmp_path / ".env").write_text(dotenv)

    upgraded = newsbot("db", "upgrade", cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "newsbot.sqlite3").is_file()
    # Dated now: a digest leaves out old news, and the sample feed's dates are fixed.
    article = {
        "title": "Parliament passes the budget",
        "url": "https://env.example/budget",
        "text": "Parliament passed the budget after a long vote in the government coalition.",
        "published": datetime.now(UTC).isoformat(),
        "topics": ["politics"],
    }
    (tmp_path / "one.jsonl").write_text(json.dumps(article) + "\n")
    ingested = newsbot("ingest", "one.jsonl", cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    previewed = newsbot("preview", "--since", "2d", cwd=tmp_path)

    assert previewed.returncode == 0, previewed.stderr
    assert previewed.stdout.startswith("📰 Your digest")
    assert "Parliament passes the budget" in previewed.stdout
