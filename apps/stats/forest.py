"""A forest plot of the arms' relative-lift intervals, laid out for an inline SVG."""

import math

from .engine import AnalysisResult

WIDTH = 640
LABEL_W = 120
RIGHT_PAD = 24
# The page's palette: significant wins green, losses red, the rest grey.
COLOURS = {"win": "#12805c", "loss": "#c4320a", "flat": "#475467"}
TOP = 16
ROW_H = 34
AXIS_H = 34


def _nice_step(span: float) -> float:
    """A 1-2-5 step giving about five ticks across `span`."""
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 5, 10) if power * m >= raw)


def _percent(value: float) -> str:
    return f"{value * 100:+.1f} %"


def forest_plot(result: AnalysisResult) -> dict | None:
    """Coordinates for every arm with an interval; None when no arm has one."""
    arms = [arm for arm in result.arms if arm.ci_low is not None and arm.ci_high is not None]
    if not arms:
        return None
    low = min(0.0, *(arm.ci_low for arm in arms))
    high = max(0.0, *(arm.ci_high for arm in arms))
    pad = (high - low) * 0.08 or 0.01
    low, high = low - pad, high + pad
    left, right = LABEL_W, WIDTH - RIGHT_PAD

    def x(value: float) -> float:
        return round(left + (value - low) / (high - low) * (right - left), 1)

    step = _nice_step(high - low)
    first = math.ceil(low / step)
    ticks = [
        {"x": x(i * step), "label": f"{i * step * 100:g} %"}
        for i in range(first, math.floor(high / step) + 1)
    ]
    rows = []
    for i, arm in enumerate(arms):
        tone = "flat"
        if arm.significant:
            tone = "win" if arm.relative_lift > 0 else "loss"
        rows.append(
            {
                "name": arm.name,
                "y": TOP + ROW_H * i + ROW_H // 2,
                "x_low": x(arm.ci_low),
                "x_high": x(arm.ci_high),
                "x_point": x(arm.relative_lift),
                "tone": tone,
                "colour": COLOURS[tone],
                "summary": f"{_percent(arm.relative_lift)} [{_percent(arm.ci_low)}, {_percent(arm.ci_high)}]",
            }
        )
    plot_bottom = TOP + ROW_H * len(arms)
    return {
        "width": WIDTH,
        "height": plot_bottom + AXIS_H,
        "left": left,
        "right": right,
        "top": TOP,
        "bottom": plot_bottom,
        "zero_x": x(0.0),
        "ticks": ticks,
        "rows": rows,
        "label_x": LABEL_W - 10,
        "tick_y": plot_bottom + 18,
    }
