"""Topic tagging from the config file's rules: keywords and phrases on word boundaries,
feed categories and per-source defaults. Pure: rules and an article in, scores out."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GENERAL = "general"
# How much one match counts, by where it is found.
TITLE_WEIGHT = 3.0
SUMMARY_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
CATEGORY_WEIGHT = 3.0
SOURCE_DEFAULT_WEIGHT = 2.0
PUSHED_WEIGHT = 6.0
# Below this, one passing mention deep in the text: not enough to tag.
MIN_EVIDENCE = 2.0
TEXT_SCAN_CHARS = 20_000


@dataclass(frozen=True)
class TopicRule:
    """One topic's matching rules, compiled."""

    slug: str
    pattern: re.Pattern[str] | None
    categories: frozenset[str]


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(word) for word in phrase.split()]
    # A plural ending still matches ("interest rate" finds "interest rates"), nothing longer.
    return r"\s+".join(words) + r"(?:s|es)?"


def compile_rules(topics: Iterable[tuple[str, Sequence[str], Sequence[str]]]) -> list[TopicRule]:
    """Rules from (slug, keywords and phrases, feed categories) triples."""
    rules = []
    for slug, keywords, categories in topics:
        alternatives = sorted({_phrase_pattern(k) for k in keywords if k.strip()}, key=len)
        pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(reversed(alternatives)) + r")(?!\w)", re.I)
            if alternatives
            else None
        )
        rules.append(
            TopicRule(
                slug=slug,
                pattern=pattern,
                categories=frozenset(c.strip().casefold() for c in categories if c.strip()),
            )
        )
    return rules


def _hits(pattern: re.Pattern[str] | None, text: str) -> int:
    return len(pattern.findall(text)) if pattern is not None and text else 0


def category_terms(categories: Iterable[str]) -> set[str]:
    """Feed categories as comparable terms ("World/Europe" counts as world and europe)."""
    terms: set[str] = set()
    for category in categories:
        folded = category.casefold().strip()
        terms.add(folded)
        terms.update(part.strip() for part in re.split(r"[/>|,;]", folded) if part.strip())
    return terms


def tag_article(
    rules: Sequence[TopicRule],
    *,
    title: str,
    summary: str,
    text: str,
    categories: Iterable[str] = (),
    source_topics: Iterable[str] = (),
    pushed_topics: Iterable[str] = (),
) -> dict[str, float]:
    """Topic slug → score in (0, 1]; the general topic alone when nothing else matches."""
    terms = category_terms(categories)
    defaults = set(source_topics)
    pushed = set(pushed_topics)
    body = text[:TEXT_SCAN_CHARS]
    scores: dict[str, float] = {}
    for rule in rules:
        if rule.slug == GENERAL:
            continue
        evidence = (
            TITLE_WEIGHT * _hits(rule.pattern, title)
            + SUMMARY_WEIGHT * min(_hits(rule.pattern, summary), 3)
            + TEXT_WEIGHT * min(_hits(rule.pattern, body), 5)
            + (CATEGORY_WEIGHT if terms & rule.categories or rule.slug in terms else 0.0)
            + (SOURCE_DEFAULT_WEIGHT if rule.slug in defaults else 0.0)
            + (PUSHED_WEIGHT if rule.slug in pushed else 0.0)
        )
        if evidence >= MIN_EVIDENCE:
            scores[rule.slug] = round(1.0 - math.exp(-evidence / 4.0), 4)
    if not scores:
        scores[GENERAL] = 1.0
    return scores
