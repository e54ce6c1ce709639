"""The timeline: running and scheduled experiments per surface or per layer, overlaps drawn.

Laid out server-side for inline SVG (no script: the Content-Security-Policy allows none
inline), as the experiments' charts are. One band per surface (or layer), one lane per
experiment in it; a conflict between two experiments of the band is a red box over their
two lanes for the conflict's window, and a layer promised beyond 100 % shows its peak.
Every bar and box carries a <title>, and the page lists the same facts in a table.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from apps.conflicts.candidates import CANDIDATE_STATUSES, OPEN_END, candidates_from
from apps.conflicts.detection import Candidate
from apps.conflicts.models import Conflict, Kind
from apps.experiments.models import Experiment, Status

WIDTH = 960
LABEL_W = 200
RIGHT = 16
TOP = 34  # the month axis
LANE_H = 22
BAND_HEAD = 24
BAND_GAP = 10
MIN_DAYS, MAX_DAYS = 56, 240
SURFACE_KINDS = (Kind.SURFACE_COLLISION, Kind.UNIT_MISMATCH, Kind.CLUSTER_CONTAMINATION,
                 Kind.SHARED_PRIMARY_METRIC, Kind.HOLDOUT_BREACH)  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Bar:
    experiment_id: int
    label: str
    status: str
    x: float
    y: float
    w: float
    text: str  # the <title>: "Guest checkout — running, 3 Mar to 14 Apr, 50 % of the layer"
    open_end: bool = False


@dataclass
class Overlap:
    x: float
    y: float
    w: float
    h: float
    text: str
    severity: str


@dataclass
class Band:
    name: str
    y: float
    bars: list[Bar] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    note: str = ""


@dataclass
class Timeline:
    by: str
    start: datetime.date
    end: datetime.date
    width: int
    height: int
    plot_x: int
    plot_w: float
    today_x: float
    ticks: list[tuple[float, str]]
    bands: list[Band]

    @property
    def empty(self) -> bool:
        return not self.bands


def _day(d: datetime.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


def _span(c: Candidate) -> str:
    end = "open-ended" if c.end == OPEN_END else _day(c.end)
    return f"{_day(c.start)} to {end}"


def _bands(cands: Sequence[Candidate], by: str) -> dict[str, list[Candidate]]:
    bands: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if by == "layer":
            if c.layer_id is not None:
                bands[c.layer_name or f"Layer {c.layer_id}"].append(c)
        else:
            for name in c.surface_names.values():
                bands[name].append(c)
    return dict(sorted(bands.items(), key=lambda kv: kv[0].lower()))


def _peak(members: Sequence[Candidate]) -> float:
    """The largest share of the layer promised on one day (a sweep over start/end days)."""
    events: dict[datetime.date, float] = defaultdict(float)
    for m in members:
        events[m.start] += m.layer_share
        if m.end != OPEN_END:
            events[m.end + datetime.timedelta(days=1)] -= m.layer_share
    total, peak = 0.0, 0.0
    for day in sorted(events):
        total += events[day]
        peak = max(peak, total)
    return peak


def timeline_for(user, *, by: str = "surface", group_id: int | None = None,
                 today: datetime.date | None = None) -> Timeline:  # fmt: skip
    """The person's running and scheduled experiments (and designs in review), banded."""
    today = today or timezone.localdate()
    qs = (
        Experiment.objects.visible_to(user)
        .filter(status__in=CANDIDATE_STATUSES)
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=today) | Q(status=Status.RUNNING))
    )
    if group_id:
        qs = qs.filter(working_group_id=group_id)
    cands = candidates_from(qs, today=today)
    bands = _bands(cands, by)
    start = today - datetime.timedelta(days=14)
    ends = [c.end for c in cands if c.end != OPEN_END]
    end = max([start + datetime.timedelta(days=MIN_DAYS), *ends])
    end = min(end, start + datetime.timedelta(days=MAX_DAYS))
    plot_x, plot_w = LABEL_W, WIDTH - LABEL_W - RIGHT
    days = (end - start).days or 1

    def x_of(d: datetime.date) -> float:
        clipped = min(max(d, start), end)
        return round(plot_x + plot_w * (clipped - start).days / days, 1)

    ids = [c.id for c in cands]
    kinds = (Kind.LAYER_OVERALLOCATION,) if by == "layer" else SURFACE_KINDS
    conflicts = list(
        Conflict.objects.visible_to(user).unresolved().filter(
            kind__in=kinds, experiment_a_id__in=ids, experiment_b_id__in=ids
        ).order_by("pk")
    )  # fmt: skip
    out: list[Band] = []
    y = float(TOP)
    for name, members in bands.items():
        members = sorted(members, key=lambda c: (c.start, c.id))
        band = Band(name=name, y=y)
        lane: dict[int, float] = {}
        for i, c in enumerate(members):
            top = y + BAND_HEAD + i * LANE_H
            lane[c.id] = top
            share = f", {c.layer_share * 100:g} % of the layer" if by == "layer" else ""
            x0, x1 = x_of(c.start), x_of(min(c.end, end))
            band.bars.append(Bar(
                experiment_id=c.id, label=c.label, status=c.status, x=x0, y=top + 3,
                w=max(x1 - x0, 3.0), open_end=c.end == OPEN_END or c.end > end,
                text=f"{c.label} — {Status(c.status).label.lower()}, {_span(c)}{share}",
            ))  # fmt: skip
        for conflict in conflicts:
            a, b = lane.get(conflict.experiment_a_id), lane.get(conflict.experiment_b_id)
            if a is None or b is None or conflict.window_start is None:
                continue
            if (by == "layer" and conflict.layer_id is not None
                    and not any(m.layer_id == conflict.layer_id for m in members)):  # fmt: skip
                continue
            x0 = x_of(conflict.window_start)
            x1 = x_of(conflict.window_end or end)
            band.overlaps.append(Overlap(
                x=x0, y=min(a, b) + 1, w=max(x1 - x0, 3.0), h=abs(a - b) + LANE_H - 2,
                severity=conflict.severity,
                text=f"{conflict.get_kind_display()} ({conflict.get_severity_display().lower()}"
                f"), {_day(conflict.window_start)} to "
                f"{_day(conflict.window_end) if conflict.window_end else '?'}: "
                f"{conflict.explanation}",
            ))  # fmt: skip
        if by == "layer":
            peak = _peak(members)
            band.note = f"peak {peak * 100:g} %" + (" — over 100 %" if peak > 1 + 1e-9 else "")
        out.append(band)
        y += BAND_HEAD + len(members) * LANE_H + BAND_GAP
    ticks = []
    first = datetime.date(start.year, start.month, 1)
    while first <= end:
        if first >= start:
            ticks.append((x_of(first), f"{MONTHS[first.month - 1]} {first.year}"))
        first = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Timeline(
        by=by, start=start, end=end, width=WIDTH, height=int(y) + 8, plot_x=plot_x,
        plot_w=plot_w, today_x=x_of(today), ticks=ticks, bands=out,
    )  # fmt: skip
