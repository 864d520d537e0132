"""Similarity quality on the Lee (2005) news set, and the cost of linking one new article.

Data: gensim's wheel ships lee.cor (50 news documents), lee_background.cor (300, used for
document frequencies) and similarities0-1.txt (mean human ratings of all 1,225 pairs). The
wheel is fetched with pip into the cache and read as a zip; gensim is not installed.

Reports Spearman (model vs human over all pairs) and mean nDCG@5 (each document's five most
similar others, human ratings as gains) for newsbot's method and plain TF-IDF cosine in the
same run; the story threshold that best separates "same event" pairs (human ≥ 0.75); and the
median / p95 time to link a new article against a 100,000-article archive.

Run: python -m bench.related
"""

from __future__ import annotations

import json
import math
import random
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np

from bench._cache import pip_download, skipped, wheel_member
from digests.enrich.linking import LinkSettings, decide_link, terms_of
from digests.enrich.similarity import PLAIN, SimilarityIndex, Weighting, analyse, plain_terms

DATA = "gensim/test/test_data/"
SAME_EVENT = 0.75


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    return (np.bincount(inverse, weights=ranks) / counts)[inverse]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    return float(np.corrcoef(_ranks(a), _ranks(b))[0, 1])


def ndcg_at(model: np.ndarray, human: np.ndarray, k: int = 5) -> float:
    """Mean nDCG@k over documents, ranking the others by model similarity."""

    def gain(i: int, order: list[int]) -> float:
        return sum(human[i, j] / math.log2(r + 2) for r, j in enumerate(order[:k]))

    scores = []
    for i in range(len(model)):
        others = [j for j in range(len(model)) if j != i]
        ideal = gain(i, sorted(others, key=lambda j: -human[i, j]))
        scores.append(gain(i, sorted(others, key=lambda j: -model[i, j])) / ideal)
    return float(statistics.fmean(scores))


def similarity_matrix(docs, background, terms, weighting) -> np.ndarray:
    """Pairwise cosine of the documents, IDF from background plus documents."""
    index = SimilarityIndex(weighting)
    counts = [terms(d) for d in docs]
    background_counts = [terms(d) for d in background]
    index.count_documents(background_counts + counts)
    for i, c in enumerate(counts):
        index.add(i, c, counted=True)
    matrix = np.zeros((len(docs), len(docs)))
    for i, c in enumerate(counts):
        for j, score in index.nearest(index.vector(c), limit=len(docs), min_score=-1):
            matrix[i, j] = score
    return matrix


def best_threshold(model: np.ndarray, human: np.ndarray) -> dict[str, float]:
    """The cosine threshold with the best F0.5 at finding same-event pairs: precision counts
    double, since a wrong merge hides a story while a missed one only shows it twice."""
    upper = np.triu_indices(len(model), 1)
    predicted, truth = model[upper], human[upper] >= SAME_EVENT
    best = {"threshold": 0.0, "f0.5": 0.0}
    for threshold in np.arange(0.05, 0.8, 0.01):
        chosen = predicted >= threshold
        tp = int((chosen & truth).sum())
        if not tp:
            continue
        precision, recall = tp / chosen.sum(), tp / truth.sum()
        f_half = 1.25 * precision * recall / (0.25 * precision + recall)
        if f_half > best["f0.5"]:
            best = {
                "threshold": round(float(threshold), 2),
                "f0.5": round(float(f_half), 3),
                "precision": round(float(precision), 3),
                "recall": round(float(recall), 3),
            }
    best["same_event_pairs"] = int(truth.sum())
    return best


def linking_cost(background: list[str], archive_size: int = 100_000, probes: int = 200):
    """Median and p95 ms to link one new article against an archive of generated articles."""
    rng = random.Random(7)
    vocabulary = [w for w, _ in Counter(t for d in background for t in analyse(d)).most_common()]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    index = SimilarityIndex()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    docs = [Counter(rng.choices(vocabulary, weights, k=120)) for _ in range(archive_size)]
    index.count_documents(docs)
    for i, counts in enumerate(docs):
        index.add(i + 1, counts, published=(start + timedelta(minutes=i)).timestamp(), counted=True)
    words = [w for d in background for w in d.split()]
    timings = []
    for _ in range(probes):
        text = " ".join(rng.choices(words, k=400))
        began = time.perf_counter()
        counts = terms_of(text[:80], "", text)
        decide_link(index, counts, published=start + timedelta(days=60), settings=LinkSettings())
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return {
        "archive_articles": archive_size,
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * len(timings))], 3),
        "target_median_ms": 10,
    }


def main() -> dict[str, object]:
    """Run the bench and return its JSON."""
    wheel = pip_download("gensim", pattern="*.whl")
    if wheel is None:
        return skipped("could not fetch the gensim wheel from PyPI")
    read = lambda name: wheel_member(wheel, DATA + name).decode("latin-1")  # noqa: E731
    docs = read("lee.cor").splitlines()
    background = read("lee_background.cor").splitlines()
    human = np.loadtxt(read("similarities0-1.txt").splitlines())
    human = np.triu(human, 1) + np.triu(human, 1).T
    upper = np.triu_indices(len(docs), 1)
    method = similarity_matrix(docs, background, lambda d: terms_of("", "", d), Weighting())
    plain = similarity_matrix(docs, background, plain_terms, PLAIN)
    return {
        "bench": "related",
        "data": f"Lee (2005) from {wheel.name}: {len(docs)} documents, {len(upper[0])} rated pairs",
        "method": {
            "spearman": round(spearman(method[upper], human[upper]), 4),
            "ndcg@5": round(ndcg_at(method, human), 4),
        },
        "baseline_plain_tfidf_cosine": {
            "spearman": round(spearman(plain[upper], human[upper]), 4),
            "ndcg@5": round(ndcg_at(plain, human), 4),
        },
        "story_threshold_tuning": best_threshold(method, human),
        "configured_story_threshold": LinkSettings().story_threshold,
        "link_one_article": linking_cost(background),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
