"""The status workflow: every allowed step, every forbidden one, who may take them, the record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.backlog import services
from apps.backlog.models import Hypothesis, StatusChange
from apps.backlog.models import Status as S

pytestmark = pytest.mark.django_db

ALLOWED = [
    (S.PROPOSED, S.ACCEPTED),
    (S.PROPOSED, S.PARKED),
    (S.PROPOSED, S.REJECTED),
    (S.ACCEPTED, S.DESIGNING),
    (S.ACCEPTED, S.PARKED),
    (S.ACCEPTED, S.REJECTED),
    (S.DESIGNING, S.RUNNING),
    (S.RUNNING, S.ANALYZING),
    (S.ANALYZING, S.CONCLUDED),
    (S.PARKED, S.PROPOSED),
]
FORBIDDEN = [(a, b) for a in S.values for b in S.values if (a, b) not in ALLOWED]


def _at(hypothesis: Hypothesis, status: str) -> Hypothesis:
    """Put a hypothesis at a status directly: the step under test is the only service call."""
    Hypothesis.objects.filter(pk=hypothesis.pk).update(status=status)
    hypothesis.refresh_from_db()
    return hypothesis


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_it_allows_the_workflow_steps_and_records_each(users, hypothesis, from_status, to_status):
    _at(hypothesis, from_status)
    services.hypothesis_transition(
        actor=users["priya"], hypothesis=hypothesis, to_status=to_status, reason="Because."
    )
    hypothesis.refresh_from_db()
    assert hypothesis.status == to_status
    change = StatusChange.objects.filter(hypothesis=hypothesis).latest("pk")
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.actor == users["priya"] and change.reason == "Because." and change.at


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_it_refuses_steps_the_workflow_forbids(users, hypothesis, from_status, to_status):
    _at(hypothesis, from_status)
    with pytest.raises(ValidationError) as caught:
        services.hypothesis_transition(
            actor=users["priya"], hypothesis=hypothesis, to_status=to_status, reason="x"
        )
    assert "to_status" in caught.value.message_dict
    hypothesis.refresh_from_db()
    assert hypothesis.status == from_status
    assert StatusChange.objects.filter(hypothesis=hypothesis).count() == 1  # only "proposed"


def test_proposing_records_the_first_step(users, hypothesis):
    (change,) = hypothesis.status_changes.all()
    assert (change.from_status, change.to_status, change.actor) == ("", S.PROPOSED, users["lena"])


@pytest.mark.parametrize("to_status", [S.PARKED, S.REJECTED])
def test_parking_or_rejecting_needs_a_reason(users, hypothesis, to_status):
    with pytest.raises(ValidationError) as caught:
        services.hypothesis_transition(
            actor=users["priya"], hypothesis=hypothesis, to_status=to_status, reason="  "
        )
    assert "reason" in caught.value.message_dict
    hypothesis.refresh_from_db()
    assert hypothesis.status == S.PROPOSED


@pytest.mark.parametrize("who", ["lena", "tomas", "marco", "sofia"])
def test_only_the_program_manager_or_an_admin_accepts(users, hypothesis, who):
    with pytest.raises(PermissionDenied):
        services.hypothesis_transition(
            actor=users[who], hypothesis=hypothesis, to_status=S.ACCEPTED
        )


def test_an_admin_may_accept(users, hypothesis):
    services.hypothesis_transition(actor=users["dana"], hypothesis=hypothesis, to_status=S.ACCEPTED)
    assert hypothesis.status == S.ACCEPTED


@pytest.mark.parametrize(("who", "allowed"), [("lena", True), ("aisha", True), ("tomas", False)])
def test_the_owner_or_their_delegate_moves_accepted_work_into_delivery(
    users, hypothesis, who, allowed
):
    # Aisha is Lena's delegate in the demo group.
    _at(hypothesis, S.ACCEPTED)
    if allowed:
        services.hypothesis_transition(
            actor=users[who], hypothesis=hypothesis, to_status=S.DESIGNING
        )
        assert hypothesis.status == S.DESIGNING
    else:
        with pytest.raises(PermissionDenied):
            services.hypothesis_transition(
                actor=users[who], hypothesis=hypothesis, to_status=S.DESIGNING
            )


def test_it_refuses_an_unknown_status(users, hypothesis):
    with pytest.raises(ValidationError) as caught:
        services.hypothesis_transition(
            actor=users["priya"], hypothesis=hypothesis, to_status="shipped"
        )
    assert "to_status" in caught.value.message_dict


def test_the_full_path_leaves_a_complete_history(users, hypothesis):
    for step in (S.ACCEPTED, S.DESIGNING, S.RUNNING, S.ANALYZING, S.CONCLUDED):
        services.hypothesis_transition(actor=users["priya"], hypothesis=hypothesis, to_status=step)
    steps = list(hypothesis.status_changes.values_list("from_status", "to_status"))
    assert steps == [
        ("", S.PROPOSED),
        (S.PROPOSED, S.ACCEPTED),
        (S.ACCEPTED, S.DESIGNING),
        (S.DESIGNING, S.RUNNING),
        (S.RUNNING, S.ANALYZING),
        (S.ANALYZING, S.CONCLUDED),
    ]
    assert services.allowed_transitions(hypothesis) == []
