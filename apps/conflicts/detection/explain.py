"""Severity rules, explanations and remedies, in words a product manager reads.

Each finding carries the rule that set its severity (one sentence, from ``RULES``), an
explanation of what goes wrong and a concrete remedy naming experiments, layers,
attribute values and dates ("start B after A ends on 14 March").
"""

from collections.abc import Sequence
from datetime import date

from .audience import AudienceOverlap, Relation
from .model import Candidate, Kind, Severity

BLOCKING_SHARE = 0.05  # the share of shared traffic in both from which a collision blocks

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

RULES: dict[tuple[Kind, Severity], str] = {
    (Kind.SURFACE_COLLISION, Severity.BLOCKING):
        "Blocking: at least 5 % of the traffic both target would see both changes.",
    (Kind.SURFACE_COLLISION, Severity.WARNING):
        "Warning: under 5 % of the traffic both target would see both changes.",
    (Kind.LAYER_OVERALLOCATION, Severity.BLOCKING):
        "Blocking: a layer promised more than 100 % can't keep its experiments apart.",
    (Kind.SHARED_PRIMARY_METRIC, Severity.WARNING):
        "Warning: at least 5 % of the traffic both target is in both and moves the same "
        "primary metric.",
    (Kind.SHARED_PRIMARY_METRIC, Severity.INFO):
        "Info: under 5 % of the traffic both target is in both experiments.",
    (Kind.UNIT_MISMATCH, Severity.WARNING):
        "Warning: two randomization units on one surface let one person see both arms.",
    (Kind.HOLDOUT_BREACH, Severity.BLOCKING):
        "Blocking: units a holdout reserves must see no experiment.",
    (Kind.CLUSTER_CONTAMINATION, Severity.BLOCKING):
        "Blocking: at least 5 % of the traffic both target mixes cluster and user assignment.",
    (Kind.CLUSTER_CONTAMINATION, Severity.WARNING):
        "Warning: under 5 % of the traffic both target mixes cluster and user assignment.",
}  # fmt: skip


