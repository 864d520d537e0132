"""ROUGE of newsbot's summaries against human reference summaries of real news.

Data: the sadedegel wheel (PyPI) ships ~100 news articles whose sentences human annotators
ranked by importance (the round in which each was removed while shortening the article); the
reference summary is the three sentences kept longest. The wheel is fetched into the cache,
never committed; the bench prints {"skipped": true} when it cannot be fetched.

Run: python -m bench.summary
"""

from __future__ import annotations

import json
import statistics
import time
import zipfile

from bench._cache import pip_download, skipped
from bench.rouge import rouge
from digests.enrich.summary import Method, split_sentences, summarise

REFERENCE_SENTENCES = 3
BUDGET = 400


def load_corpus(wheel) -> list[tuple[str, str]]:
    """(article text, reference summary) pairs."""
    pairs = []
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(n for n in archive.namelist() if "/dataset/annotated/" in n):
            if not name.endswith(".json"):
                continue
            sentences = json.loads(archive.read(name))["sentences"]
            text = " ".join(s["content"].strip() for s in sentences)
            kept = sorted(sentences, key=lambda s: -s["deletedInRound"])[:REFERENCE_SENTENCES]
            reference = " ".join(s["content"] for s in sorted(kept, key=lambda s: s["id"]))
            pairs.append((text, reference))
    return pairs


def lead3(text: str) -> str:
    """The baseline: the first three sentences, no budget."""
    return " ".join(split_sentences(text, "tr")[:3])


def score(pairs, system) -> dict[str, float]:
    """Mean ROUGE F1 of a system over the corpus."""
    results = [rouge(system(text), reference) for text, reference in pairs]
    return {key: round(statistics.fmean(r[key] for r in results), 4) for key in results[0]}


def main() -> dict[str, object]:
    """Run the bench and return its JSON."""
    wheel = pip_download("sadedegel", pattern="*.whl")
    if wheel is None:
        return skipped("could not fetch the sadedegel wheel from PyPI")
    pairs = load_corpus(wheel)
    started = time.perf_counter()
    chosen = score(pairs, lambda t: summarise(t, budget=BUDGET, method=Method.LEAD, language="tr"))
    elapsed = time.perf_counter() - started
    return {
        "bench": "summary",
        "data": f"{wheel.name}: {len(pairs)} Turkish news articles, human-ranked sentences",
        "reference": f"the {REFERENCE_SENTENCES} sentences annotators kept longest",
        "chosen_lead_400_chars": chosen,
        "textrank_400_chars": score(
            pairs, lambda t: summarise(t, budget=BUDGET, method=Method.TEXTRANK, language="tr")
        ),
        "baseline_lead3_unbounded": score(pairs, lead3),
        "ms_per_summary": round(1000 * elapsed / len(pairs), 3),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
