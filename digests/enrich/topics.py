"""Topic tagging from the config file's rules: keywords and phrases on word boundaries,
feed categories and per-source defaults; where no rule decides, the embedding similarity of
the article to each topic's name, description and keywords (bench.topics measures both).
Pure: rules, an article and its similarities in, scores out."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
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
# Rules decide on this much evidence (a headline and a lead mention, or a feed category, a
# source default or a pushed topic); below it, one passing word ("market" in "Winter market
# returns…") is checked against the article's meaning.
DECISIVE_EVIDENCE = 4.0
# Embedding cosine (English model) to a topic's profile an article needs to be tagged with
# it when no rule decides; below it the article goes to the general topic rather than a
# wrong one. Tuned on tests/topic_set.py by bench.topics.
TOPIC_SIMILARITY = 0.15


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


def topic_profile(name: str, description: str, keywords: Sequence[str]) -> str:
    """What a topic's embedding is made of: its name, description and keywords."""
    return f"{name}. {description} {', '.join(keywords)}".strip()


def tag_article(
    rules: Sequence[TopicRule],
    *,
    title: str,
    summary: str,
    text: str,
    categories: Iterable[str] = (),
    source_topics: Iterable[str] = (),
    pushed_topics: Iterable[str] = (),
    similarity: Mapping[str, float] | None = None,
    threshold: float = TOPIC_SIMILARITY,
) -> dict[str, float]:
    """Topic slug → score in (0, 1]; the general topic alone when nothing else matches.

    `similarity` (topic slug → cosine of the article to the topic's profile) is used when no
    rule has decisive evidence: the best topic at or above `threshold`, and any weakly
    matched topic that also reaches it."""
    terms = category_terms(categories)
    defaults = set(source_topics)
    pushed = set(pushed_topics)
    body = text[:TEXT_SCAN_CHARS]
    evidence: dict[str, float] = {}
    decisive = False
    for rule in rules:
        if rule.slug == GENERAL:
            continue
        declared = (
            (CATEGORY_WEIGHT if terms & rule.categories or rule.slug in terms else 0.0)
            + (SOURCE_DEFAULT_WEIGHT if rule.slug in defaults else 0.0)
            + (PUSHED_WEIGHT if rule.slug in pushed else 0.0)
        )
        found = (
            declared
            + TITLE_WEIGHT * _hits(rule.pattern, title)
            + SUMMARY_WEIGHT * min(_hits(rule.pattern, summary), 3)
            + TEXT_WEIGHT * min(_hits(rule.pattern, body), 5)
        )
        if found >= MIN_EVIDENCE:
            evidence[rule.slug] = found
            decisive = decisive or declared > 0 or found >= DECISIVE_EVIDENCE
    if similarity is not None and not decisive:
        return _by_meaning(evidence, similarity, threshold)
    scores = {slug: round(1.0 - math.exp(-found / 4.0), 4) for slug, found in evidence.items()}
    return scores or {GENERAL: 1.0}


def _by_meaning(
    evidence: Mapping[str, float], similarity: Mapping[str, float], threshold: float
) -> dict[str, float]:
    ranked = sorted(
        ((score, slug) for slug, score in similarity.items() if slug != GENERAL),
        reverse=True,
    )
    scores: dict[str, float] = {}
    if ranked and ranked[0][0] >= threshold:
        scores[ranked[0][1]] = round(min(1.0, ranked[0][0]), 4)
    for slug in evidence:
        if similarity.get(slug, 0.0) >= threshold:
            scores[slug] = round(min(1.0, similarity[slug]), 4)
    return scores or {GENERAL: 1.0}
