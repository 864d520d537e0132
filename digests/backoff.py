"""Exponential backoff, the one formula behind retried sends and failing feeds."""

from __future__ import annotations


def backoff_seconds(failures: int, *, base: float, cap: float) -> float:
    """Seconds to wait after the n-th failure in a row (n ≥ 1): base · 2^(n-1), at most cap."""
    exponent = min(max(failures - 1, 0), 30)
    return float(min(cap, base * 2**exponent))
