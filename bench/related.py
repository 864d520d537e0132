"""Similarity quality on the Lee (2005) news set, same-event detection on a labelled set, and
the cost of linking one new article.

Data: gensim's wheel ships lee.cor (50 news documents), lee_background.cor (300, used for
document frequencies) and similarities0-1.txt (mean human ratings of all 1,225 pairs). The
wheel is fetched with pip into the cache and read as a zip; gensim is not installed.

Reports Spearman (model vs human over all pairs) and mean nDCG@5 (each document's five most
similar others, human ratings as gains) for newsbot's method (the default embedder's cosine
blended with TF-IDF) beside plain TF-IDF cosine, newsbot's TF-IDF alone (EMBEDDER=none) and
each embedder alone, all in the same run; the story threshold that best separates "same
event" pairs (human ≥ 0.75); precision and recall of same-event detection on tests/events.py
(events written for newsbot in four languages, with near misses) across thresholds; and the
median / p95 time and memory to link a new article against a 100,000-article archive with
the default and the multilingual embedder.

Run: python -m bench.related  (add --quick for a 10,000-article archive)
"""

from __future__ import annotations

import json
import math
import statistics
import sys

import numpy as np

from bench._cache import pip_download, skipped, wheel_member
from bench.related_link import linking_cost
from digests.enrich.embed import article_text, load_embedder
from digests.enrich.linking import LinkSettings, blend, same_language, terms_of
from digests.enrich.similarity import PLAIN, SimilarityIndex, Weighting, plain_terms
from digests.enrich.summary import summarise
from tests.events import articles

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


def embedding_matrix(kind: str, texts: list[str]) -> np.ndarray:
    """Pairwise cosine of the texts' embeddings."""
    embedder = load_embedder(kind)
    assert embedder is not None
    vectors = embedder.embed(texts)
    return vectors @ vectors.T


def labelled_set(kind: str) -> dict[str, object]:
    """Same-event precision and recall on tests/events.py at thresholds around the default:
    the English model on the English pairs, the multilingual one on every pair."""
    records = [r for r in articles() if kind == "multilingual" or r["language"] == "en"]
    texts = [article_text(r["title"], r["text"], "") for r in records]
    semantic = embedding_matrix(kind, texts)
    lexical = similarity_matrix(texts, [], lambda d: terms_of(d.split("\n")[0], "", d), Weighting())
    settings = LinkSettings()
    scores, truth = [], []
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            alike = same_language(records[i]["language"], records[j]["language"])
            scores.append(
                blend(lexical[i, j], semantic[i, j], same_language=alike, settings=settings)
            )
            truth.append(records[i]["event"] == records[j]["event"])
    predicted, actual = np.array(scores), np.array(truth)
    table = []
    for threshold in (0.25, 0.3, 0.32, 0.35, 0.4, 0.45, 0.5):
        chosen = predicted >= threshold
        tp = int((chosen & actual).sum())
        table.append(
            {
                "threshold": threshold,
                "precision": round(tp / max(1, int(chosen.sum())), 3),
                "recall": round(tp / int(actual.sum()), 3),
            }
        )
    return {"articles": len(records), "same_event_pairs": int(actual.sum()), "trade_off": table}


def quality(method: np.ndarray, human: np.ndarray) -> dict[str, float]:
    """Spearman over all pairs and mean nDCG@5."""
    upper = np.triu_indices(len(method), 1)
    return {
        "spearman": round(spearman(method[upper], human[upper]), 4),
        "ndcg@5": round(ndcg_at(method, human), 4),
    }


def main(size: int = 100_000) -> dict[str, object]:
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
    lexical = similarity_matrix(docs, background, lambda d: terms_of("", "", d), Weighting())
    plain = similarity_matrix(docs, background, plain_terms, PLAIN)
    # What ingest embeds: the headline (none here) and the lead.
    leads = [article_text("", summarise(d), d) for d in docs]
    english = embedding_matrix("english", leads)
    multilingual = embedding_matrix("multilingual", leads)
    settings = LinkSettings()
    blended = np.vectorize(lambda lex, sem: blend(lex, sem, same_language=True, settings=settings))(
        lexical, english
    )
    return {
        "bench": "related",
        "data": f"Lee (2005) from {wheel.name}: {len(docs)} documents, {len(upper[0])} rated pairs",
        "method": {"name": "english embedder (wordllama) blended 0.5/0.5 with TF-IDF"}
        | quality(blended, human),
        "baseline_plain_tfidf_cosine": quality(plain, human),
        "tfidf_only_embedder_none": quality(lexical, human),
        "english_embedding_alone": quality(english, human),
        "multilingual_embedding_alone": quality(multilingual, human),
        "story_threshold_tuning": best_threshold(blended, human),
        "configured_story_threshold": settings.story_threshold,
        "same_event_labelled_set": {
            "data": "tests/events.py: invented events written for newsbot (en, de, es, pl)",
            "english": labelled_set("english"),
            "multilingual": labelled_set("multilingual"),
        },
        "link_one_article": linking_cost(background, "english", size=size, target=10),
        "link_one_article_multilingual": linking_cost(
            background, "multilingual", size=size, target=30
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main(10_000 if "--quick" in sys.argv else 100_000)))
