"""Chart geometry for the results section, laid out server-side for inline SVG.

Pure functions of the stored analysis: the page's templates only place the numbers these
return, so the charts need no script (the Content-Security-Policy allows none inline) and
read the same in every browser. Colours are classes styled by experiments.css.

An SVG scales its text with its width, so one drawing cannot be legible both on a desktop
and on a phone: each chart is laid out twice, WIDE and NARROW, and the stylesheet shows
the one that fits. The narrow forest plot puts each label above its interval instead of
beside it, giving the axis the whole width.
"""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class ForestLayout:
    width: int
    label_w: int  # the label column left of the axis (0: labels sit above each interval)
    right_w: int  # the lift and the guardrail verdict, right of the axis
    row_h: int
    label_chars: int
    ticks: int

    @property
    def stacked(self) -> bool:
        return self.label_w == 0


@dataclass(frozen=True)
class LineLayout:
    width: int
    height: int
    left: int
    ticks: int


FOREST_WIDE = ForestLayout(width=720, label_w=190, right_w=100, row_h=30, label_chars=28,
                           ticks=5)  # fmt: skip
FOREST_NARROW = ForestLayout(width=360, label_w=0, right_w=0, row_h=44, label_chars=30,
                             ticks=4)  # fmt: skip
LINE_WIDE = LineLayout(width=720, height=220, left=56, ticks=4)
LINE_NARROW = LineLayout(width=360, height=200, left=48, ticks=4)
PAD = 10  # the plot's margin inside the drawing
GROUP_GAP = 8
AXIS_H = 28
LINE_TOP = 12
LINE_BOTTOM = 34


def nice_step(span: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about `ticks` ticks across `span`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 5, 10) if power * m >= raw)


def _percent(value: float) -> str:
    return f"{value * 100:+.1f} %"


def _tick_label(value: float) -> str:
    return f"{round(value * 100, 6):g} %"


def _padded(low: float, high: float) -> tuple[float, float]:
    """[low, high] widened to hold zero, with a margin so no mark sits on the frame."""
    low, high = min(0.0, low), max(0.0, high)
    pad = (high - low) * 0.08 or 0.01
    return low - pad, high + pad


def _tone(arm: dict, higher_is_better: bool) -> str:
    """Significant and good for the business: win; significant and bad: loss; else flat."""
    if not arm.get("significant") or arm.get("relative_lift") is None:
        return "flat"
    good = (arm["relative_lift"] > 0) == higher_is_better
    return "win" if good else "loss"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _with_interval(arm: dict) -> bool:
    return None not in (arm.get("relative_lift"), arm.get("ci_low"), arm.get("ci_high"))


VERDICT_WORDS = {"pass": "✓ pass", "fail": "✗ fail"}


def forest(analysis: dict, layout: ForestLayout = FOREST_WIDE) -> dict | None:
    """Every metric's relative lift per treatment with its interval, on one shared axis.

    Rows are grouped by metric in the design's order. A guardrail row carries its verdict
    and a tick at its harm threshold, on the side that counts as harm (below zero when
    higher is better). None when no arm has an interval.
    """
    metrics = [m for m in analysis.get("metrics") or () if m.get("arms")]
    arms = [arm for m in metrics for arm in m["arms"] if _with_interval(arm)]
    if not arms:
        return None
    harms = [
        (-1 if m.get("higher_is_better", True) else 1) * m["harm_threshold"]
        for m in metrics if m.get("role") == "guardrail" and m.get("harm_threshold") is not None
    ]  # fmt: skip
    low, high = _padded(
        min([a["ci_low"] for a in arms] + harms), max([a["ci_high"] for a in arms] + harms)
    )
    left = layout.label_w or PAD
    right = layout.width - (layout.right_w or PAD)

    def scale(value: float) -> float:
        return round(left + (value - low) / (high - low) * (right - left), 1)

    step = nice_step(high - low, layout.ticks)
    ticks = [
        {"at": scale(i * step), "label": _tick_label(i * step)}
        for i in range(math.ceil(low / step), math.floor(high / step) + 1)
    ]
    rows, groups, y = [], [], PAD
    several_arms = any(len(m["arms"]) > 1 for m in metrics)
    for metric in metrics:
        top = y
        higher = metric.get("higher_is_better", True)
        guardrail = metric.get("role") == "guardrail"
        threshold = metric.get("harm_threshold") if guardrail else None
        for arm in metric["arms"]:
            name = metric.get("name", "")
            label = f"{name} · {arm.get('name', '')}" if several_arms else name
            lift = arm.get("relative_lift")
            verdict = arm.get("guardrail") if guardrail else None
            row = {
                "key": metric.get("key", ""),
                "role": metric.get("role", ""),
                "arm": arm.get("name", ""),
                "label": _short(label, layout.label_chars),
                "full_label": label,
                "has_ci": _with_interval(arm),
                "tone": _tone(arm, higher),
                "guardrail": verdict,
                "verdict_label": VERDICT_WORDS.get(verdict or "", "? unclear") if verdict else "",
                "value_label": "—" if lift is None else _percent(lift),
                "x_harm": None,
            }
            if layout.stacked:
                # Label and value on a line of their own, the interval below them.
                line_y = y + layout.row_h - 12
                row.update(
                    y=line_y, label_x=left, label_y=y + 14, label_anchor="start",
                    value_x=right, value_y=y + 14, value_anchor="end",
                    verdict_x=None, verdict_y=None,
                )  # fmt: skip
            else:
                line_y = y + layout.row_h // 2
                row.update(
                    y=line_y, label_x=left - 8, label_y=line_y + 4, label_anchor="end",
                    value_x=right + 8, value_y=line_y - 3 if verdict else line_y + 4,
                    value_anchor="start", verdict_x=right + 8, verdict_y=line_y + 11,
                )  # fmt: skip
            if row["has_ci"]:
                row.update(
                    x_low=scale(arm["ci_low"]), x_high=scale(arm["ci_high"]),
                    x_point=scale(lift),
                    summary=f"{_percent(lift)} [{_percent(arm['ci_low'])}, "
                    f"{_percent(arm['ci_high'])}]",
                )  # fmt: skip
            if threshold is not None:
                row.update(x_harm=scale((-1 if higher else 1) * threshold),
                           harm_top=line_y - 8, harm_bottom=line_y + 8)  # fmt: skip
            rows.append(row)
            y += layout.row_h
        groups.append({"name": metric.get("name", ""), "role": metric.get("role", ""),
                       "top": top, "height": y - top})  # fmt: skip
        y += GROUP_GAP
    bottom = y - GROUP_GAP
    return {
        "width": layout.width,
        "height": bottom + AXIS_H,
        "left": left,
        "right": right,
        "top": PAD,
        "bottom": bottom,
        "zero_x": scale(0.0),
        "ticks": ticks,
        "tick_y": bottom + 18,
        "rows": rows,
        "groups": groups,
        "stacked": layout.stacked,
    }


