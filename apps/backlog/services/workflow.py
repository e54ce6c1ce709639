"""Moving a hypothesis along the workflow, from proposed to concluded."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.backlog.models import Hypothesis, StatusChange
from apps.backlog.models import Status as S

# The workflow. Decisions about the backlog (accept, park, reject, revive) are the program
# manager's; moving accepted work through delivery is for whoever may edit the hypothesis.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.PARKED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.DESIGNING, S.PARKED, S.REJECTED}),
    S.DESIGNING: frozenset({S.RUNNING}),
    S.RUNNING: frozenset({S.ANALYZING}),
    S.ANALYZING: frozenset({S.CONCLUDED}),
    S.PARKED: frozenset({S.PROPOSED}),
    S.REJECTED: frozenset(),
    S.CONCLUDED: frozenset(),
}
DECISIONS = frozenset({S.ACCEPTED, S.PARKED, S.REJECTED})
REASON_REQUIRED = frozenset({S.PARKED, S.REJECTED})


def allowed_transitions(hypothesis: Hypothesis) -> list[str]:
    return sorted(TRANSITIONS[hypothesis.status], key=list(S.values).index)


def transition_action(from_status: str, to_status: str) -> Action:
    """The policy action a step needs: MANAGE for backlog decisions, EDIT for delivery."""
    if to_status in DECISIONS or from_status == S.PARKED:
        return Action.MANAGE
    return Action.EDIT


@transaction.atomic
def hypothesis_transition(
    *, actor: User, hypothesis: Hypothesis, to_status: str, reason: str = ""
) -> Hypothesis:
    """Move a hypothesis one allowed step along the workflow and record who, when and why."""
    # Lock the row: two people acting at once must not both move it from the same status.
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    group_id = locked.working_group_id
    policy.require(actor, group_id, Action.READ)
    if to_status not in S.values:
        raise ValidationError(
            {"to_status": f"Unknown status {to_status!r}; choose one of: {', '.join(S.values)}."}
        )
    allowed = TRANSITIONS[locked.status]
    if to_status not in allowed:
        names = ", ".join(allowed_transitions(locked)) or "none (it is final)"
        raise ValidationError(
            {
                "to_status": f"A {locked.status} hypothesis cannot move to {to_status}; "
                f"allowed: {names}."
            }
        )
    action = transition_action(locked.status, to_status)
    if not policy.allows(actor, group_id, action, owner_id=locked.owner_id):
        raise PermissionDenied(
            "Only the program manager accepts, parks, rejects or revives hypotheses."
            if action is Action.MANAGE
            else "Only the owner, their delegate or the program manager moves it along."
        )
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": f"Say why the hypothesis is {to_status}."})
    now = timezone.now()
    StatusChange.objects.create(
        hypothesis=locked,
        from_status=locked.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        at=now,
    )
    locked.status = to_status
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    hypothesis.status, hypothesis.status_changed_at = locked.status, locked.status_changed_at
    return locked


# The steps an experiment takes its hypothesis through as it is drafted, started, stopped
# and concluded: delivery steps only, never a backlog decision.
FOLLOWED_STEPS = frozenset(
    {(S.ACCEPTED, S.DESIGNING), (S.DESIGNING, S.RUNNING), (S.RUNNING, S.ANALYZING),
     (S.ANALYZING, S.CONCLUDED)}
)  # fmt: skip


@transaction.atomic
def hypothesis_follow(*, actor: User, hypothesis: Hypothesis, to_status: str, reason: str) -> bool:
    """Move a hypothesis along with the experiment that tests it; False if it is already
    there or beyond (a second experiment on the same hypothesis).

    The experiment's own service has checked that `actor` may make its change; the
    hypothesis follows whoever owns it, so this asks only that the actor reads the group.
    """
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    policy.require(actor, locked.working_group_id, Action.READ)
    if (locked.status, to_status) not in FOLLOWED_STEPS:
        return False
    now = timezone.now()
    StatusChange.objects.create(
        hypothesis=locked, from_status=locked.status, to_status=to_status, actor=actor,
        reason=reason[:2000], at=now,
    )  # fmt: skip
    locked.status = to_status
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    hypothesis.status, hypothesis.status_changed_at = locked.status, locked.status_changed_at
    return True
