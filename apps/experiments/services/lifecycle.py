"""An experiment's lifecycle: draft → in review → approved → running → stopped → concluded,
plus reset (a clean restart after a setup bug).

Every step locks the experiment's row (two people acting at once must not both move it
from the same status), checks who may take it, records a Transition with who, when and
why, and moves the tested hypothesis along: running when the experiment starts, analyzing
when it stops, concluded when it is concluded.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.backlog.models import Status as HypothesisStatus
from apps.backlog.services import hypothesis_follow
from apps.core.text_rules import check_text
from apps.experiments.checklist import run_checklist
from apps.experiments.models import Decision, Experiment, MetricRole, Snapshot, Status, Transition

from .design import check_layer

# action name -> (from statuses, to status)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((Status.DRAFT,), Status.IN_REVIEW),
    "approve": ((Status.IN_REVIEW,), Status.APPROVED),
    "request_changes": ((Status.IN_REVIEW, Status.APPROVED), Status.DRAFT),
    "start": ((Status.APPROVED,), Status.RUNNING),
    "stop": ((Status.RUNNING,), Status.STOPPED),
    "conclude": ((Status.RUNNING, Status.STOPPED), Status.CONCLUDED),
    "reset": ((Status.RUNNING, Status.STOPPED), Status.RUNNING),
}
REASON_REQUIRED = frozenset({"request_changes", "reset"})


class ChecklistFailed(ValidationError):
    """A launch refused by the pre-launch checklist; carries every check's result."""

    def __init__(self, results):
        failed = [r for r in results if not r.passed]
        super().__init__({"checklist": [f"{r.label}: {r.detail}" for r in failed]})
        self.results = results


def allowed_actions(exp: Experiment, user: User) -> list[str]:
    """The steps `user` may take on `exp` now: what the page offers as buttons."""
    return [name for name, (sources, _) in STEPS.items()
            if exp.status in sources and _permitted(user, exp, name)]  # fmt: skip


def _permitted(user: User, exp: Experiment, action: str) -> bool:
    if action in ("approve", "request_changes"):
        return policy.allows(user, exp.working_group_id, Action.REVIEW)
    return policy.allows(user, exp.working_group_id, Action.EDIT, owner_id=exp.owner_id)


def _record(exp: Experiment, actor: User, action: str, to_status: str, reason: str, now):
    Transition.objects.create(
        experiment=exp, from_status=exp.status, to_status=to_status, action=action,
        actor=actor, reason=reason, at=now,
    )  # fmt: skip
    exp.status = to_status


def _follow(actor: User, exp: Experiment, to_status: str, why: str) -> None:
    hypothesis_follow(actor=actor, hypothesis=exp.hypothesis, to_status=to_status, reason=why)


@transaction.atomic
def experiment_transition(
    *,
    actor: User,
    experiment: Experiment,
    action: str,
    reason: str = "",
    decision: str = "",
    rationale: str = "",
) -> Experiment:
    """Take one lifecycle step; a refused step changes nothing."""
    exp = Experiment.objects.select_for_update().select_related("hypothesis").get(pk=experiment.pk)
    policy.require(actor, exp.working_group_id, Action.READ)
    if action not in STEPS:
        raise ValidationError({"action": f"Unknown step {action!r}; one of {', '.join(STEPS)}."})
    sources, to_status = STEPS[action]
    if exp.status not in sources:
        allowed = ", ".join(allowed_actions(exp, actor)) or "none"
        raise ValidationError(
            {"action": f"A {exp.get_status_display().lower()} experiment cannot {action.replace('_', ' ')}; "
             f"you may: {allowed}."}
        )  # fmt: skip
    if not _permitted(actor, exp, action):
        raise PermissionDenied(
            policy.refusal(Action.REVIEW if action in ("approve", "request_changes")
                           else Action.EDIT)
        )  # fmt: skip
    reason = check_text("reason", reason, max_length=4000,
                        required="Say why." if action in REASON_REQUIRED else None)  # fmt: skip
    now = timezone.now()
    if action == "submit":
        _check_complete(exp)
        check_layer(exp)
    elif action == "approve":
        exp.approved_by, exp.approved_at = actor, now
    elif action == "request_changes":
        exp.approved_by, exp.approved_at = None, None
    elif action == "start":
        check_layer(exp)
        results = run_checklist(exp)
        if not all(r.passed for r in results):
            raise ChecklistFailed(results)
        exp.started_at = now
        _follow(actor, exp, HypothesisStatus.RUNNING, f"Experiment {exp.key} started.")
    elif action == "stop":
        exp.stopped_at = now
        _follow(actor, exp, HypothesisStatus.ANALYZING, f"Experiment {exp.key} stopped.")
    elif action == "conclude":
        _conclude(actor, exp, decision, rationale, now)
    elif action == "reset":
        # The old run's snapshots stay, marked invalid: the history shows what happened.
        Snapshot.objects.filter(experiment=exp, run=exp.run).update(valid=False)
        exp.run += 1
        exp.started_at, exp.stopped_at = now, None
    _record(exp, actor, action, to_status, reason or rationale, now)
    exp.version += 1
    exp.save()
    experiment.__dict__.update(exp.__dict__)
    return exp


def _check_complete(exp: Experiment) -> None:
    """What a design needs before the statistics lead can review it."""
    if exp.data_source_id is None:
        raise ValidationError({"data_source": "Choose the data source the results come from."})
    if not exp.metric_links.filter(role=MetricRole.PRIMARY).exists():
        raise ValidationError({"metrics": "Name exactly one primary metric."})
    if not exp.planned_start or not exp.planned_end:
        raise ValidationError({"planned_end": "Give the planned start and end."})


def _conclude(actor: User, exp: Experiment, decision: str, rationale: str, now) -> None:
    if decision not in Decision.values:
        raise ValidationError({"decision": f"Decide one of: {', '.join(Decision.values)}."})
    exp.rationale = check_text(
        "rationale", rationale, max_length=10_000,
        required="A conclusion needs its rationale: why this decision, from these results.",
    )  # fmt: skip
    exp.decision, exp.concluded_by, exp.concluded_at = decision, actor, now
    if exp.status == Status.RUNNING:
        exp.stopped_at = now
        _follow(actor, exp, HypothesisStatus.ANALYZING, f"Experiment {exp.key} stopped.")
    _follow(actor, exp, HypothesisStatus.CONCLUDED,
            f"Experiment {exp.key} concluded: {exp.get_decision_display()}.")  # fmt: skip