def _parse_time(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _when(value: datetime.datetime | None) -> str:
    if value is None:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%-d %b %H:%M}"


def cumulative(points: Sequence[dict], layout: LineLayout = LINE_WIDE) -> dict | None:
    """The cumulative lift over time as a line inside its interval band.

    x is the snapshot's time (evenly spaced by index when times are missing or equal), y the
    relative lift; zero is always on the axis so a reader sees when the band leaves it. A
    single snapshot is a point with its interval as a bar. None without points.
    """
    usable = [p for p in points
              if None not in (p.get("lift"), p.get("ci_low"), p.get("ci_high"))]  # fmt: skip
    if not usable:
        return None
    left, right = layout.left, layout.width - 16
    top, bottom = LINE_TOP, layout.height - LINE_BOTTOM
    times = [_parse_time(p.get("taken_at")) for p in usable]
    stamps = [t.timestamp() for t in times if t is not None]
    by_time = len(stamps) == len(usable) and max(stamps) > min(stamps)

    def x_of(i: int) -> float:
        if len(usable) == 1:
            return round((left + right) / 2, 1)
        if by_time:
            share = (stamps[i] - stamps[0]) / (stamps[-1] - stamps[0])
        else:
            share = i / (len(usable) - 1)
        return round(left + share * (right - left), 1)

    low, high = _padded(min(p["ci_low"] for p in usable), max(p["ci_high"] for p in usable))

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    step = nice_step(high - low, layout.ticks)
    ticks = [
        {"at": y_of(i * step), "label": _tick_label(i * step)}
        for i in range(math.ceil(low / step), math.floor(high / step) + 1)
    ]
    xs = [x_of(i) for i in range(len(usable))]
    upper = [f"{x},{y_of(p['ci_high'])}" for x, p in zip(xs, usable, strict=True)]
    lower = [f"{x},{y_of(p['ci_low'])}" for x, p in zip(xs, usable, strict=True)]
    dots = [
        {"x": x, "y": y_of(p["lift"]), "y_low": y_of(p["ci_low"]), "y_high": y_of(p["ci_high"]),
         "title": f"{_when(t)}: {_percent(p['lift'])} [{_percent(p['ci_low'])}, "
                  f"{_percent(p['ci_high'])}]"}
        for x, p, t in zip(xs, usable, times, strict=True)
    ]  # fmt: skip
    return {
        "width": layout.width,
        "height": layout.height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "zero_y": y_of(0.0),
        "ticks": ticks,
        "tick_x": left - 6,
        "band": " ".join(upper + list(reversed(lower))),
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "single": len(dots) == 1,
        "dots": dots,
        "label_y": bottom + 20,
        "first_label": _when(times[0]),
        "first_label_x": xs[0] if len(dots) == 1 else left,
        "first_label_anchor": "middle" if len(dots) == 1 else "start",
        "last_label": _when(times[-1]) if len(usable) > 1 else "",
    }
