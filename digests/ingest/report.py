"""What an ingest run did: counts of added, updated and skipped articles, with reasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class IngestReport:
    """Added, updated, skipped (by reason) and the problems met in the documents."""

    added: int = 0
    updated: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        """Count an entry skipped for a reason."""
        self.skipped[reason] += count

    @property
    def skipped_total(self) -> int:
        """How many entries were skipped, whatever the reason."""
        return sum(self.skipped.values())

    def merge(self, other: IngestReport) -> None:
        """Add another report's counts to this one."""
        self.added += other.added
        self.updated += other.updated
        self.skipped.update(other.skipped)
        self.problems.extend(other.problems)

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (for JSON output and logs)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "skipped": dict(self.skipped),
            "problems": len(self.problems),
        }
