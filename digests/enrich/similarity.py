"""TF-IDF cosine similarity with an inverted index: which archived articles a new one resembles.

Hand-rolled rather than scikit-learn: linking is one query against a growing archive, which
an inverted index answers by touching only the postings of the query's strongest terms
(numpy adds them up), where a vectoriser refit or a dense matrix product would touch every
document. Pure: no clock, no I/O.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer

from digests.enrich.stopwords import ENGLISH

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def analyse(text: str) -> list[str]:
    """Index terms of a text: words lower-cased, stop words dropped, Snowball-stemmed."""
    terms = []
    for match in WORD.finditer(text.casefold()):
        word = match.group().replace("’", "'").split("'")[0]
        if len(word) > 1 and word not in ENGLISH:
            terms.append(_stem(word))
    return terms


def article_terms(title: str, body: str, *, title_weight: int = 2) -> Counter[str]:
    """Term counts of an article; the headline counts `title_weight` times, being its gist."""
    counts = Counter(analyse(body))
    for term in analyse(title):
        counts[term] += title_weight
    return counts


def plain_terms(text: str) -> Counter[str]:
    """The plain baseline's terms: lower-cased words, nothing removed, nothing stemmed."""
    return Counter(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class Weighting:
    """How term counts become weights: sublinear tf and pruning to the strongest terms."""

    sublinear: bool = True
    max_terms: int = 100


PLAIN = Weighting(sublinear=False, max_terms=0)


class SimilarityIndex:
    """Documents as L2-normalised TF-IDF vectors in an inverted index; cosine top-k queries."""

    def __init__(self, weighting: Weighting = Weighting()):
        self.weighting = weighting
        self.df: Counter[str] = Counter()
        self.documents_seen = 0
        self.external_ids: array[int] = array("q")
        self.published: array[float] = array("d")
        self.stories: array[int] = array("q")
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._position: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.external_ids)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self._position

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency of a term in the indexed documents."""
        return math.log((1 + self.documents_seen) / (1 + self.df.get(term, 0))) + 1.0

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        """The normalised TF-IDF vector of term counts, pruned to the strongest terms."""
        weights = {
            term: (1.0 + math.log(count) if self.weighting.sublinear else float(count))
            * self.idf(term)
            for term, count in counts.items()
            if count > 0
        }
        if self.weighting.max_terms and len(weights) > self.weighting.max_terms:
            strongest = sorted(weights.items(), key=lambda item: -item[1])
            weights = dict(strongest[: self.weighting.max_terms])
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def count_documents(self, documents: Iterable[Counter[str]]) -> None:
        """Add documents' terms to the document frequencies (before indexing a batch)."""
        for counts in documents:
            self.df.update(counts.keys())
            self.documents_seen += 1

    def add(
        self,
        doc_id: int,
        counts: Counter[str],
        *,
        published: float = 0.0,
        story_id: int = 0,
        counted: bool = False,
    ) -> None:
        """Index a document; `counted` when count_documents already saw its terms."""
        if doc_id in self._position:
            return
        if not counted:
            self.df.update(counts.keys())
            self.documents_seen += 1
        position = len(self.external_ids)
        self._position[doc_id] = position
        self.external_ids.append(doc_id)
        self.published.append(published)
        self.stories.append(story_id)
        for term, weight in self.vector(counts).items():
            postings = self._postings.get(term)
            if postings is None:
                postings = self._postings[term] = (array("q"), array("f"))
            postings[0].append(position)
            postings[1].append(weight)

    def position(self, doc_id: int) -> int:
        """The dense position of an indexed document."""
        return self._position[doc_id]

    def set_story(self, doc_id: int, story_id: int) -> None:
        """Record which story an indexed document belongs to."""
        self.stories[self._position[doc_id]] = story_id

    def scores(self, vector: dict[str, float]) -> np.ndarray:
        """Cosine similarity of a query vector to every indexed document, by position."""
        total = np.zeros(len(self.external_ids), dtype=np.float32)
        for term, weight in vector.items():
            postings = self._postings.get(term)
            if postings is None:
                continue
            positions = np.frombuffer(postings[0], dtype=np.int64)
            total[positions] += weight * np.frombuffer(postings[1], dtype=np.float32)
        return total

    def nearest(
        self, vector: dict[str, float], *, limit: int, min_score: float = 0.0
    ) -> list[tuple[int, float]]:
        """The `limit` most similar documents as (id, cosine), best first."""
        if not len(self.external_ids):
            return []
        total = self.scores(vector)
        limit = min(limit, len(total))
        top = np.argpartition(-total, limit - 1)[:limit]
        top = top[np.argsort(-total[top], kind="stable")]
        return [(self.external_ids[int(i)], float(total[i])) for i in top if total[i] > min_score]
