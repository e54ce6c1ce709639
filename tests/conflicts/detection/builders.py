"""Hand-built candidates: an A/B test on the checkout page by user, unless told otherwise."""

from datetime import date

from apps.conflicts.detection import Candidate
from apps.experiments.audience import parse_conditions, read_stored

SURFACES = {1: "checkout page", 2: "home page", 3: "search results"}


def candidate(id: int, *, start=(3, 1), end=(3, 31), audience=(), stored=None, **fields):
    """``start``/``end`` are (month, day) of 2027; ``audience`` raw conditions, checked."""
    defaults = dict(
        key=f"exp-{id}", title=f"Experiment {id}", group_id=1, status="running", type="ab",
        unit="user", surfaces=frozenset({1}), surface_names=SURFACES, allocation=1.0,
    )  # fmt: skip
    defaults.update(fields)
    if "layer_id" in fields and "layer_name" not in fields:
        defaults["layer_name"] = f"layer-{fields['layer_id']}"
    conditions = read_stored(stored) if stored is not None else parse_conditions(list(audience))
    return Candidate(
        id=id, start=date(2027, *start), end=date(2027, *end), audience=conditions, **defaults
    )


def kinds(findings) -> list[tuple[str, int, int | None]]:
    return [(str(f.kind), f.a, f.b) for f in findings]
