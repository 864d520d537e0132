"""`.env.example` copied to `.env` works as it says: empty values are the defaults."""

from __future__ import annotations

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
    ingested = newsbot("ingest", str(ROOT / "samples" / "newsroom.xml"), cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    previewed = newsbot("preview", "--since", "2d", cwd=tmp_path)

    assert previewed.returncode == 0, previewed.stderr
    assert previewed.stdout.startswith("📰 Your digest")
    assert "Northbridge" in previewed.stdout
