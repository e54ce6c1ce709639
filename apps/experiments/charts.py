"""Chart geometry for the results section, laid out server-side for inline SVG.

Pure functions of the stored analysis: the page's templates only place the numbers these
return, so the charts need no script (the Content-Security-Policy allows none inline) and
read the same in every browser. Colours are classes styled by experiments.css.
"""

import datetime
import math
from collections.abc import Sequence

FOREST_WIDTH = 640
FOREST_LABEL_W = 170
FOREST_RIGHT_W = 96  # the guardrail verdict and the lift, right of the axis
FOREST_TOP = 10
FOREST_ROW_H = 30
FOREST_GROUP_GAP = 10
AXIS_H = 30
LABEL_CHARS = 24

LINE_WIDTH = 640
LINE_HEIGHT = 220
LINE_LEFT = 56
LINE_RIGHT = 16
LINE_TOP = 12
LINE_BOTTOM = 34


def nice_step(span: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about `ticks` ticks across `span`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 5, 10) if power * m >= raw)


def _percent(value: float) -> str:
    return f"{value * 100:+.1f} %"


def _axis(low: float, high: float, left: float, right: float):
    """Pad [low, high] around zero and return the scale and its 1-2-5 ticks."""
    low, high = min(0.0, low), max(0.0, high)
    pad = (high - low) * 0.08 or 0.01
    low, high = low - pad, high + pad

    def scale(value: float) -> float:
        return round(left + (value - low) / (high - low) * (right - left), 1)

    step = nice_step(high - low)
    ticks = [
        {"at": scale(i * step), "label": f"{round(i * step * 100, 6):g} %"}
        for i in range(math.ceil(low / step), math.floor(high / step) + 1)
    ]
    return scale, ticks