def day(d: date) -> str:
    """14 March."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def percent(share: float) -> str:
    """0.04 → "4 %", 0.0125 → "1.3 %"; the share is an estimate, one decimal is plenty."""
    value = round(share * 100, 1)
    return f"{value:g} %"


def name(c: Candidate) -> str:
    return f"“{c.label}”"


def names(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ordered(x: Candidate, y: Candidate) -> tuple[Candidate, Candidate]:
    """(older, newer): the one that starts later (then the higher id) is asked to move."""
    return (x, y) if (x.start, x.id) <= (y.start, y.id) else (y, x)


def audience_sentence(a: Candidate, b: Candidate, overlap: AudienceOverlap) -> str:
    if overlap.relation == Relation.IDENTICAL:
        text = "They target the same audience."
    elif overlap.relation == Relation.A_IN_B:
        text = f"Everyone {name(a)} targets is also in {name(b)}'s audience."
    elif overlap.relation == Relation.B_IN_A:
        text = f"Everyone {name(b)} targets is also in {name(a)}'s audience."
    else:
        text = "Their audiences overlap in part."
    if overlap.unknown:
        text += (
            f" The audience catalogue does not know {names(overlap.unknown)}, so those "
            "conditions are assumed to overlap."
        )
    return text


def _exclusion(older: Candidate, newer: Candidate) -> str | None:
    """ "exclude ios from A": a value list one targets, excluded from the other, parts them."""
    for target, other in ((newer, older), (older, newer)):
        for c in target.audience:
            if c.known and not c.negated:
                return f"exclude {', '.join(c.values)} ({c.attribute}) from {name(other)}"
    return None


def _after(older: Candidate, newer: Candidate) -> str:
    return f"start {name(newer)} after {name(older)} ends on {day(older.end)}"


def _sentence(options: Sequence[str]) -> str:
    text = options[0] if len(options) == 1 else ", ".join(options[:-1]) + ", or " + options[-1]
    return text[0].upper() + text[1:] + "."


def surface_collision(
    x: Candidate, y: Candidate, surfaces: Sequence[str], overlap: AudienceOverlap, share: float,
    window: tuple[date, date],
) -> tuple[str, str]:  # fmt: skip
    older, newer = ordered(x, y)
    explanation = (
        f"{name(older)} and {name(newer)} both change {names(surfaces)} from "
        f"{day(window[0])} to {day(window[1])}. {audience_sentence(older, newer, overlap)} "
        f"About {percent(share)} of the traffic both target would see both changes, so each "
        "result would include some of the other's effect."
    )
    options = []
    if older.layer_name and older.layer_id != newer.layer_id:
        options.append(f"move {name(newer)} into layer {older.layer_name}")
    elif newer.layer_name and older.layer_id != newer.layer_id:
        options.append(f"move {name(older)} into layer {newer.layer_name}")
    else:
        options.append("put both in one layer so they share its traffic without overlapping")
    exclusion = _exclusion(older, newer)
    if exclusion:
        options.append(exclusion)
    options.append(_after(older, newer))
    return explanation, _sentence(options)


def shared_primary_metric(
    x: Candidate, y: Candidate, overlap: AudienceOverlap, share: float, window: tuple[date, date]
) -> tuple[str, str]:
    older, newer = ordered(x, y)
    metric = older.primary_metric_name or "the same metric"
    explanation = (
        f"{name(older)} and {name(newer)} both judge success on {metric} from {day(window[0])} "
        f"to {day(window[1])}. {audience_sentence(older, newer, overlap)} About "
        f"{percent(share)} of the traffic both target is in both, so a change in {metric} "
        "can't be credited to one of them alone."
    )
    options = ["put both in one layer", _after(older, newer)]
    return explanation, _sentence(options)


def unit_mismatch(
    x: Candidate, y: Candidate, surfaces: Sequence[str], window: tuple[date, date]
) -> tuple[str, str]:
    older, newer = ordered(x, y)
    explanation = (
        f"On {names(surfaces)}, {name(older)} randomizes by {older.unit} and {name(newer)} by "
        f"{newer.unit} from {day(window[0])} to {day(window[1])}. The same person can land in "
        "different arms on different visits, so neither comparison stays clean, and a layer "
        "can't keep them apart."
    )
    coarse, fine = (older, newer) if _rank(older.unit) >= _rank(newer.unit) else (newer, older)
    options = [
        f"randomize {name(fine)} by {coarse.unit} as {name(coarse)} does",
        _after(older, newer),
    ]
    return explanation, _sentence(options)


def _rank(unit: str) -> int:
    return {"session": 0, "device": 1, "user": 2, "account": 3, "cluster": 4}.get(unit, 2)


def cluster_contamination(
    x: Candidate, y: Candidate, surfaces: Sequence[str], share: float, window: tuple[date, date]
) -> tuple[str, str]:
    cluster, other = (x, y) if x.unit == "cluster" else (y, x)
    older, newer = ordered(x, y)
    explanation = (
        f"{name(cluster)} assigns whole clusters on {names(surfaces)} while {name(other)} "
        f"assigns single {other.unit}s there, from {day(window[0])} to {day(window[1])}. "
        f"About {percent(share)} of the traffic both target is in both: {name(other)}'s arms "
        f"spill across {name(cluster)}'s clusters, which is what clustering was meant to prevent."
    )
    options = [f"randomize {name(other)} by cluster too", _after(older, newer)]
    return explanation, _sentence(options)


def holdout_breach(
    holdout: Candidate, other: Candidate, surfaces: Sequence[str], overlap: AudienceOverlap,
    share: float, window: tuple[date, date],
) -> tuple[str, str]:  # fmt: skip
    where = f"on {names(surfaces)}" if surfaces else "anywhere"
    explanation = (
        f"{name(holdout)} holds back units {where} to measure the combined effect of all "
        f"launches, and {name(other)} targets some of them from {day(window[0])} to "
        f"{day(window[1])}. {audience_sentence(holdout, other, overlap)} About "
        f"{percent(share)} of the traffic both target would be held out and treated at once, "
        "which spoils the holdout."
    )
    options = []
    if holdout.layer_name:
        options.append(f"move {name(other)} into layer {holdout.layer_name}")
    options.append(f"exclude the holdout's units from {name(other)}")
    if holdout.end < other.end:
        options.append(f"start {name(other)} after {name(holdout)} ends on {day(holdout.end)}")
    return explanation, _sentence(options)


def layer_overallocation(
    layer: str,
    members: Sequence[Candidate],
    peak: float,
    newest: Candidate,
    window: tuple[date, date],
) -> tuple[str, str]:
    parts = names([f"{name(m)} {percent(m.layer_share)}" for m in members])
    explanation = (
        f"From {day(window[0])} to {day(window[1])}, layer {layer} is promised {percent(peak)} "
        f"of its traffic: {parts}. A layer hands each unit to one experiment, so beyond 100 % "
        "they can't all get their share and stop being mutually exclusive."
    )
    excess = peak - 1.0
    fits = newest.layer_share - excess
    options = []
    if fits > 1e-9:
        options.append(f"cut {name(newest)}'s share of layer {layer} to {percent(fits)}")
    others = [m for m in members if m.id != newest.id]
    first_end = min(others, key=lambda m: (m.end, m.id))
    options.append(f"start {name(newest)} after {name(first_end)} ends on {day(first_end.end)}")
    options.append(f"move {name(newest)} into another layer")
    return explanation, _sentence(options)
