"""Whether two audiences can hold the same units, and what share of traffic would be in both.

Two audiences are compared attribute by attribute, from the catalogue's set semantics
(``apps.experiments.audience.allowed``): if on any attribute the values one lets through
and the values the other lets through share nothing (DE against FR, ios against web), no
unit can be in both. Otherwise they overlap: one nested in the other, identical, or
partly. An attribute the catalogue does not know (or an unknown operator) can't be
reasoned on, so it counts as overlapping and the relation says which ones were assumed.

The overlapping share of the traffic both target assumes independent assignment hashes:
two experiments enrolling 20 % each overlap on 20 % × 20 % = 4 %. Two in one layer are
mutually exclusive by construction: 0.
"""

from dataclasses import dataclass
from enum import StrEnum

from apps.experiments.audience import ATTRIBUTES, Allowed, Condition, allowed

from .model import Candidate


class Relation(StrEnum):
    DISJOINT = "disjoint"
    IDENTICAL = "identical"
    A_IN_B = "a_in_b"  # every unit A targets, B targets too
    B_IN_A = "b_in_a"
    PARTIAL = "partial"


@dataclass(frozen=True)
class AudienceOverlap:
    relation: Relation
    disjoint_on: str | None = None  # the attribute that keeps them apart
    unknown: tuple[str, ...] = ()  # attributes assumed to overlap

    @property
    def overlaps(self) -> bool:
        return self.relation != Relation.DISJOINT


def _intersects(x: Allowed, y: Allowed) -> bool:
    if x.only is not None and y.only is not None:
        return bool(x.only & y.only)
    if x.only is not None:
        return bool(x.only - y.excluded)
    if y.only is not None:
        return bool(y.only - x.excluded)
    return True  # two open domains minus finite exclusions always share a value


def _within(x: Allowed, y: Allowed) -> bool:
    """Every value ``x`` lets through, ``y`` lets through too."""
    if y.only is None:
        if x.only is not None:
            return not (x.only & y.excluded)
        return x.excluded >= y.excluded
    return x.only is not None and x.only <= y.only


def _unknown(conditions: tuple[Condition, ...]) -> set[str]:
    return {c.attribute for c in conditions if not c.known}


def audience_overlap(a: tuple[Condition, ...], b: tuple[Condition, ...]) -> AudienceOverlap:
    """How audience ``a`` relates to audience ``b`` (all conditions of each are ANDed)."""
    unknown = _unknown(a) | _unknown(b)
    names = sorted({c.attribute for c in a + b if c.attribute in ATTRIBUTES})
    a_in_b = b_in_a = True
    for name in names:
        x, y = allowed(a, name), allowed(b, name)
        if not _intersects(x, y):
            return AudienceOverlap(Relation.DISJOINT, disjoint_on=name)
        a_in_b = a_in_b and _within(x, y)
        b_in_a = b_in_a and _within(y, x)
    if unknown:
        # Conditions the catalogue can't read: equal ones on both sides keep the nesting.
        a_raw = {c for c in a if not c.known}
        b_raw = {c for c in b if not c.known}
        a_in_b = a_in_b and b_raw <= a_raw
        b_in_a = b_in_a and a_raw <= b_raw
    if a_in_b and b_in_a:
        relation = Relation.IDENTICAL
    elif a_in_b:
        relation = Relation.A_IN_B
    elif b_in_a:
        relation = Relation.B_IN_A
    else:
        relation = Relation.PARTIAL
    return AudienceOverlap(relation, unknown=tuple(sorted(unknown)))


def overlap_share(a: Candidate, b: Candidate) -> float:
    """Estimated share of the traffic both target that is enrolled in both.

    Same layer: 0, the layer hands each unit to one experiment. Otherwise independent
    hashes: the product of what each enrols (layer share × allocation).
    """
    if a.layer_id is not None and a.layer_id == b.layer_id:
        return 0.0
    return a.enrolment * b.enrolment
