"""How later apps show their evidence at a research plan's decision points.

A milestone is answered by evidence the roadmap does not own: the experiments app's
results, say. An app registers, from its own `roadmap_hooks.py` (found by
RoadmapConfig.ready), `fn(milestone_ids, user) -> dict[milestone id, list[Evidence]]`: what
that person may read about each milestone, in a constant number of queries. The plan page
lists it under each decision point; the roadmap imports nothing of the app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    title: str
    url: str
    status: str  # a short state: "running", "concluded: ship"
    headline: str = ""  # the result in one line: "Conversion +8.1 % (+3.2 % to +13.0 %)"


EvidenceFn = Callable[[list[int], object], dict[int, list[Evidence]]]
_SOURCES: dict[str, EvidenceFn] = {}


def milestone_evidence(name: str):
    """Register `fn(milestone_ids, user)`; re-registering a name replaces it."""

    def register(fn: EvidenceFn) -> EvidenceFn:
        _SOURCES[name] = fn
        return fn

    return register


def evidence_for(milestone_ids: Iterable[int], user) -> dict[int, list[Evidence]]:
    ids = list(milestone_ids)
    found: dict[int, list[Evidence]] = {}
    if not ids:
        return found
    for _, fn in sorted(_SOURCES.items()):
        for pk, items in fn(ids, user).items():
            found.setdefault(pk, []).extend(items)
    return found
