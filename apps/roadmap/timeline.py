"""The roadmap timeline's geometry: quarters as columns, plans as bars, milestones as markers.

A decision point still ahead is a diamond (hollow upcoming, orange due, vermillion overdue);
a decided one has the shape of its outcome (continue ▶, pivot ▲, abandon ✕, ship ★), so
states differ by shape as well as colour and read in print, in greyscale and for the
colour-blind. The colours are Okabe and Ito's colour-blind-safe palette (roadmap.css).

Computed on the server and drawn as inline SVG by the template, so the page needs no
JavaScript and a stakeholder's browser receives only the plans they may see. The same
layout feeds `/api/v1/roadmap/` as dates, for clients that draw their own.
"""

import datetime
import math
from dataclasses import dataclass, field
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString

from .models import Category, PlanStatus, quarter_of
from .selectors import STATE_LABELS, TimelinePlan

CATEGORY_LABELS = dict(Category.choices)
STATUS_LABELS = dict(PlanStatus.choices)

WIDTH = 1100
LABEL_W = 260  # the plan titles' column
TOP = 34  # the quarter labels' band
ROW_H = 30
BAR_H = 12
DIAMOND = 7  # half-diagonal of a milestone diamond
MAX_QUARTERS = 12


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(start: datetime.date, n: int) -> datetime.date:
    months = start.year * 12 + (start.month - 1) + 3 * n
    return datetime.date(months // 12, months % 12 + 1, 1)


def window_for(plans: list[TimelinePlan], today: datetime.date) -> tuple[datetime.date, int]:
    """From the last quarter through the next two, widened to the plans, at most 12 quarters."""
    first = add_quarters(quarter_start(today), -1)
    last = add_quarters(quarter_start(today), 2)
    if plans:
        first = min(first, quarter_start(min(p.start_date for p in plans)))
        last = max(last, quarter_start(max(p.end_date for p in plans)))
    count = 0
    while add_quarters(first, count) <= last:
        count += 1
    if count > MAX_QUARTERS:
        # Keep the quarters around today; plans reaching beyond are clipped at the edge.
        first = max(first, add_quarters(quarter_start(today), -(MAX_QUARTERS // 3)))
        count = MAX_QUARTERS
    return first, count


@dataclass(frozen=True, slots=True)
class QuarterSpan:
    """One quarter of the window: its first and last day, and whether today falls in it."""

    start: datetime.date
    end: datetime.date
    current: bool

    @property
    def label(self) -> str:
        return quarter_of(self.start)


def quarter_spans(plans: list[TimelinePlan], today: datetime.date) -> list[QuarterSpan]:
    """The window's quarters in order, for the drawn timeline and the API alike."""
    first, count = window_for(plans, today)
    spans = []
    for i in range(count):
        start, after = add_quarters(first, i), add_quarters(first, i + 1)
        spans.append(QuarterSpan(start, after - datetime.timedelta(days=1), start <= today < after))
    return spans


def _star(x: float, y: float, d: float) -> list[tuple[float, float]]:
    points = []
    for k in range(10):
        r = d * 1.15 if k % 2 == 0 else d * 0.48
        angle = math.pi / 2 + k * math.pi / 5
        points.append((x + r * math.cos(angle), y - r * math.sin(angle)))
    return points


def _cross(x: float, y: float, d: float) -> list[tuple[float, float]]:
    a, b = d * 0.35, d  # half the arm's width, the arm's reach
    return [
        (x - b, y - b + a), (x - b + a, y - b), (x, y - a), (x + b - a, y - b),
        (x + b, y - b + a), (x + a, y), (x + b, y + b - a), (x + b - a, y + b),
        (x, y + a), (x - b + a, y + b), (x - b, y + b - a), (x - a, y),
    ]  # fmt: skip


def marker_points(state: str, x: float, y: float, d: float = DIAMOND) -> str:
    """The SVG polygon of a milestone in `state` centred on (x, y), `d` its half-size."""
    if state == "continue":
        corners = [(x - d * 0.8, y - d), (x + d, y), (x - d * 0.8, y + d)]
    elif state == "pivot":
        corners = [(x, y - d * 1.05), (x + d, y + d * 0.8), (x - d, y + d * 0.8)]
    elif state == "abandon":
        corners = _cross(x, y, d * 0.9)
    elif state == "ship":
        corners = _star(x, y, d)
    else:
        corners = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    return " ".join(f"{round(px, 1):g},{round(py, 1):g}" for px, py in corners)


def legend_icon(state: str) -> SafeString:
    """The marker for the legend, at 14 px."""
    return SafeString(f'<polygon class="ms {state}" points="{marker_points(state, 7, 7, 6)}"/>')


@dataclass(slots=True)
class Diamond:
    x: float
    y: float
    state: str
    label: str
    title: str
    target_date: datetime.date

    @property
    def points(self) -> str:
        return marker_points(self.state, self.x, self.y)


@dataclass(slots=True)
class Row:
    plan: TimelinePlan
    y: float
    bar_x: float
    bar_w: float
    bar_y: float
    label_y: float
    diamonds: list[Diamond] = field(default_factory=list)


@dataclass
class Quarter:
    label: str
    x: float
    w: float
    current: bool


@dataclass
class Timeline:
    width: int
    height: int
    label_w: int
    top: int
    quarters: list[Quarter]
    rows: list[Row]
    today_x: float | None
    states: list[tuple[str, str, SafeString]]
    rows_svg: SafeString = field(default_factory=lambda: SafeString(""))


def layout(plans: list[TimelinePlan], *, today: datetime.date) -> Timeline:
    """Geometry for the plans in order; a milestone is "due" within its group's cadence."""
    spans = quarter_spans(plans, today)
    first, end = spans[0].start, spans[-1].end + datetime.timedelta(days=1)
    span = (end - first).days
    inner = WIDTH - LABEL_W - 10

    def x_of(day: datetime.date) -> float:
        clipped = min(max(day, first), end)
        return round(LABEL_W + inner * (clipped - first).days / span, 1)

    quarters = []
    for q in spans:
        q1 = q.end + datetime.timedelta(days=1)
        quarters.append(
            Quarter(
                label=q.label.replace("-", " "),
                x=x_of(q.start),
                w=round(x_of(q1) - x_of(q.start), 1),
                current=q.current,
            )
        )
    rows = []
    for index, plan in enumerate(plans):
        y = TOP + index * ROW_H + ROW_H / 2
        bar_x = x_of(plan.start_date)
        row = Row(
            plan=plan,
            y=y,
            bar_x=bar_x,
            bar_w=max(round(x_of(plan.bar_end) - bar_x, 1), 2),
            bar_y=y - BAR_H / 2,
            label_y=y + 4,
        )
        for milestone in plan.milestones:
            state = plan.state(milestone, today=today)
            row.diamonds.append(
                Diamond(
                    x=x_of(milestone.target_date),
                    y=y,
                    state=state,
                    label=STATE_LABELS[state],
                    title=milestone.title,
                    target_date=milestone.target_date,
                )
            )
        rows.append(row)
    today_x = x_of(today) if first <= today < end else None
    return Timeline(
        rows_svg=rows_svg(rows),
        width=WIDTH,
        height=TOP + max(len(plans), 1) * ROW_H + 8,
        label_w=LABEL_W,
        top=TOP,
        quarters=quarters,
        rows=rows,
        today_x=today_x,
        states=[(state, label, legend_icon(state)) for state, label in STATE_LABELS.items()],
    )


def plan_href():
    """`reverse` once for all rows: a roadmap links to hundreds of plans, and each reverse
    costs tens of microseconds. Returns pk -> the plan page's path."""
    marker = 987654321
    prefix, suffix = reverse("roadmap:plan", args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _span(plan: TimelinePlan) -> str:
    if plan.bar_end != plan.end_date:
        return (
            f"{_day(plan.start_date)} – {_day(plan.bar_end)}, "
            f"{STATUS_LABELS[plan.status].lower()} (planned to {_day(plan.end_date)})"
        )
    return f"{_day(plan.start_date)} – {_day(plan.end_date)}"


def rows_svg(rows: list[Row]) -> SafeString:
    """The plans' rows as SVG, built here rather than in the template.

    A roadmap of 300 plans has 2,400 diamonds; Django's template engine spends ~0.1 ms on
    each, an f-string a microsecond. Every text from the database goes through `escape`
    (quotes included, so it is safe inside attributes); numbers and our own labels need none.
    """
    href = plan_href()
    out = []
    for row in rows:
        plan = row.plan
        diamonds = "".join(
            f'<polygon class="ms {d.state}" points="{d.points}" data-state="{d.state}">'
            f"<title>{escape(d.title)} · {d.label} · {_day(d.target_date)}</title></polygon>"
            for d in row.diamonds
        )
        title = plan.title if len(plan.title) <= 34 else plan.title[:33] + "…"
        out.append(
            f'<g class="plan-row plan-{plan.status}" data-plan="{plan.id}">'
            f'<a href="{href(plan.id)}">'
            f'<text class="plan-label" x="8" y="{row.label_y}">{escape(title)}</text>'
            f'<rect class="bar {plan.category} status-{plan.status}" x="{row.bar_x}" '
            f'y="{row.bar_y}" width="{row.bar_w}" height="{BAR_H}" rx="6">'
            f"<title>{escape(plan.title)} · {CATEGORY_LABELS[plan.category]} · "
            f"{STATUS_LABELS[plan.status]} · {_span(plan)}</title></rect></a>{diamonds}</g>"
        )
    return SafeString("\n".join(out))
