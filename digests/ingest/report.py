"""What an ingest run did: counts of added, updated and skipped articles, with reasons."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# A parser's problem line for an entry it could not use: "line 3: skipped: not valid JSON (…)".
SKIPPED_PROBLEM = re.compile(
    r"^(?P<where>(?:line|entry|item) \d+): skipped: (?P<reason>[^(]*?)(?: \(.*\))?$"
)


@dataclass
class IngestReport:
    """Added, updated, skipped (by reason) and the problems met in the documents."""

    added: int = 0
    updated: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # Where in the document each reason's skipped entries were ("line 3"), when known.
    skipped_at: dict[str, list[str]] = field(default_factory=dict)
    unreadable: bool = False  # the document is not a feed at all

    @classmethod
    def of_parsing(cls, problems: Iterable[str], *, unreadable: bool) -> IngestReport:
        """The report a parse starts: its problems, and the entries it skipped counted."""
        report = cls(problems=list(problems), unreadable=unreadable)
        for problem in report.problems:
            match = SKIPPED_PROBLEM.match(problem)
            if match:
                report.skip(match["reason"], where=match["where"])
        return report

    def skip(self, reason: str, count: int = 1, *, where: str | None = None) -> None:
        """Count an entry skipped for a reason (and where it was in the document)."""
        self.skipped[reason] += count
        if where is not None:
            self.skipped_at.setdefault(reason, []).append(where)

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
        for reason, places in other.skipped_at.items():
            self.skipped_at.setdefault(reason, []).extend(places)

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (for JSON output and logs)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "skipped": dict(self.skipped),
            "problems": len(self.problems),
        }
