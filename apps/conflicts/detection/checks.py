"""What one experiment would face if it launched now, without scanning the whole program."""

from collections.abc import Sequence

from .layers import over_allocated
from .model import Candidate, Finding, Kind
from .sweep import in_order, judge_pair


def involves(candidate: Candidate, finding: Finding) -> bool:
    """Whether ``finding`` concerns ``candidate``: one of its pair, or running in its layer
    while the layer is over-allocated."""
    if candidate.id in (finding.a, finding.b):
        return True
    return (
        finding.kind == Kind.LAYER_OVERALLOCATION
        and finding.layer_id == candidate.layer_id
        and candidate.start <= finding.window_end
        and finding.window_start <= candidate.end
    )


def check_one(candidate: Candidate, others: Sequence[Candidate]) -> list[Finding]:
    """The conflicts ``candidate`` has with ``others``: exactly those of ``detect`` over all
    of them that involve it, in O(n) for the pairs plus a sweep of its own layer."""
    others = [o for o in others if o.id != candidate.id]
    if candidate.start > candidate.end:
        return []
    found: list[Finding] = []
    for o in others:
        if o.start <= o.end and o.start <= candidate.end and candidate.start <= o.end:
            found.extend(judge_pair(candidate, o))
    if candidate.layer_id is not None:
        members = [candidate] + [
            o for o in others if o.layer_id == candidate.layer_id and o.start <= o.end
        ]
        layer = over_allocated(members, candidate.layer_id)
        found.extend(f for f in layer if involves(candidate, f))
    return in_order(found)
