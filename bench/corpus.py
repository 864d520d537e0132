"""Generated news-like articles for the search and ingest benches (no real news text)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

SYLLABLES = [consonant + vowel for consonant in "bdklmnrstv" for vowel in "aeiou"]
START = datetime(2026, 1, 1, tzinfo=UTC)


class Corpus:
    """A Zipf-distributed vocabulary of invented words and articles drawn from it."""

    def __init__(self, seed: int = 11, vocabulary: int = 30_000):
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))))
        self.words = sorted(words, key=lambda w: (len(w), w))
        weights = [1 / (rank + 1) ** 1.05 for rank in range(vocabulary)]
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self, length: int) -> str:
        """A sentence of invented words, capitalised and ending with a full stop."""
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return " ".join(words).capitalize() + "."

    def article(self, n: int) -> dict[str, object]:
        """One article as a JSON Lines record."""
        text = " ".join(self.sentence(self.rng.randint(8, 20)) for _ in range(10))
        return {
            "title": self.sentence(self.rng.randint(5, 10))[:-1],
            "url": f"https://bench.example.com/{n}?utm_source=bench",
            "text": text,
            "published": (START + timedelta(minutes=7 * n)).isoformat(),
            "source": f"desk-{n % 5}",
        }
