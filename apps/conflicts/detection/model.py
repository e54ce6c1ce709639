"""What the conflict engine reads and what it finds.

A ``Candidate`` is an experiment reduced to what a conflict depends on: its dates (both
inclusive), surfaces, layer and share, audience, unit, enrolment and primary metric. The
engine compares candidates and returns ``Finding`` rows; the conflicts app stores them,
keyed by ``Finding.identity`` so that an hourly rescan updates instead of duplicating.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from apps.experiments.audience import Condition


class Kind(StrEnum):
    SURFACE_COLLISION = "surface_collision"
    LAYER_OVERALLOCATION = "layer_overallocation"
    SHARED_PRIMARY_METRIC = "shared_primary_metric"
    UNIT_MISMATCH = "unit_mismatch"
    HOLDOUT_BREACH = "holdout_breach"
    CLUSTER_CONTAMINATION = "cluster_contamination"


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


HOLDOUT_TYPE = "holdout"
Details = tuple[str, str, dict] | Callable[[], tuple[str, str, dict]]
CLUSTER_UNIT = "cluster"


@dataclass(frozen=True)
class Candidate:
    """An experiment in review, approved, scheduled or running, as the engine sees it.

    ``layer_share`` and ``allocation`` are fractions (0.2 is 20 %). ``end`` is the planned
    end; a running experiment without one should be given a far date by the caller.
    """

    id: int
    key: str
    title: str
    group_id: int
    status: str
    type: str
    unit: str
    start: date
    end: date
    surfaces: frozenset[int] = frozenset()
    surface_names: Mapping[int, str] = field(default_factory=dict, compare=False, hash=False)
    layer_id: int | None = None
    layer_name: str | None = None
    layer_share: float = 1.0
    allocation: float = 1.0
    audience: tuple[Condition, ...] = ()
    primary_metric_id: int | None = None
    primary_metric_name: str | None = None
    data_source_id: int | None = None

    @property
    def is_holdout(self) -> bool:
        return self.type == HOLDOUT_TYPE

    @property
    def enrolment(self) -> float:
        """The share of its audience's traffic it enrols: its layer share times its allocation."""
        share = self.layer_share if self.layer_id is not None else 1.0
        return share * self.allocation

    @property
    def label(self) -> str:
        return self.title or self.key


@dataclass(frozen=True)
class Finding:
    """One conflict between two experiments (``b`` is None only if one alone is concerned).

    ``a < b`` always. ``overlap_share`` is the estimated share of the traffic both target
    that would be in both experiments (for a layer: the share promised beyond 100 %).
    ``rule`` is the sentence that set ``severity``; ``figures`` holds JSON-able numbers.
    ``explanation``, ``remedy`` and ``figures`` come from ``details``: the three, or a
    function that writes them when first read (findings of equal fields have equal details).
    """

    kind: Kind
    severity: Severity
    rule: str
    a: int
    b: int | None
    layer_id: int | None
    window_start: date
    window_end: date
    overlap_share: float
    details: Details = field(default=("", "", {}), compare=False, repr=False)

    @property
    def explanation(self) -> str:
        return self._details()[0]

    @property
    def remedy(self) -> str:
        return self._details()[1]

    @property
    def figures(self) -> dict:
        return self._details()[2]

    def _details(self) -> tuple[str, str, dict]:
        # Written on first use: detecting stays a matter of comparing numbers, and a page
        # that shows a few findings writes only theirs.
        details = self.details
        if callable(details):
            details = details()
            object.__setattr__(self, "details", details)
        return details

    @property
    def identity(self) -> tuple[int, int | None, str, int | None]:
        """(a, b, kind, layer): stable across rescans of unchanged designs."""
        layer = self.layer_id if self.kind == Kind.LAYER_OVERALLOCATION else None
        return (self.a, self.b, str(self.kind), layer)
