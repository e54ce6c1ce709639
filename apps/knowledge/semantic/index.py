"""The nearest-neighbour lookup: every embedding in one numpy matrix, cached per process.

Vectors are unit length, so cosine similarity is one matrix-vector product: 100,000 items
are 150 MB of float32, one pass of BLAS (bench/knowledge_semantic.py has the times). The
matrix is loaded on first use and kept current cheaply: each lookup asks the database for
the latest `updated_at` of the embeddings (one index-backed MAX); when it moved, it reads the
ids and stamps changed since (with a margin for transactions that committed late), and the
vectors of only the rows whose stamp differs from the one held. Deleted rows are dropped by
a reconciliation by id every few minutes. A process therefore never serves a vector older
than the last commit it can see, and never re-reads 150 MB because one item changed.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Max

from apps.knowledge.models.embedding import Embedding

from .encoder import DIMENSIONS, blas_threads

# A row saved (its updated_at stamped) before an earlier refresh but committed after it
# would be missed by "changed since the last refresh"; re-checking this window catches it.
# The index's and the embedding job's transactions last well under a second.
LATE_COMMIT_MARGIN = datetime.timedelta(seconds=10)
# Deleted items leave their rows in the matrix until this reconciliation; no lookup can
# return them meanwhile, as every caller reads the items it ranked through the database.
RECONCILE_SECONDS = 300.0


@dataclass
class _Matrix:
    model: str
    ids: np.ndarray  # search item ids, ascending
    vectors: np.ndarray  # (len(ids), 384) float32, row i is item ids[i]
    stamps: np.ndarray  # each row's updated_at, in microseconds since the epoch
    latest: datetime.datetime | None
    reconciled: float  # time.monotonic() of the last reconciliation by id


_lock = threading.Lock()
_cache: _Matrix | None = None


def _stamp(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _merge(
    matrix: _Matrix, rows: Sequence[tuple[int, bytes | memoryview, datetime.datetime]]
) -> None:
    """Replace the changed rows in place and add the new ones, keeping ids sorted."""
    if not rows:
        return
    ids = np.fromiter((pk for pk, _, _ in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(bytes(v) for _, v, _ in rows), dtype=np.float32)
    vectors = vectors.reshape(len(rows), DIMENSIONS)
    stamps = np.fromiter((_stamp(at) for _, _, at in rows), dtype=np.int64, count=len(rows))
    at = np.searchsorted(matrix.ids, ids)
    known = np.zeros(len(ids), dtype=bool)
    if len(matrix.ids):
        known = (at < len(matrix.ids)) & (matrix.ids[np.minimum(at, len(matrix.ids) - 1)] == ids)
    if known.any():
        matrix.vectors[at[known]] = vectors[known]
        matrix.stamps[at[known]] = stamps[known]
    if (~known).any():
        all_ids = np.concatenate([matrix.ids, ids[~known]])
        order = np.argsort(all_ids, kind="stable")
        matrix.ids = all_ids[order]
        matrix.vectors = np.concatenate([matrix.vectors, vectors[~known]])[order]
        matrix.stamps = np.concatenate([matrix.stamps, stamps[~known]])[order]


def _load(model: str) -> _Matrix:
    """Read every vector straight into one preallocated matrix (no second copy in memory)."""
    embeddings = Embedding.objects.filter(model=model)
    count = embeddings.count()
    ids = np.empty(count, dtype=np.int64)
    stamps = np.empty(count, dtype=np.int64)
    vectors = np.empty((count, DIMENSIONS), dtype=np.float32)
    rows = embeddings.order_by("search_item_id").values_list(
        "search_item_id", "vector", "updated_at"
    )
    n = 0
    latest: datetime.datetime | None = None
    for pk, vector, updated_at in rows.iterator(chunk_size=5000):
        if n == count:
            break  # committed since the count: the next lookup's refresh adds it
        ids[n], stamps[n] = pk, _stamp(updated_at)
        vectors[n] = np.frombuffer(vector, dtype=np.float32)
        latest = updated_at if latest is None else max(latest, updated_at)
        n += 1
    return _Matrix(model, ids[:n], vectors[:n], stamps[:n], latest, time.monotonic())


def _refresh(matrix: _Matrix, embeddings) -> None:
    """Bring in the rows changed since the last look: their ids and stamps first, vectors only
    for the rows whose stamp differs from the one held."""
    latest = embeddings.aggregate(latest=Max("updated_at"))["latest"]
    if latest is not None and latest != matrix.latest:
        window = embeddings
        if matrix.latest is not None:
            window = window.filter(updated_at__gte=matrix.latest - LATE_COMMIT_MARGIN)
        seen = list(window.values_list("search_item_id", "updated_at"))
        ids = np.fromiter((pk for pk, _ in seen), dtype=np.int64, count=len(seen))
        stamps = np.fromiter((_stamp(at) for _, at in seen), dtype=np.int64, count=len(seen))
        if len(matrix.ids):
            at = np.minimum(np.searchsorted(matrix.ids, ids), len(matrix.ids) - 1)
            fresh = (matrix.ids[at] != ids) | (matrix.stamps[at] != stamps)
        else:
            fresh = np.ones(len(ids), dtype=bool)
        if fresh.any():
            wanted = ids[fresh].tolist()
            _merge(
                matrix,
                list(
                    embeddings.filter(search_item_id__in=wanted).values_list(
                        "search_item_id", "vector", "updated_at"
                    )
                ),
            )
        matrix.latest = latest
    if time.monotonic() - matrix.reconciled > RECONCILE_SECONDS:
        present = np.array(
            sorted(embeddings.values_list("search_item_id", flat=True)), dtype=np.int64
        )
        keep = np.isin(matrix.ids, present)
        if not keep.all():
            matrix.ids, matrix.vectors = matrix.ids[keep], matrix.vectors[keep]
            matrix.stamps = matrix.stamps[keep]
        missing = np.setdiff1d(present, matrix.ids).tolist()
        if missing:
            _merge(
                matrix,
                list(
                    embeddings.filter(search_item_id__in=missing).values_list(
                        "search_item_id", "vector", "updated_at"
                    )
                ),
            )
        matrix.reconciled = time.monotonic()


def current(model: str) -> _Matrix:
    """The process's matrix for this model, brought up to date with the database.

    One index-backed `MAX(updated_at)` per lookup when nothing changed.
    """
    global _cache
    with _lock:
        if _cache is None or _cache.model != model:
            _cache = _load(model)
        else:
            _refresh(_cache, Embedding.objects.filter(model=model))
        return _cache


def reconcile() -> None:
    """Drop deleted rows and add any missed at the next lookup (tests, after bulk deletes)."""
    with _lock:
        if _cache is not None:
            _cache.reconciled = float("-inf")


def forget() -> None:
    """Drop the cached matrix (tests, and a process that changes the model)."""
    global _cache
    with _lock:
        _cache = None


def similarities(matrix: _Matrix, vector: np.ndarray) -> np.ndarray:
    """Every row's cosine with `vector` (both unit length): one matrix-vector product."""
    with blas_threads():
        return matrix.vectors @ np.asarray(vector, dtype=np.float32)


def rank(
    matrix: _Matrix,
    vector: np.ndarray | None = None,
    *,
    k: int,
    item_ids: np.ndarray | None = None,
    scores: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """The k items whose vectors are closest to `vector` (cosine), best first.

    `item_ids` restricts the candidates (ids without an embedding are ignored); `scores`,
    from `similarities`, saves computing them again when one query is ranked twice.
    """
    if scores is None:
        assert vector is not None
        scores = similarities(matrix, vector)
    ids = matrix.ids
    if item_ids is not None:
        wanted = np.asarray(item_ids, dtype=np.int64)
        at = np.searchsorted(ids, wanted)
        inside = at < len(ids)
        rows = at[inside][ids[at[inside]] == wanted[inside]]
        ids, scores = ids[rows], scores[rows]
    if k <= 0 or len(ids) == 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((ids[top], -scores[top]))]
    return [(int(ids[i]), float(scores[i])) for i in top]
