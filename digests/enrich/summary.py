"""Extractive summaries: one or two whole sentences within a character budget (the digest's
teaser), never a sentence cut mid-way; no downloads."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from enum import StrEnum

import sentencex

WORD = re.compile(r"\w+", re.UNICODE)
# A description that ends like this is a teaser cut from the article, not a summary.
TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading)\s*$", re.I)
MIN_SENTENCE_CHARS = 25
DAMPING = 0.85


class Method(StrEnum):
    """How sentences are chosen."""

    LEAD = "lead"
    TEXTRANK = "textrank"


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of a text (sentencex: rule-based, ~300 languages, nothing downloaded)."""
    code = (language or "en").split("-")[0].lower()
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            sentences.extend(s.strip() for s in sentencex.segment(code, paragraph) if s.strip())
    return sentences


def _words(sentence: str) -> set[str]:
    return {w for w in WORD.findall(sentence.casefold()) if len(w) > 2}


def textrank_order(sentences: Sequence[str], *, position_weight: float = 1.0) -> list[int]:
    """Sentence indexes by TextRank score, the PageRank jump favouring early sentences."""
    count = len(sentences)
    words = [_words(s) for s in sentences]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    for i in range(count):
        for j in range(i + 1, count):
            overlap = len(words[i] & words[j])
            if overlap and len(words[i]) > 1 and len(words[j]) > 1:
                weight = overlap / (math.log(len(words[i])) + math.log(len(words[j])))
                edges[i].append((j, weight))
                edges[j].append((i, weight))
    # Position prior: news puts what matters first (the inverted pyramid).
    prior = [1.0 / (i + 1) ** position_weight for i in range(count)]
    total = sum(prior)
    prior = [p / total for p in prior]
    out_weight = [sum(w for _, w in edge) for edge in edges]
    scores = prior[:]
    for _ in range(30):
        scores = [
            (1 - DAMPING) * prior[i]
            + DAMPING * sum(scores[j] * w / out_weight[j] for j, w in edges[i] if out_weight[j])
            for i in range(count)
        ]
    return sorted(range(count), key=lambda i: (-scores[i], i))


def _fit(
    sentences: Sequence[str], order: Sequence[int], budget: int, most: int, contiguous: bool
) -> str:
    chosen: list[int] = []
    length = 0
    for index in order:
        sentence = sentences[index]
        extra = len(sentence) + (1 if chosen else 0)
        if length + extra <= budget:
            chosen.append(index)
            length += extra
        elif contiguous:
            break
        if len(chosen) == most:
            break
    if not chosen:
        # The opening sentence is longer than the budget: the first one that fits alone, or no
        # teaser at all (the headline stands alone) rather than a sentence cut mid-way.
        fitting = [i for i in order if len(sentences[i]) <= budget]
        return sentences[fitting[0]] if fitting else ""
    return " ".join(sentences[i] for i in sorted(chosen))


def description_is_better(description: str, text: str, budget: int) -> bool:
    """Whether the feed's own description reads as a standalone summary worth keeping."""
    if len(description) < 40 or len(description) > budget * 1.5 or TRUNCATED.search(description):
        return False
    # A description that is the opening of the text adds nothing the lead does not.
    return not text.startswith(description[: min(len(description), 80)])


def summarise(
    text: str,
    *,
    description: str = "",
    budget: int = 400,
    sentences: int = 2,
    method: Method = Method.LEAD,
    language: str = "en",
) -> str:
    """An extractive summary of 1-`sentences` whole sentences within `budget` characters."""
    if description and description_is_better(description, text, budget):
        text = description
    parts = [s for s in split_sentences(text or description, language) if WORD.search(s)]
    if not parts:
        return ""
    # Datelines and photo credits are short; they make poor summaries.
    candidates = [i for i, s in enumerate(parts) if len(s) >= MIN_SENTENCE_CHARS] or [0]
    if method is Method.TEXTRANK and len(parts) > 3:
        ranked = [i for i in textrank_order(parts) if i in set(candidates)]
    else:
        ranked = candidates
    return _fit(parts, ranked, budget, sentences, contiguous=method is Method.LEAD)
