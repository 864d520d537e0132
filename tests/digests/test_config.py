"""Settings: defaults, parsing, and one-line errors that never echo the token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digests.config import DEFAULT_API_BASE_URL, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "ADMIN_IDS",
        "DEFAULT_TIMEZONE",
        "TELEGRAM_API_BASE_URL",
        "LOG_LEVEL",
        "NEWSBOT_CONFIG",
        "WEBHOOK_SECRET",
        "RETENTION_DAYS",
        "SENDER_INSTANCE_ID",
        "WEBHOOK_URL",
        "WEBHOOK_LISTEN",
        "METRICS_LISTEN",
        "METRICS_PORT",
        "LOG_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_nothing_but_a_token_to_run():
    settings = load_settings()
    assert settings.database_url == "sqlite:///newsbot.sqlite3"
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.admin_ids == []
    with pytest.raises(SettingsError, match="^TELEGRAM_BOT_TOKEN is not set"):
        _ = settings.token


def test_values_come_from_the_environment_and_dotenv(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=42:from-dotenv\nADMIN_IDS=7, 8\n")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Asia/Kathmandu")
    settings = load_settings()
    assert settings.token == "42:from-dotenv"
    assert settings.admin_ids == [7, 8]
    assert settings.default_timezone == "Asia/Kathmandu"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: unknown time zone 'Mars/Olympus'"),
        ("ADMIN_IDS", "12,bob", "ADMIN_IDS: must be Telegram user ids"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL: must be one of"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: must be a sqlite"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT: "),
        ("LINK_UTM", "utm_source", "LINK_UTM: must be a query string"),
        ("METRICS_PORT", "0", "METRICS_PORT: "),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: "),
    ],
)
def test_a_bad_value_fails_with_one_line_naming_the_variable(
    monkeypatch, variable, value, expected
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_a_malformed_token_is_rejected_without_echoing_it(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token SECRETPART")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("TELEGRAM_BOT_TOKEN:")
    assert "SECRETPART" not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("http://127.0.0.1:8081", "http://127.0.0.1:8081/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot"),
        ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/bot"),
        ("http://h/custom{token}/x", "http://h/custom{token}/x"),
    ],
)
def test_api_base_url_accepts_a_server_root_or_the_bot_prefix(monkeypatch, given, used):
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", given)
    assert load_settings().api_base_url == used


def test_retention_days_are_given_per_kind_over_the_defaults(monkeypatch):
    assert load_settings().retention_days == {
        "deliveries": 30,
        "editions": 90,
        "audit": 365,
        "joins": 365,
    }
    monkeypatch.setenv("RETENTION_DAYS", "audit=0, deliveries=7")
    days = load_settings().retention_days
    assert days["audit"] == 0 and days["deliveries"] == 7 and days["editions"] == 90


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("articles=3", "RETENTION_DAYS: unknown kind 'articles'"),
        ("audit=soon", "RETENTION_DAYS: audit must be a whole number of days"),
        ("deliveries=1", "RETENTION_DAYS: deliveries must be kept at least 3 days"),
    ],
)
def test_a_bad_retention_names_the_variable(monkeypatch, value, expected):
    monkeypatch.setenv("RETENTION_DAYS", value)
    with pytest.raises(SettingsError, match=f"^{expected}"):
        load_settings()


def test_the_default_sender_instance_id_never_repeats():
    from digests.delivery.sender import sender_config

    settings = load_settings()
    first, second = (sender_config(settings, role="send").instance for _ in range(2))
    assert first != second and ":send:" in first and len(first) <= 64


def test_the_webhook_and_metrics_listen_on_loopback_unless_told_and_metrics_are_off(tmp_path):
    # .env.example's empty values mean the defaults.
    (tmp_path / ".env").write_text(
        "WEBHOOK_LISTEN=\nMETRICS_LISTEN=\nMETRICS_PORT=\nLOG_FORMAT=\n"
        "WEBHOOK_URL=https://news.example/tg/hook\n"
    )
    settings = load_settings()
    assert (settings.webhook_listen, settings.metrics_listen) == ("127.0.0.1", "127.0.0.1")
    assert settings.metrics_port is None and settings.log_format == "text"
    assert settings.webhook_path == "/tg/hook"
    assert load_settings(webhook_url="https://news.example").webhook_path == "/"
    assert load_settings(log_format="JSON", metrics_port="9100").metrics_port == 9100


ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def _example_names() -> list[str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    return [line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line)]


def test_every_setting_left_empty_in_dotenv_is_its_default(tmp_path):
    names = _example_names()
    assert "NEWSBOT_CONFIG" in names and "SENDER_RATE" in names
    (tmp_path / ".env").write_text("".join(f"{name}=\n" for name in names))
    settings = load_settings()
    defaults = load_settings(_env_file=None)
    assert settings.model_dump() == defaults.model_dump()
    assert settings.config_path.is_file()


def test_the_env_example_as_shipped_gives_the_defaults(tmp_path):
    (tmp_path / ".env").write_text(ENV_EXAMPLE.read_text())
    assert load_settings().model_dump() == load_settings(_env_file=None).model_dump()


def test_every_setting_is_in_the_env_example():
    from digests.config import Settings

    assert sorted(name.lower() for name in _example_names()) == sorted(Settings.model_fields)
