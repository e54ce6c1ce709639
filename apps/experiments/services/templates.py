"""Design templates per experiment type: what a new design of that type starts from.

Each template fills the fields that type nearly always has, so a canary starts small with
its rollout stages and an A/A starts as the system check it is; the author edits from there.
"""

from dataclasses import dataclass, field

from apps.experiments.models import ExperimentType

from .specs import VariantSpec


@dataclass(frozen=True)
class Template:
    fields: dict
    variants: list = field(default_factory=list)
    guidance: str = ""


def _variants(*pairs):
    return [VariantSpec(name=n, weight=w, is_control=i == 0) for i, (n, w) in enumerate(pairs)]


def template_for(type_: str) -> Template:
    if type_ == ExperimentType.AA:
        return Template(
            fields={"type": type_, "description": "A/A: both arms get the same experience. "
                    "Any significant result or sample ratio mismatch is a red flag in the "
                    "assignment or the metrics pipeline."},
            variants=_variants(("control", 1), ("control-copy", 1)),
            guidance="Any significant result or SRM means the system is broken.",
        )  # fmt: skip
    if type_ == ExperimentType.HOLDOUT:
        return Template(
            fields={"type": type_, "allocation": 5.0, "description": "Holdout: a share of "
                    "units kept from a set of shipped changes, to measure their joint effect."},
            variants=_variants(("holdout", 5), ("shipped", 95)),
        )  # fmt: skip
    if type_ == ExperimentType.CANARY:
        return Template(
            fields={"type": type_, "allocation": 1.0, "rollout_stages": [1, 10, 50, 100],
                    "description": "Canary: small exposure first; only guardrails decide."},
            variants=_variants(("control", 99), ("canary", 1)),
        )  # fmt: skip
    if type_ == ExperimentType.SHADOW:
        return Template(
            fields={"type": type_, "description": "Shadow: no user sees the change; logged "
                    "outputs and latency of both paths are compared."},
            variants=_variants(("current", 1), ("shadow", 1)),
        )  # fmt: skip
    return Template(
        fields={"type": ExperimentType.AB if type_ not in ExperimentType.values else type_},
        variants=_variants(("control", 1), ("treatment", 1)),
    )
