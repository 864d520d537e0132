"""Settings read once from the environment and `.env`, then passed down explicitly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# RETENTION_DAYS: days each kind of finished row is kept (0: forever); see digests/desk/retention.
DEFAULT_RETENTION = {"deliveries": 30, "editions": 90, "audit": 365, "joins": 365}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Every setting newsbot reads; `.env.example` documents each one."""

    # An empty value (`NEWSBOT_CONFIG=` in a copied .env.example) means the default.
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    telegram_bot_token: SecretStr | None = None
    database_url: str = "sqlite:///newsbot.sqlite3"
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "UTC"
    default_language: str = "en"
    # Campaign parameters on the article links readers click ("{kind}": digest, alert, …).
    link_utm: str = ""
    newsbot_config: Path | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Health and metrics (bot/health.py): off unless a port is set.
    metrics_listen: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    digest_items_per_section: int = Field(default=5, ge=1, le=50)
    digest_max_items: int = Field(default=15, ge=1, le=100)
    digest_send_empty: bool = False
    digest_max_age_hours: int = Field(default=48, ge=0)  # 0: no bound
    digest_interval_seconds: float = Field(default=30, gt=0, le=3600)
    flood_rate: float = Field(default=1.0, gt=0)
    flood_burst: int = Field(default=8, ge=1)
    flood_mute_seconds: float = Field(default=30, ge=0)
    # Content pipeline: fetching, scheduling, summaries, stories.
    fetch_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    fetch_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    fetch_user_agent: str | None = None
    # Fetch from loopback and private networks too (an intranet feed); off, only public hosts.
    fetch_allow_private_hosts: bool = False
    fetch_interval_minutes: int = Field(default=15, ge=1)
    fetch_min_interval_minutes: int = Field(default=5, ge=1)
    fetch_max_interval_minutes: int = Field(default=360, ge=1)
    source_max_failures: int = Field(default=8, ge=1)
    poll_interval_seconds: int = Field(default=60, ge=5)
    poll_concurrency: int = Field(default=8, ge=1, le=100)
    # The digest teaser: one or two whole sentences; 1000 keeps a digest item within a message.
    summary_max_chars: int = Field(default=400, ge=80, le=1000)
    summary_method: Literal["lead", "textrank"] = "lead"
    # Related coverage and stories: the embedding model (digests/enrich/embed.py), and the
    # same-story score; None: the threshold tuned for that embedder (digests/enrich/linking.py).
    embedder: Literal["english", "multilingual", "none"] = "english"
    story_threshold: float | None = Field(default=None, gt=0, le=1)
    story_window_hours: int = Field(default=48, ge=1)
    related_window_days: int = Field(default=14, ge=1)
    # The sender (digests/delivery/sender): Telegram's limits, kept ahead of time, and its batching.
    sender_enabled: bool = True
    sender_instance_id: str | None = Field(default=None, max_length=64)
    sender_rate: float = Field(default=30.0, gt=0, le=1000)
    sender_chat_interval: float = Field(default=1.0, ge=0, le=3600)
    sender_group_per_minute: int = Field(default=20, ge=1, le=1000)
    sender_paid_broadcast: bool = False
    sender_paid_rate: float = Field(default=1000.0, gt=0, le=1000)
    sender_batch_size: int = Field(default=100, ge=1, le=5000)
    sender_concurrency: int = Field(default=100, ge=1, le=1000)
    sender_max_attempts: int = Field(default=5, ge=1, le=100)
    sender_backoff_base: float = Field(default=2.0, gt=0, le=3600)
    sender_backoff_max: float = Field(default=300.0, gt=0, le=86400)
    sender_request_timeout: float = Field(default=15.0, gt=0, le=300)
    sender_poll_interval: float = Field(default=1.0, gt=0, le=60)
    sender_lease_seconds: float = Field(default=20.0, ge=2, le=40)
    sender_give_up_seconds: float = Field(default=120.0, ge=5, le=3600)
    alert_progress_seconds: float = Field(default=3, gt=0, le=60)
    retention_days: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_RETENTION)
    )

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not TOKEN_PATTERN.match(text.strip()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("must look like 123456:ABC-DEF… (the token @BotFather gave you)")
        return text.strip()

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return [int(part) for part in parts]
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        return value

    @field_validator("retention_days", mode="before")
    @classmethod
    def _retention_per_kind(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        days = dict(DEFAULT_RETENTION)
        for item in filter(None, (part.strip() for part in value.split(","))):
            kind, _, number = item.partition("=")
            kind = kind.strip()
            if kind not in days:
                raise ValueError(f"unknown kind {kind!r} (use {', '.join(DEFAULT_RETENTION)})")
            if not number.strip().isascii() or not number.strip().isdigit():
                raise ValueError(f"{kind} must be a whole number of days, as in {kind}=30")
            days[kind] = int(number)
        # Alerts are edited and retracted from their deliveries for 48 hours.
        if 0 < days["deliveries"] < 3:
            raise ValueError("deliveries must be kept at least 3 days (or 0: forever)")
        return days

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Warsaw)"
            ) from None
        return value

    @field_validator("link_utm")
    @classmethod
    def _query_string(cls, value: str) -> str:
        value = value.strip().lstrip("?")
        try:
            pairs = parse_qsl(value, keep_blank_values=True, strict_parsing=True) if value else []
        except ValueError:
            raise ValueError("must be a query string such as utm_source=telegram") from None
        if any(not key for key, _ in pairs):
            raise ValueError("must be a query string such as utm_source=telegram")
        return value

    @field_validator(
        "webhook_listen",
        "metrics_listen",
        "metrics_port",
        "log_format",
        "story_threshold",
        mode="before",
    )
    @classmethod
    def _empty_is_default(cls, value: object, info: ValidationInfo) -> object:
        # `.env.example` leaves these empty to mean the default.
        if not isinstance(value, str):
            return value
        if not value.strip():
            return cls.model_fields[str(info.field_name)].default
        return value.strip().lower() if info.field_name == "log_format" else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        # SQLite creates the file but not its directory (and fails with a thread's traceback).
        path = value.partition(":///")[2].split("?", 1)[0]
        if value.startswith("sqlite") and path and path != ":memory:":
            directory = Path(path).parent
            if not directory.is_dir():
                raise ValueError(f"the directory {directory} does not exist: create it first")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret_shape(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        # Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - in the secret header.
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", text):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return text

    @property
    def token(self) -> str:
        """The bot token; raises SettingsError when it is not set."""
        if self.telegram_bot_token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its "
                "token in the environment or in .env"
            )
        return self.telegram_bot_token.get_secret_value()

    @property
    def api_base_url(self) -> str:
        """The Bot API base URL as PTB wants it (ending in /bot, or with a {token} slot)."""
        url = self.telegram_api_base_url.rstrip("/")
        if "{token}" in url or url.endswith("/bot"):
            return url
        return url + "/bot"

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: the one path the webhook server answers on."""
        from urllib.parse import urlsplit

        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def config_path(self) -> Path:
        """The topics-and-sources TOML file: NEWSBOT_CONFIG or the shipped default."""
        from digests.resources import default_config_path

        return self.newsbot_config or default_config_path()


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation errors into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