def _tone(arm: dict, higher_is_better: bool) -> str:
    """Significant and good for the business: win; significant and bad: loss; else flat."""
    if not arm.get("significant") or arm.get("relative_lift") is None:
        return "flat"
    good = (arm["relative_lift"] > 0) == higher_is_better
    return "win" if good else "loss"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def forest(analysis: dict) -> dict | None:
    """Every metric's relative lift per treatment with its interval, on one shared axis.

    Rows are grouped by metric in the design's order (primary first as the analysis lists
    it). A guardrail row carries its verdict and a tick at its harm threshold, on the side
    that counts as harm (below zero when higher is better). None when no arm has an interval.
    """
    metrics = [m for m in analysis.get("metrics") or () if m.get("arms")]
    arms = [
        arm for m in metrics for arm in m["arms"]
        if arm.get("ci_low") is not None and arm.get("ci_high") is not None
        and arm.get("relative_lift") is not None
    ]  # fmt: skip
    if not arms:
        return None
    harms = [
        (-1 if m.get("higher_is_better", True) else 1) * m["harm_threshold"]
        for m in metrics if m.get("role") == "guardrail" and m.get("harm_threshold") is not None
    ]  # fmt: skip
    low = min(a["ci_low"] for a in arms)
    high = max(a["ci_high"] for a in arms)
    low, high = min([low, *harms]), max([high, *harms])
    left, right = FOREST_LABEL_W, FOREST_WIDTH - FOREST_RIGHT_W
    scale, ticks = _axis(low, high, left, right)
    rows, groups, y = [], [], FOREST_TOP
    several_arms = any(len(m["arms"]) > 1 for m in metrics)
    for metric in metrics:
        top = y
        higher = metric.get("higher_is_better", True)
        guardrail = metric.get("role") == "guardrail"
        threshold = metric.get("harm_threshold") if guardrail else None
        for arm in metric["arms"]:
            centre = y + FOREST_ROW_H // 2
            label = metric.get("name", "") if not several_arms else (
                f"{metric.get('name', '')} · {arm.get('name', '')}"
            )  # fmt: skip
            has_ci = arm.get("ci_low") is not None and arm.get("ci_high") is not None
            row = {
                "metric": metric.get("name", ""),
                "value_y": centre - 3 if guardrail else centre + 4,
                "verdict_y": centre + 11,
                "key": metric.get("key", ""),
                "role": metric.get("role", ""),
                "arm": arm.get("name", ""),
                "label": _short(label),
                "full_label": label,
                "y": centre,
                "has_ci": has_ci and arm.get("relative_lift") is not None,
                "tone": _tone(arm, higher),
                "guardrail": arm.get("guardrail") if guardrail else None,
                "x_harm": None,
                "value_label": "—" if arm.get("relative_lift") is None
                else _percent(arm["relative_lift"]),
            }  # fmt: skip
            if row["has_ci"]:
                row.update(
                    x_low=scale(arm["ci_low"]), x_high=scale(arm["ci_high"]),
                    x_point=scale(arm["relative_lift"]),
                    summary=f"{_percent(arm['relative_lift'])} "
                    f"[{_percent(arm['ci_low'])}, {_percent(arm['ci_high'])}]",
                )  # fmt: skip
            if threshold is not None:
                row["x_harm"] = scale((-1 if higher else 1) * threshold)
                row["harm_top"], row["harm_bottom"] = centre - 9, centre + 9
            rows.append(row)
            y += FOREST_ROW_H
        groups.append({"name": metric.get("name", ""), "role": metric.get("role", ""),
                       "top": top, "height": y - top})  # fmt: skip
        y += FOREST_GROUP_GAP
    bottom = y - FOREST_GROUP_GAP
    return {
        "width": FOREST_WIDTH,
        "height": bottom + AXIS_H,
        "left": left,
        "right": right,
        "top": FOREST_TOP,
        "bottom": bottom,
        "zero_x": scale(0.0),
        "ticks": ticks,
        "tick_y": bottom + 18,
        "label_x": left - 8,
        "verdict_x": right + 8,
        "rows": rows,
        "groups": groups,
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


def cumulative(points: Sequence[dict]) -> dict | None:
    """The cumulative lift over time as a line inside its interval band.

    x is the snapshot's time (evenly spaced by index when times are missing or equal), y the
    relative lift; zero is always on the axis so a reader sees when the band leaves it.
    None without points.
    """
    usable = [p for p in points
              if None not in (p.get("lift"), p.get("ci_low"), p.get("ci_high"))]  # fmt: skip
    if not usable:
        return None
    left, right = LINE_LEFT, LINE_WIDTH - LINE_RIGHT
    top, bottom = LINE_TOP, LINE_HEIGHT - LINE_BOTTOM
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

    low = min(0.0, *(p["ci_low"] for p in usable))
    high = max(0.0, *(p["ci_high"] for p in usable))
    pad = (high - low) * 0.08 or 0.01
    low, high = low - pad, high + pad

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    step = nice_step(high - low, 4)
    ticks = [
        {"at": y_of(i * step), "label": f"{round(i * step * 100, 6):g} %"}
        for i in range(math.ceil(low / step), math.floor(high / step) + 1)
    ]
    xs = [x_of(i) for i in range(len(usable))]
    upper = [f"{x},{y_of(p['ci_high'])}" for x, p in zip(xs, usable, strict=True)]
    lower = [f"{x},{y_of(p['ci_low'])}" for x, p in zip(xs, usable, strict=True)]
    line = [f"{x},{y_of(p['lift'])}" for x, p in zip(xs, usable, strict=True)]
    dots = [
        {"x": x, "y": y_of(p["lift"]),
         "title": f"{_when(t)}: {_percent(p['lift'])} [{_percent(p['ci_low'])}, "
                  f"{_percent(p['ci_high'])}]"}
        for x, p, t in zip(xs, usable, times, strict=True)
    ]  # fmt: skip
    first, last = times[0], times[-1]
    return {
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "zero_y": y_of(0.0),
        "ticks": ticks,
        "band": " ".join(upper + list(reversed(lower))),
        "line": " ".join(line),
        "dots": dots,
        "label_y": bottom + 20,
        "first_label": _when(first),
        "last_label": _when(last) if len(usable) > 1 else "",
    }


def _when(value: datetime.datetime | None) -> str:
    return f"{value:%-d %b %H:%M}" if value is not None else "—"
