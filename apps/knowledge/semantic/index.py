"""The nearest-neighbour lookup: every embedding in one numpy matrix, cached per process.

Vectors are unit length, so cosine similarity is one matrix-vector product: 100,000 items
are 150 MB of float32 and about 10 ms of BLAS. The matrix is loaded on first use and kept
current cheaply: each lookup asks the database for the count and the latest `updated_at`
of the embeddings (one index-backed aggregate); when either moved, it reads only the rows
changed since (with a margin for transactions that committed late), and reconciles the ids
when the count says rows were deleted. A process therefore never serves vectors older than
the last commit it can see, and never re-reads 150 MB because one item changed.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from apps.knowledge.models.embedding import Embedding

from .encoder import DIMENSIONS, blas_threads

# A row saved (its updated_at stamped) before an earlier refresh but committed after it
# would be missed by "changed since the last refresh"; re-reading this margin catches it.
LATE_COMMIT_MARGIN = datetime.timedelta(seconds=60)


@dataclass
class _Matrix:
    model: str
    ids: np.ndarray  # search item ids, ascending
    vectors: np.ndarray  # (len(ids), 384) float32, row i is item ids[i]
    count: int
    latest: datetime.datetime | None


_lock = threading.Lock()
_cache: _Matrix | None = None


def _decode(rows: Sequence[tuple[int, bytes | memoryview]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(bytes(v) for _, v in rows), dtype=np.float32)
    return ids, vectors.reshape(len(rows), DIMENSIONS)


def _merge(matrix: _Matrix, rows: Sequence[tuple[int, bytes | memoryview]]) -> None:
    """Replace the changed rows in place and append the new ones, keeping ids sorted."""
    if not rows:
        return
    ids, vectors = _decode(rows)
    at = np.searchsorted(matrix.ids, ids)
    known = np.zeros(len(ids), dtype=bool)
    if len(matrix.ids):
        known = (at < len(matrix.ids)) & (matrix.ids[np.minimum(at, len(matrix.ids) - 1)] == ids)
    if known.any():
        matrix.vectors[at[known]] = vectors[known]
    if (~known).any():
        all_ids = np.concatenate([matrix.ids, ids[~known]])
        order = np.argsort(all_ids, kind="stable")
        matrix.ids = all_ids[order]
        matrix.vectors = np.concatenate([matrix.vectors, vectors[~known]])[order]


def _load(model: str) -> _Matrix:
    """Read every vector straight into one preallocated matrix (no second copy in memory)."""
    embeddings = Embedding.objects.filter(model=model)
    state = embeddings.aggregate(n=Count("pk"), latest=Max("updated_at"))
    # Rows committed between the count and the read: read at most what was counted, and let
    # the next lookup's freshness check bring in the rest.
    ids = np.empty(state["n"], dtype=np.int64)
    vectors = np.empty((state["n"], DIMENSIONS), dtype=np.float32)
    rows = embeddings.order_by("search_item_id").values_list("search_item_id", "vector")
    n = 0
    for pk, vector in rows.iterator(chunk_size=5000):
        if n == len(ids):
            break
        ids[n] = pk
        vectors[n] = np.frombuffer(vector, dtype=np.float32)
        n += 1
    return _Matrix(model, ids[:n], vectors[:n], n, state["latest"] if n == state["n"] else None)


def current(model: str) -> _Matrix:
    """The process's matrix for this model, brought up to date with the database."""
    global _cache
    with _lock:
        if _cache is None or _cache.model != model:
            _cache = _load(model)
            return _cache
        matrix = _cache
        embeddings = Embedding.objects.filter(model=model)
        state = embeddings.aggregate(n=Count("pk"), latest=Max("updated_at"))
        if state["n"] == matrix.count and state["latest"] == matrix.latest:
            return matrix
        changed = embeddings
        if matrix.latest is not None:
            changed = changed.filter(updated_at__gte=matrix.latest - LATE_COMMIT_MARGIN)
        _merge(matrix, list(changed.values_list("search_item_id", "vector")))
        if len(matrix.ids) != state["n"]:
            # Rows were deleted (or committed later than the margin): reconcile by id.
            present = np.array(
                sorted(embeddings.values_list("search_item_id", flat=True)), dtype=np.int64
            )
            keep = np.isin(matrix.ids, present)
            matrix.ids, matrix.vectors = matrix.ids[keep], matrix.vectors[keep]
            missing = np.setdiff1d(present, matrix.ids)
            if len(missing):
                _merge(
                    matrix,
                    list(
                        embeddings.filter(search_item_id__in=missing.tolist()).values_list(
                            "search_item_id", "vector"
                        )
                    ),
                )
        matrix.count, matrix.latest = state["n"], state["latest"]
        return matrix


def forget() -> None:
    """Drop the cached matrix (tests, and a process that changes the model)."""
    global _cache
    with _lock:
        _cache = None


def rank(
    matrix: _Matrix, vector: np.ndarray, *, k: int, item_ids: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The k items whose vectors are closest to `vector` (cosine), best first.

    `item_ids` restricts the candidates (ids without an embedding are ignored).
    """
    ids, vectors = matrix.ids, matrix.vectors
    if item_ids is not None:
        wanted = np.asarray(item_ids, dtype=np.int64)
        at = np.searchsorted(ids, wanted)
        inside = at < len(ids)
        rows = at[inside][ids[at[inside]] == wanted[inside]]
        ids, vectors = ids[rows], vectors[rows]
    if k <= 0 or len(ids) == 0:
        return []
    with blas_threads():
        scores = vectors @ np.asarray(vector, dtype=np.float32)
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((ids[top], -scores[top]))]
    return [(int(ids[i]), float(scores[i])) for i in top]
