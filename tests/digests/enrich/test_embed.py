"""The embedders load from their packages with the network refused, and mean what they say."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from digests.enrich.embed import (
    EMBEDDERS,
    article_text,
    from_bytes,
    load_embedder,
    to_bytes,
)


def test_the_network_guard_refuses_a_model_hub():
    with pytest.raises(OSError):
        socket.create_connection(("huggingface.co", 443), timeout=1)


@pytest.mark.parametrize("kind", sorted(EMBEDDERS))
def test_embedders_load_offline_and_give_unit_vectors(kind):
    embedder = load_embedder(kind)
    vectors = embedder.embed(["Storm closes the coastal road", ""])
    assert vectors.shape == (2, embedder.dim)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-3)
    assert np.allclose(from_bytes(to_bytes(vectors[0])), vectors[0], atol=1e-3)


def test_none_means_no_vectors():
    assert load_embedder("none") is None


def test_english_model_ranks_the_paraphrase_first():
    embedder = load_embedder("english")
    query, paraphrase, other = embedder.embed(
        [
            "Flood waters force families from their homes in the river valley",
            "Rising river floods the valley and residents are evacuated",
            "The orchestra announces its new concert season",
        ]
    )
    assert query @ paraphrase > query @ other + 0.1


def test_the_multilingual_model_matches_across_languages():
    embedder = load_embedder("multilingual")
    english, german, unrelated = embedder.embed(
        [
            "The city council approved a new tram line to the airport",
            "Der Stadtrat hat eine neue Straßenbahnlinie zum Flughafen genehmigt",
            "Der Tennisspieler gewann das Finale in drei Sätzen",
        ]
    )
    assert english @ german > 0.55 > english @ unrelated


def test_what_is_embedded_is_the_headline_and_lead():
    assert article_text("Title", "Summary.", "Body " * 500) == "Title\n" + ("Body " * 120).strip()
    assert article_text("Title", "Summary.", "") == "Title\nSummary."
