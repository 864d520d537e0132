"""ROUGE-1/2/L F1 (Lin, 2004) on Unicode word tokens, so non-English text scores fairly."""

from __future__ import annotations

import re
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return TOKEN.findall(text.casefold())


def _f1(overlap: int, produced: int, wanted: int) -> float:
    if not overlap or not produced or not wanted:
        return 0.0
    precision, recall = overlap / produced, overlap / wanted
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    grams = lambda seq: Counter(tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))  # noqa: E731
    cand, ref = grams(candidate), grams(reference)
    return _f1(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    """ROUGE-L F1 from the longest common subsequence."""
    if not candidate or not reference:
        return 0.0
    previous = [0] * (len(reference) + 1)
    for word in candidate:
        current = [0]
        for j, ref_word in enumerate(reference, start=1):
            current.append(
                previous[j - 1] + 1 if word == ref_word else max(previous[j], current[-1])
            )
        previous = current
    return _f1(previous[-1], len(candidate), len(reference))


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of a candidate against one reference."""
    cand, ref = tokens(candidate), tokens(reference)
    return {
        "rouge1": rouge_n(cand, ref, 1),
        "rouge2": rouge_n(cand, ref, 2),
        "rougeL": rouge_l(cand, ref),
    }
