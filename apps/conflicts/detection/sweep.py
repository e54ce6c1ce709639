"""Scanning candidates for conflicts without comparing every pair.

Two experiments can only conflict if they overlap in time and share something: a surface,
a primary metric, a layer, or a holdout's reach. So ``detect`` buckets the candidates by
surface and by primary metric, and in each bucket sorts the intervals by start and sweeps
them with a heap of the running ones ordered by end: each candidate meets exactly the ones
still running when it starts. That costs O(n log n + overlapping pairs) instead of n²/2.
Each pair found is then judged once by ``judge_pair``, the same function ``detect_naive``
applies to all pairs, so the two can only differ in which pairs they look at.

Inside a bucket, the pairs one layer and one unit keep apart are never enumerated (see
``overlapping_pairs``). Layers are swept on their own, in ``layers.py``.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache, partial

from apps.experiments.audience import Condition

from . import explain
from .audience import AudienceOverlap, audience_overlap, overlap_share
from .layers import over_allocated, over_allocated_layers
from .model import CLUSTER_UNIT, HOLDOUT_TYPE, Candidate, Details, Finding, Kind, Severity

OverlapOf = Callable[[Candidate, Candidate], AudienceOverlap]
KIND_ORDER = {kind: n for n, kind in enumerate(Kind)}


@lru_cache(maxsize=65536)
def _overlap(a: tuple[Condition, ...], b: tuple[Condition, ...]) -> AudienceOverlap:
    # Programs reuse a handful of audiences: the same two meet again and again.
    return audience_overlap(a, b)


def _surface_names(x: Candidate, y: Candidate, ids: Iterable[int]) -> list[str]:
    return sorted(x.surface_names.get(s) or y.surface_names.get(s) or f"surface {s}" for s in ids)


def _finding(
    kind: Kind, severity: Severity, x: Candidate, y: Candidate, window: tuple[date, date],
    share: float, details: Details,
) -> Finding:  # fmt: skip
    return Finding(
        kind=kind, severity=severity, rule=explain.RULES[(kind, severity)], a=x.id, b=y.id,
        layer_id=None, window_start=window[0], window_end=window[1],
        overlap_share=round(min(1.0, share), 6), details=details,
    )  # fmt: skip


def _pair_figures(x: Candidate, y: Candidate, overlap: AudienceOverlap, share: float) -> dict:
    return {
        "audience": str(overlap.relation),
        "unknown_attributes": list(overlap.unknown),
        "enrolment": {str(x.id): round(x.enrolment, 6), str(y.id): round(y.enrolment, 6)},
        "overlap_share": round(share, 6),
    }


# What each kind says and shows, written when a finding is first read (see Finding).


def _collision_details(x, y, shared, overlap, share, window) -> tuple[str, str, dict]:
    surfaces = _surface_names(x, y, shared)
    words = explain.surface_collision(x, y, surfaces, overlap, share, window)
    return (*words, {**_pair_figures(x, y, overlap, share), "surfaces": surfaces})


def _unit_details(x, y, shared, overlap, share, mixed, window) -> tuple[str, str, dict]:
    surfaces = _surface_names(x, y, shared)
    if CLUSTER_UNIT in (x.unit, y.unit):
        words = explain.cluster_contamination(x, y, surfaces, mixed, window)
    else:
        words = explain.unit_mismatch(x, y, surfaces, window)
    figures = {**_pair_figures(x, y, overlap, share), "surfaces": surfaces,
               "overlap_share": round(mixed, 6), "units": {str(x.id): x.unit, str(y.id): y.unit}}  # fmt: skip
    return (*words, figures)


def _metric_details(x, y, overlap, share, window) -> tuple[str, str, dict]:
    words = explain.shared_primary_metric(x, y, overlap, share, window)
    return (*words, {**_pair_figures(x, y, overlap, share), "metric": x.primary_metric_name})


def _holdout_details(h, o, shared, overlap, share, window) -> tuple[str, str, dict]:
    x, y = (h, o) if h.id < o.id else (o, h)
    surfaces = _surface_names(h, o, shared)
    words = explain.holdout_breach(h, o, surfaces, overlap, share, window)
    return (*words, {**_pair_figures(x, y, overlap, share), "holdout": h.id, "surfaces": surfaces})


def _cached(x: Candidate, y: Candidate) -> AudienceOverlap:
    return _overlap(x.audience, y.audience)


def _holdout(
    h: Candidate, o: Candidate, window: tuple[date, date], overlap_of: OverlapOf
) -> list[Finding]:
    shared = h.surfaces & o.surfaces
    if (h.surfaces and not shared) or (h.layer_id is not None and h.layer_id == o.layer_id):
        return []
    overlap = overlap_of(h, o)
    if not overlap.overlaps:
        return []
    share = h.enrolment * o.enrolment
    x, y = (h, o) if h.id < o.id else (o, h)
    details = partial(_holdout_details, h, o, shared, overlap, share, window)
    return [_finding(Kind.HOLDOUT_BREACH, Severity.BLOCKING, x, y, window, share, details)]


def judge_pair(x: Candidate, y: Candidate, overlap_of: OverlapOf = _cached) -> list[Finding]:
    """Every pairwise conflict between two candidates (layer over-allocation aside).

    ``overlap_of`` relates their audiences; a scan passes one memoised per audience pair.
    """
    if x.id > y.id:
        x, y = y, x
    if x.start > y.end or y.start > x.end or x.id == y.id:
        return []
    window = (max(x.start, y.start), min(x.end, y.end))
    if x.type == HOLDOUT_TYPE or y.type == HOLDOUT_TYPE:
        if x.type == y.type:
            return []
        return (_holdout(x, y, window, overlap_of) if x.type == HOLDOUT_TYPE
                else _holdout(y, x, window, overlap_of))  # fmt: skip
    if x.layer_id is not None and x.layer_id == y.layer_id and x.unit == y.unit:
        # One layer and one unit: mutually exclusive, and a metric shared inside a common
        # layer is no conflict. Most pairs a program's buckets hold end here.
        return []
    shared = x.surfaces & y.surfaces
    same_metric = x.primary_metric_id is not None and x.primary_metric_id == y.primary_metric_id
    if not shared and not same_metric:
        return []
    overlap = overlap_of(x, y)
    if not overlap.overlaps:
        return []
    share = overlap_share(x, y)
    out: list[Finding] = []
    if shared and share > 0:
        severity = Severity.BLOCKING if share >= explain.BLOCKING_SHARE else Severity.WARNING
        details = partial(_collision_details, x, y, shared, overlap, share, window)
        out.append(_finding(Kind.SURFACE_COLLISION, severity, x, y, window, share, details))
    if shared and x.unit != y.unit:
        # A layer can't separate two units: the independent estimate holds even inside one.
        mixed = x.enrolment * y.enrolment
        if CLUSTER_UNIT in (x.unit, y.unit):
            kind = Kind.CLUSTER_CONTAMINATION
            severity = Severity.BLOCKING if mixed >= explain.BLOCKING_SHARE else Severity.WARNING
        else:
            kind, severity = Kind.UNIT_MISMATCH, Severity.WARNING
        details = partial(_unit_details, x, y, shared, overlap, share, mixed, window)
        out.append(_finding(kind, severity, x, y, window, mixed, details))
    if same_metric and share > 0:
        severity = Severity.WARNING if share >= explain.BLOCKING_SHARE else Severity.INFO
        details = partial(_metric_details, x, y, overlap, share, window)
        out.append(_finding(Kind.SHARED_PRIMARY_METRIC, severity, x, y, window, share, details))
    return out


def overlapping_pairs(
    items: Iterable[Candidate], apart: Callable[[Candidate], Hashable] | None = None
) -> Iterator[tuple[Candidate, Candidate]]:
    """Pairs of intervals that share a day: sort by start, keep the running ones in a heap.

    With ``apart``, candidates of one class (other than None) are never paired: each class
    keeps its own heap and a newcomer meets only the other classes' running ones, so the
    many pairs a layer already keeps apart cost nothing.
    """
    if apart is None:
        running: list[tuple[date, int, Candidate]] = []
        for c in sorted(items, key=lambda c: (c.start, c.id)):
            while running and running[0][0] < c.start:
                heapq.heappop(running)
            for _, _, other in running:
                yield other, c
            heapq.heappush(running, (c.end, c.id, c))
        return
    classes: dict[Hashable, list[tuple[date, int, Candidate]]] = {}
    for c in sorted(items, key=lambda c: (c.start, c.id)):
        own = apart(c)
        for key, heap in classes.items():
            if key == own and own is not None:
                continue
            while heap and heap[0][0] < c.start:
                heapq.heappop(heap)
            for _, _, other in heap:
                yield other, c
        heapq.heappush(classes.setdefault(own, []), (c.end, c.id, c))


def _surface_class(c: Candidate) -> Hashable:
    # One layer and one unit keep two experiments apart on a shared surface.
    return None if c.layer_id is None else (c.layer_id, c.unit)


def _metric_class(c: Candidate) -> Hashable:
    # A primary metric shared inside one layer is no conflict (units are the surfaces' matter).
    return c.layer_id


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by kind, then pair, layer and window."""
    return sorted(
        findings,
        key=lambda f: (KIND_ORDER[f.kind], f.a, f.b or -1, f.layer_id or -1, f.window_start),
    )


