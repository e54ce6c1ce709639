"""The meta-analysis page: velocity, win rate, the lift histogram, the cumulative impact with
its winner's-curse correction and the prior's fit, and how often each metric moved.

The charts are laid out here as numbers for inline SVG (no script: the CSP allows none
inline); the figures come from `apps.knowledge.meta`, the same the API returns.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views import View

from apps.accounts.models import BusinessUnit, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import PolicyTarget
from apps.knowledge.meta import meta_analysis, parse_filters, quarter_label

HIST_W, HIST_H, HIST_PAD, HIST_AXIS = 720, 200, 24, 26
DOT_W, DOT_LABEL, DOT_ROW = 720, 260, 26


def histogram_chart(bins: list[dict]) -> dict:
    """Bars for each bin, scaled to the tallest; x ticks every five points."""
    tallest = max((b["count"] for b in bins), default=0) or 1
    plot_w = HIST_W - 2 * HIST_PAD
    bar_w = plot_w / len(bins)
    plot_h = HIST_H - HIST_AXIS - 8
    bars = []
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / tallest
        if b["low"] is None:
            label = f"below {b['high'] * 100:+.0f} %"
        elif b["high"] is None:
            label = f"{b['low'] * 100:+.0f} % and above"
        else:
            label = f"{b['low'] * 100:+.0f} % to {b['high'] * 100:+.0f} %"
        tone = "loss" if (b["high"] is not None and b["high"] <= 0) else "win"
        bars.append({"x": round(HIST_PAD + i * bar_w + 1, 1), "w": round(bar_w - 2, 1),
                     "y": round(8 + plot_h - h, 1), "h": round(h, 1), "count": b["count"],
                     "label": label, "tone": tone})  # fmt: skip
    ticks = []
    for i, b in enumerate(bins):
        if b["low"] is not None and round(b["low"] * 100) % 5 == 0:
            ticks.append({"x": round(HIST_PAD + i * bar_w, 1), "label": f"{b['low'] * 100:+.0f} %"})
    return {"w": HIST_W, "h": HIST_H, "bars": bars, "ticks": ticks,
            "axis_y": 8 + plot_h, "label_y": 8 + plot_h + 18, "tallest": tallest}  # fmt: skip


def shrinkage_chart(items: list[dict], prior_mean: float | None) -> dict | None:
    """Each shipped experiment's raw lift (hollow) and its shrunk lift (filled) on one axis."""
    points = [i for i in items if i.get("shrunk") is not None]
    if not points:
        return None
    values = [v for i in points for v in (i["lift"], i["shrunk"])] + [0.0]
    if prior_mean is not None:
        values.append(prior_mean)
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 0.01
    low, high = low - pad, high + pad
    plot_w = DOT_W - DOT_LABEL - 16

    def x(v: float) -> float:
        return round(DOT_LABEL + (v - low) / (high - low) * plot_w, 1)

    rows = []
    for n, item in enumerate(points):
        y = 14 + n * DOT_ROW
        rows.append({"y": y, "label": item["title"][:38], "raw_x": x(item["lift"]),
                     "shrunk_x": x(item["shrunk"]), "raw": item["lift"], "shrunk": item["shrunk"]})  # fmt: skip
    height = 14 + len(points) * DOT_ROW + 20
    step = 0.01 if high - low < 0.12 else 0.05
    ticks = []
    k = int(low / step)
    while k * step <= high:
        if k * step >= low:
            ticks.append({"x": x(k * step), "label": f"{k * step * 100:+.0f} %"})
        k += 1
    return {"w": DOT_W, "h": height, "rows": rows, "zero_x": x(0.0), "axis_y": height - 20,
            "label_y": height - 4, "ticks": ticks,
            "mean_x": None if prior_mean is None else x(prior_mean)}  # fmt: skip


class MetaView(PolicyRequiredMixin, View):
    """Open to everyone signed in: the figures count only what each person may read."""

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)

    def get(self, request):
        groups = WorkingGroup.objects.visible_to(request.user).order_by("name")
        context = {"groups": groups, "units": BusinessUnit.objects.order_by("name"),
                   "params": {k: request.GET.get(k, "") for k in ("group", "business_unit", "quarter")}}  # fmt: skip
        try:
            filters = parse_filters(request.user, request.GET)
        except ValidationError as exc:
            context["errors"] = exc.message_dict
            return render(request, "knowledge/meta.html", context, status=400)
        data = meta_analysis(request.user, filters)
        program_mean = (data["program_prior"] or {}).get("mean")
        for block in data["impact"]:
            mean = (block["prior"] or {}).get("mean", program_mean)
            block["chart"] = shrinkage_chart(block["items"], mean)
        quarters = sorted({v["quarter"] for v in data["velocity"]})
        tallest = max((v["concluded"] for v in data["velocity"]), default=0) or 1
        context.update({
            "data": data, "histogram": histogram_chart(data["histogram"]["bins"]),
            "velocity": [{**v, "width": round(100 * v["concluded"] / tallest)} for v in data["velocity"]],
            "quarters": quarters, "quarter_label": quarter_label,
        })  # fmt: skip
        return render(request, "knowledge/meta.html", context)
