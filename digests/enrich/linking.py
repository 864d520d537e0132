"""Stories and related coverage, decided on a blended score. Pure: candidates in, decision out.

The score of a pair is 0.5 × embedding cosine + 0.5 × TF-IDF cosine: the embedding brings
meaning (paraphrase, synonyms), the lexical half keeps names and numbers decisive. Measured on
Lee (2005) in bench.related: Spearman 0.55 / nDCG@5 0.86 blended, against 0.30 / 0.82 for the
TF-IDF cosine alone. Across languages the lexical half means nothing, so a cross-language pair
is scored by its cosine alone, rescaled so that the same threshold decides both (the
multilingual model's same-event cosine, CROSS_LANGUAGE_STORY, maps onto the story threshold).
Without an embedder (`EMBEDDER=none`) the score is the TF-IDF cosine, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from digests.enrich.similarity import article_terms

# Only the headline and the opening carry what a news story is about (the inverted
# pyramid); reading no further keeps a 100,000-article archive quick to load and search.
BODY_CHARS = 2000
SEMANTIC_WEIGHT = 0.5
# Same-event threshold on the blended scale, tuned by bench.related (F0.5: precision counts
# double, since a wrong merge hides a story while a missed one only shows it twice). On Lee
# (2005) F0.5 peaks at 0.34 (precision 1.0 from 0.35); on the labelled set (tests/events.py,
# four languages, multilingual model) 0.35 gives precision 0.98 / recall 0.94, 0.32 gives
# 0.96 / 0.98 and 0.40 gives 0.98 / 0.76. English near misses (two central banks' rate
# decisions) still score up to 0.42. TF-IDF alone keeps its own tuned threshold.
BLENDED_STORY_THRESHOLD = 0.35
LEXICAL_STORY_THRESHOLD = 0.2
# The multilingual model's cosine at which two articles in different languages report the
# same event (tuned on the same set); rescaled onto the blended scale.
CROSS_LANGUAGE_STORY = 0.55
# Links kept per article in each direction: the best of them are shown.
LINKS_KEPT = 20
# Ranking related coverage: a link as old as the related window loses this share of its
# score; each further link from a source already shown is worth this factor less.
RECENCY_WEIGHT = 0.2
SAME_SOURCE_FACTOR = 0.85


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds and windows for stories and related coverage."""

    story_threshold: float = BLENDED_STORY_THRESHOLD
    story_window: timedelta = timedelta(days=2)
    related_window: timedelta = timedelta(days=14)
    related_limit: int = 5
    related_min: float = 0.1
    cross_language_story: float = CROSS_LANGUAGE_STORY


@dataclass(frozen=True)
class Candidate:
    """An archived article a new one may relate to, with both similarities."""

    id: int
    lexical: float
    semantic: float | None
    published: float
    story: int
    source: int
    language: str


@dataclass(frozen=True)
class LinkDecision:
    """Where a new article belongs: the story of `story_of` (an article id) or a new story,
    and its links (article id, score), best first."""

    story_of: int | None
    story_score: float
    links: list[tuple[int, float]]


def terms_of(title: str, summary: str, text: str) -> Counter[str]:
    """The terms an article is compared by."""
    body = text[:BODY_CHARS] if text else summary
    return article_terms(title, body)


def same_language(first: str, second: str) -> bool:
    """Whether two articles' languages match (unknown matches anything)."""
    if not first or not second:
        return True
    return first.split("-")[0].lower() == second.split("-")[0].lower()


def blend(
    lexical: float, semantic: float | None, *, same_language: bool, settings: LinkSettings
) -> float:
    """The pair's score on the blended scale."""
    if semantic is None:
        return lexical
    if not same_language:
        return semantic * settings.story_threshold / settings.cross_language_story
    return SEMANTIC_WEIGHT * semantic + (1.0 - SEMANTIC_WEIGHT) * lexical


def decide_link(
    candidates: Sequence[Candidate],
    *,
    published: datetime,
    language: str,
    settings: LinkSettings,
) -> LinkDecision:
    """The story to join (the best match above the threshold within the story window, if
    any) and the links to keep (the best matches within the related window)."""
    stamp = published.timestamp()
    scored = sorted(
        (
            (
                blend(
                    c.lexical,
                    c.semantic,
                    same_language=same_language(language, c.language),
                    settings=settings,
                ),
                c,
            )
            for c in candidates
        ),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    story_of: int | None = None
    story_score = 0.0
    for score, candidate in scored:
        if score < settings.story_threshold:
            break
        if abs(stamp - candidate.published) <= settings.story_window.total_seconds():
            story_of, story_score = candidate.id, score
            break
    window = settings.related_window.total_seconds()
    links = [
        (candidate.id, round(score, 4))
        for score, candidate in scored
        if score > settings.related_min and abs(stamp - candidate.published) <= window
    ][:LINKS_KEPT]
    return LinkDecision(story_of=story_of, story_score=round(story_score, 4), links=links)


@dataclass(frozen=True)
class Linked:
    """A linked article as ranking sees it."""

    id: int
    score: float
    published: datetime
    source: int


def rank_related(
    links: Sequence[Linked], *, published: datetime, window: timedelta, limit: int
) -> list[Linked]:
    """Related coverage in reading order: relevance, a little recency (relative to the article
    read), and source diversity (greedy: each pick lowers its source's other links)."""
    span = window.total_seconds() or 1.0

    def base(link: Linked) -> float:
        age = min(1.0, abs((published - link.published).total_seconds()) / span)
        return link.score * (1.0 - RECENCY_WEIGHT * age)

    remaining = sorted(links, key=lambda link: (-base(link), link.id))
    shown: Counter[int] = Counter()
    chosen: list[Linked] = []
    while remaining and len(chosen) < limit:
        best = max(
            remaining, key=lambda link: base(link) * SAME_SOURCE_FACTOR ** shown[link.source]
        )
        remaining.remove(best)
        shown[best.source] += 1
        chosen.append(best)
    return chosen
