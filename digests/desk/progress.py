"""How an alert's sending, editing or deleting is going: counts, bar, rate, ETA (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from digests.delivery.failures import FailureCode, read_code

BAR_WIDTH = 12


@dataclass
class Tally:
    """Outbox rows of one kind for one alert, by status, with failures by code."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    failures: Counter[FailureCode] = field(default_factory=Counter)

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
    """A tally from (status, error code, count) rows."""
    tally = Tally()
    for status, code, count in rows:
        setattr(tally, status, getattr(tally, status) + count)
        if status == "failed":
            tally.failures[read_code(code)] += count
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


def progress_of(
    tally: Tally, *, started_at: datetime | None, now: datetime, whole: bool = False
) -> Progress:
    """Bar, rate (messages a second since confirming) and time left at that rate.

    The total leaves cancelled rows out, unless `whole` (a cancelled alert's card shows how
    much of its audience it reached).
    """
    total = tally.total if whole else tally.total - tally.cancelled
    done = tally.done
    percent = 100 if total == 0 else min(100, done * 100 // total)
    filled = BAR_WIDTH if total == 0 else done * BAR_WIDTH // total
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    elapsed = (now - started_at).total_seconds() if started_at else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    remaining = tally.open
    eta = round(remaining / rate) if rate > 0 and remaining else (0 if not remaining else None)
    return Progress(done, total, percent, bar, round(rate, 1), eta)