def _valid(
    candidates: Iterable[Candidate], holdouts: Iterable[Candidate] | None
) -> list[Candidate]:
    seen: dict[int, Candidate] = {}
    for c in [*candidates, *(holdouts or ())]:
        if c.start <= c.end and c.layer_share > 0 and c.allocation > 0:
            seen.setdefault(c.id, c)
    return list(seen.values())


def _memo(cands: Sequence[Candidate]) -> OverlapOf:
    """Audience relations memoised per pair of distinct audiences: a program reuses a few
    dozen audiences, so ten thousand candidates need only a few hundred comparisons, and
    an int key is cheaper to look up than the conditions themselves."""
    index: dict[tuple[Condition, ...], int] = {}
    audience_of = {c.id: index.setdefault(c.audience, len(index)) for c in cands}
    memo: dict[tuple[int, int], AudienceOverlap] = {}

    def overlap_of(x: Candidate, y: Candidate) -> AudienceOverlap:
        key = (audience_of[x.id], audience_of[y.id])
        found = memo.get(key)
        if found is None:
            found = memo[key] = audience_overlap(x.audience, y.audience)
        return found

    return overlap_of


def detect(
    candidates: Sequence[Candidate], *, holdouts: Iterable[Candidate] | None = None
) -> list[Finding]:
    """Every conflict among ``candidates``, in a stable order.

    Holdouts are the candidates of type holdout; ``holdouts`` adds ones scanned only as
    holdouts' reach (a holdout without surfaces reaches everything). Candidates with an end
    before their start or a zero share take no part.
    """
    cands = _valid(candidates, holdouts)
    by_surface: dict[int, list[Candidate]] = defaultdict(list)
    by_metric: dict[int, list[Candidate]] = defaultdict(list)
    for c in cands:
        for s in c.surfaces:
            by_surface[s].append(c)
        if c.primary_metric_id is not None:
            by_metric[c.primary_metric_id].append(c)
    overlap_of = _memo(cands)
    stride = max((c.id for c in cands), default=0) + 1
    seen: set[int] = set()  # a pair met in several buckets is judged once
    found: list[Finding] = []

    def meet(x: Candidate, y: Candidate) -> None:
        key = x.id * stride + y.id if x.id < y.id else y.id * stride + x.id
        if key not in seen:
            seen.add(key)
            found.extend(judge_pair(x, y, overlap_of))

    for buckets, apart in ((by_surface, _surface_class), (by_metric, _metric_class)):
        for bucket in buckets.values():
            for x, y in overlapping_pairs(bucket, apart):
                meet(x, y)
    for h in cands:
        if h.is_holdout and not h.surfaces:  # reaches every surface: linear in n per holdout
            for o in cands:
                if o.id != h.id and o.start <= h.end and h.start <= o.end:
                    meet(h, o)
    return in_order(found + over_allocated_layers(cands))


def detect_naive(
    candidates: Sequence[Candidate], *, holdouts: Iterable[Candidate] | None = None
) -> list[Finding]:
    """The same findings by judging every pair and re-summing each layer at every event."""
    cands = _valid(candidates, holdouts)
    found: list[Finding] = []
    for i, x in enumerate(cands):
        for y in cands[i + 1 :]:
            if x.start <= y.end and y.start <= x.end:
                found.extend(judge_pair(x, y))
    layers = sorted({c.layer_id for c in cands if c.layer_id is not None})
    for layer_id in layers:
        members = [c for c in cands if c.layer_id == layer_id]
        found.extend(over_allocated(members, layer_id, naive=True))
    return in_order(found)
