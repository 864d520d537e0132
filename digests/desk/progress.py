"""How an alert's sending, editing or deleting is going: counts, bar, rate, ETA (pure)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

BAR_WIDTH = 12
_REASONS = (
    ("blocked", re.compile(r"blocked by the user", re.I)),
    ("kicked", re.compile(r"kicked|not a member|removed from", re.I)),
    ("deactivated", re.compile(r"deactivated", re.I)),
    ("not_found", re.compile(r"chat not found", re.I)),
    ("message_gone", re.compile(r"message to (edit|delete) not found", re.I)),
    ("cannot_delete", re.compile(r"can't be deleted", re.I)),
    ("cannot_edit", re.compile(r"can't be edited", re.I)),
    ("rate_limited", re.compile(r"too many requests|retry after", re.I)),
)
_PREFIX = re.compile(r"^(bad request|forbidden|error)\s*:\s*", re.I)


def failure_reason(error: str | None) -> str:
    """A short key for why a row failed; unknown errors keep their own (trimmed) words."""
    text = (error or "").strip()
    for key, pattern in _REASONS:
        if pattern.search(text):
            return key
    return _PREFIX.sub("", text)[:60] or "unknown"


@dataclass
class Tally:
    """Outbox rows of one kind for one alert, by status, with failures by reason."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Every row."""
        return self.pending + self.sending + self.sent + self.failed + self.cancelled

    @property
    def open(self) -> int:
        """Rows the sender has still to finish."""
        return self.pending + self.sending

    @property
    def done(self) -> int:
        """Rows the sender finished, well or not."""
        return self.sent + self.failed


def tally_rows(rows: Iterable[tuple[str, str | None, int]]) -> Tally:
    """A tally from (status, error, count) rows."""
    tally = Tally()
    for status, error, count in rows:
        setattr(tally, status, getattr(tally, status) + count)
        if status == "failed":
            tally.failures[failure_reason(error)] += count
    return tally


@dataclass(frozen=True)
class Progress:
    """What the live progress message shows."""

    done: int
    total: int
    percent: int
    bar: str
    rate: float
    eta_seconds: int | None


def progress_of(tally: Tally, *, started_at: datetime | None, now: datetime) -> Progress:
    """Bar, rate (messages a second since confirming) and time left at that rate."""
    total = tally.total - tally.cancelled
    done = tally.done
    percent = 100 if total == 0 else min(100, done * 100 // total)
    filled = BAR_WIDTH if total == 0 else done * BAR_WIDTH // total
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    elapsed = (now - started_at).total_seconds() if started_at else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    remaining = tally.open
    eta = round(remaining / rate) if rate > 0 and remaining else (0 if not remaining else None)
    return Progress(done, total, percent, bar, round(rate, 1), eta)
