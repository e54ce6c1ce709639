"""Layer over-allocation: the peak of the shares a layer has promised at once.

Each layer's experiments are swept on their own: start and end events in date order,
keeping the sum of the running experiments' shares (as integers, so exactly 100 % never
drifts above it). A layer is over-allocated while that sum exceeds 100 %: the peak over
time, not the sum of everyone ever in the layer.

One finding per layer and over-allocated episode (a maximal run of days above 100 %),
between the newest experiment at the episode's peak (the latest start: the one whose
arrival tipped it over) and the one with the largest share beside it. While the designs
stay the same, every rescan names the same pair, so its identity neither duplicates nor
flaps; should two episodes name the same pair, the one with the higher peak is kept.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import partial

from . import explain
from .model import Candidate, Finding, Kind, Severity

SCALE = 1_000_000  # a share of 100 %


def _units(c: Candidate) -> int:
    return round(c.layer_share * SCALE)


def _episodes(
    segments: Iterable[tuple[date, date, int, Iterable[Candidate]]],
) -> list[tuple[date, date, int, tuple[Candidate, ...]]]:
    """Runs of consecutive over-allocated segments → (start, end, peak, members at peak).

    A segment's members may be a live view (the sweep's running set): they are copied only
    when a peak is recorded."""
    out: list[tuple[date, date, int, tuple[Candidate, ...]]] = []
    current: list | None = None
    for start, end, total, members in segments:
        if total <= SCALE:
            current = None
            continue
        if current is not None and current[1] + timedelta(days=1) == start:
            current[1] = end
            if total > current[2]:
                current[2], current[3] = total, tuple(members)
        else:
            current = [start, end, total, tuple(members)]
            out.append(current)  # type: ignore[arg-type]
    return [tuple(e) for e in out]  # type: ignore[misc]


def _layer_details(layer, members, peak, newest, window, layer_id) -> tuple[str, str, dict]:
    words = explain.layer_overallocation(layer, members, peak, newest, window)
    figures = {
        "layer": layer, "peak_share": round(peak, 6), "newest": newest.id,
        "experiments": [m.id for m in members],
        "shares": {str(m.id): round(m.layer_share, 6) for m in members},
    }  # fmt: skip
    return (*words, figures)


def _layer_findings(episodes, layer_id: int) -> list[Finding]:
    best: dict[tuple, tuple[float, Finding]] = {}
    for start, end, peak_units, members in episodes:
        members = tuple(sorted(members, key=lambda m: (m.start, m.id)))
        newest = max(members, key=lambda m: (m.start, m.id))
        partner = min((m for m in members if m.id != newest.id),
                      key=lambda m: (-_units(m), m.id))  # fmt: skip
        x, y = (newest, partner) if newest.id < partner.id else (partner, newest)
        peak = peak_units / SCALE
        layer = newest.layer_name or f"#{layer_id}"
        details = partial(_layer_details, layer, members, peak, newest, (start, end), layer_id)
        finding = Finding(
            kind=Kind.LAYER_OVERALLOCATION, severity=Severity.BLOCKING,
            rule=explain.RULES[(Kind.LAYER_OVERALLOCATION, Severity.BLOCKING)],
            a=x.id, b=y.id, layer_id=layer_id, window_start=start, window_end=end,
            overlap_share=round(min(1.0, peak - 1.0), 6), details=details,
        )  # fmt: skip
        kept = best.get(finding.identity)
        if kept is None or peak > kept[0]:
            best[finding.identity] = (peak, finding)
    return [finding for _, finding in best.values()]


def segments_swept(members: Sequence[Candidate]):
    """(first day, last day, total share, running) per stretch between start/end events."""
    starts: dict[date, list[Candidate]] = defaultdict(list)
    stops: dict[date, list[Candidate]] = defaultdict(list)
    for m in members:
        starts[m.start].append(m)
        stops[m.end + timedelta(days=1)].append(m)
    days = sorted(set(starts) | set(stops))
    units = {m.id: _units(m) for m in members}
    running: dict[int, Candidate] = {}
    total = 0
    for n, d in enumerate(days[:-1]):
        for m in stops.get(d, ()):
            del running[m.id]
            total -= units[m.id]
        for m in starts.get(d, ()):
            running[m.id] = m
            total += units[m.id]
        yield d, days[n + 1] - timedelta(days=1), total, running.values()


def over_allocated_layers(candidates: Sequence[Candidate]) -> list[Finding]:
    """Every layer's over-allocation findings, each layer swept on its own."""
    by_layer: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.layer_id is not None:
            by_layer[c.layer_id].append(c)
    out: list[Finding] = []
    for layer_id, members in by_layer.items():
        if sum(_units(m) for m in members) > SCALE:  # else no moment can exceed 100 %
            out.extend(over_allocated(members, layer_id))
    return out


def segments_naive(members: Sequence[Candidate]):
    """The same stretches as ``segments_swept``, re-summing every member at each one."""
    days = sorted({m.start for m in members} | {m.end + timedelta(days=1) for m in members})
    for n, d in enumerate(days[:-1]):
        running = tuple(m for m in members if m.start <= d <= m.end)
        total = sum(_units(m) for m in running)
        yield d, days[n + 1] - timedelta(days=1), total, running if total > SCALE else ()


def over_allocated(
    members: Sequence[Candidate], layer_id: int, *, naive: bool = False
) -> list[Finding]:
    """The over-allocation findings of one layer's members (``naive``: re-sum every day)."""
    segments = segments_naive(members) if naive else segments_swept(members)
    return _layer_findings(_episodes(segments), layer_id)
