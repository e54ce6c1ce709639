"""The numpy encoder against sentence-transformers' own vectors, and what similarity means."""

import json
from pathlib import Path

import numpy as np
import pytest

from apps.knowledge.semantic.encoder import DIMENSIONS, get_encoder, model_version

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference_vectors.json"


@pytest.fixture(scope="module")
def reference():
    data = json.loads(REFERENCE.read_text())
    return data["sentences"], np.array(data["vectors"], dtype=np.float32)


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


@pytest.mark.parametrize("batch_size", [1, 7, 32])
def test_it_matches_sentence_transformers_vectors(encoder, reference, batch_size):
    sentences, expected = reference
    vectors = encoder.encode(sentences, batch_size=batch_size)
    cosines = (vectors * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.9999, sentences[worst]


def test_vectors_are_unit_length_float32_in_the_order_given(encoder, reference):
    sentences, expected = reference
    vectors = encoder.encode(list(reversed(sentences)))
    assert vectors.dtype == np.float32 and vectors.shape == (len(sentences), DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[::-1], expected, atol=1e-4)


def test_a_text_longer_than_the_model_reads_is_cut_not_refused(encoder):
    long = "free delivery over a minimum basket value " * 200
    vector = encoder.encode([long, ""])
    assert np.isfinite(vector).all() and vector.shape == (2, DIMENSIONS)


def test_no_text_gives_no_rows(encoder):
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_synonyms_are_closer_than_an_unrelated_idea(encoder):
    shipping, delivery, dark_mode = encoder.encode(
        [
            "free shipping threshold",
            "lower the minimum order for free delivery",
            "dark mode toggle",
        ]
    )
    assert shipping @ delivery > 0.5
    assert shipping @ delivery > (shipping @ dark_mode) + 0.4
    assert delivery @ dark_mode < 0.2


def test_a_question_finds_the_past_experiment_it_describes(encoder):
    query, *items = encoder.encode(
        [
            "show delivery cost earlier in checkout",
            "Dark mode for the app settings screen",
            "Shipping fee displayed on the product page before the basket",
            "Reduce form fields at sign-up from seven to three",
        ]
    )
    scores = [query @ item for item in items]
    assert int(np.argmax(scores)) == 1


def test_the_model_version_names_the_package_it_came_from():
    assert model_version() == "all-MiniLM-L6-v2@0.1.0"


def test_without_the_model_package_semantic_search_is_off(monkeypatch):
    from importlib import metadata

    from apps.knowledge import semantic
    from apps.knowledge.semantic import encoder as module

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(module.metadata, "distribution", missing)
    monkeypatch.setattr(module, "_encoder", None)
    semantic._loadable.cache_clear()
    try:
        assert semantic.available() is False
        with pytest.raises(semantic.ModelUnavailable, match="not installed"):
            semantic.embed(["free shipping"])
    finally:
        semantic._loadable.cache_clear()
