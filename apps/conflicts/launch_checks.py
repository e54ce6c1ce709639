"""The launch check this app adds to the experiments' checklist: no blocking conflict.

Found by ExperimentsConfig.ready (autodiscover "launch_checks"). It compares the
experiment with every other in review, approved or running as they stand now (without
saving), and fails while a blocking conflict has not been acknowledged, with a reason, by
the statistics lead. Warnings and notes never stop a launch; the check names them.

The checklist is read by members of the experiment's group, who may not read a
confidential plan's experiment: the other experiment is then named neutrally.
"""

from apps.conflicts.models import Conflict, ConflictStatus, Severity
from apps.conflicts.services import conflicts_preview, identity_of
from apps.experiments.checklist import CheckOutcome, launch_check
from apps.experiments.models import Experiment

NEUTRAL = "an experiment of a confidential plan"


def _names(ids: set[int]) -> dict[int, str]:
    rows = Experiment.objects.filter(pk__in=ids).values_list(
        "pk", "title", "milestone__plan__confidential"
    )
    return {pk: (NEUTRAL if confidential else title) for pk, title, confidential in rows}


@launch_check("conflicts", label="No blocking conflict with another experiment", order=40)
def no_blocking_conflict(exp: Experiment) -> CheckOutcome:
    findings = conflicts_preview(experiment=exp)
    blocking = [f for f in findings if f.severity == Severity.BLOCKING]
    acknowledged = set(
        Conflict.objects.filter(
            identity__in=[identity_of(f) for f in blocking], status=ConflictStatus.ACKNOWLEDGED
        ).values_list("identity", flat=True)
    )
    waiting = [f for f in blocking if identity_of(f) not in acknowledged]
    others = {i for f in findings for i in (f.a, f.b) if i is not None and i != exp.pk}
    names = _names(others)

    def other(f) -> str:
        ids = [i for i in (f.a, f.b) if i is not None and i != exp.pk]
        return names.get(ids[0], NEUTRAL) if ids else f"its layer {f.figures.get('layer', '')}"

    if waiting:
        listed = "; ".join(f"{f.kind.replace('_', ' ')} with {other(f)}" for f in waiting)
        return CheckOutcome(
            False,
            f"Blocked by {len(waiting)} conflict(s): {listed}. Resolve them, or the "
            "statistics lead acknowledges them with a reason on the conflicts page.",
        )
    if blocking:
        return CheckOutcome(
            True, f"{len(blocking)} blocking conflict(s) acknowledged by the statistics lead."
        )
    if findings:
        return CheckOutcome(True, f"No blocking conflict; {len(findings)} warning(s) or note(s).")
    return CheckOutcome(True, "No conflict with the experiments in review, approved or running.")
