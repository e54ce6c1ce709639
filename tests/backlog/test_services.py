"""Proposing, editing and scoring hypotheses through the services."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from apps.backlog import services
from apps.backlog.models import Hypothesis, Score, ScoreRevision, ScoreSummary, Status, Tag

pytestmark = pytest.mark.django_db


def test_it_proposes_a_hypothesis_owned_by_the_proposer(propose, users, group):
    h = propose("lena", tags=["Checkout", "mobile", "checkout"], effort_weeks=3)
    assert h.status == Status.PROPOSED
    assert h.proposer == h.owner == users["lena"]
    assert sorted(h.tags.values_list("slug", flat=True)) == ["checkout", "mobile"]
    assert h.statement == (
        "If we show an estimated delivery date, then checkout conversion rises, "
        "because a date is easier to trust than a speed."
    )


def test_a_stakeholder_cannot_propose(propose):
    with pytest.raises(PermissionDenied):
        propose("sofia")
    assert not Hypothesis.objects.exists()


@pytest.mark.parametrize("field", ["title", "change", "metric", "rationale"])
def test_it_refuses_a_statement_with_a_part_missing(propose, field):
    with pytest.raises(ValidationError) as caught:
        propose("lena", **{field: "   "})
    assert field in caught.value.message_dict
    assert not Hypothesis.objects.exists()


def test_the_owner_must_be_a_member_who_may_edit(propose, users):
    with pytest.raises(ValidationError) as caught:
        propose("lena", owner=users["sofia"])
    assert "owner" in caught.value.message_dict
    h = propose("lena", owner=users["tomas"])
    assert h.owner == users["tomas"] and h.proposer == users["lena"]


@pytest.mark.parametrize(("who", "allowed"), [
    ("lena", True), ("aisha", True), ("priya", True), ("tomas", False), ("sofia", False),
])  # fmt: skip
def test_the_owner_their_delegate_or_the_pm_edits(hypothesis, users, who, allowed):
    if allowed:
        services.hypothesis_update(actor=users[who], hypothesis=hypothesis, title="Sharper title")
        hypothesis.refresh_from_db()
        assert hypothesis.title == "Sharper title"
    else:
        with pytest.raises(PermissionDenied):
            services.hypothesis_update(actor=users[who], hypothesis=hypothesis, title="Mine now")


def test_editing_replaces_tags_and_can_hand_over_ownership(hypothesis, users):
    services.hypothesis_update(
        actor=users["lena"], hypothesis=hypothesis, tags=["search"], owner=users["tomas"]
    )
    hypothesis.refresh_from_db()
    assert list(hypothesis.tags.values_list("slug", flat=True)) == ["search"]
    assert hypothesis.owner == users["tomas"]


def test_editing_never_changes_the_status(hypothesis, users):
    with pytest.raises(ValidationError) as caught:
        services.hypothesis_update(actor=users["priya"], hypothesis=hypothesis, status="accepted")
    assert "status" in caught.value.message_dict


def test_only_a_proposed_hypothesis_can_be_deleted(hypothesis, users):
    services.hypothesis_transition(
        actor=users["priya"], hypothesis=hypothesis, to_status="accepted"
    )
    with pytest.raises(ValidationError):
        services.hypothesis_delete(actor=users["lena"], hypothesis=hypothesis)
    other = services.hypothesis_propose(
        actor=users["lena"], group=hypothesis.working_group, title="t", change="c",
        metric="m", rationale="r",
    )  # fmt: skip
    services.hypothesis_delete(actor=users["lena"], hypothesis=other)
    assert not Hypothesis.objects.filter(pk=other.pk).exists()


def test_tags_belong_to_the_group_and_are_reused(propose, group):
    propose("lena", title="A", tags=["checkout"])
    propose("tomas", title="B", tags=["Checkout"])
    assert Tag.objects.filter(working_group=group).count() == 1


# --- scores ------------------------------------------------------------------------------


def test_a_member_scores_and_the_summary_follows(hypothesis, ice_score):
    ice_score("tomas", hypothesis, 8, 6, 4)
    ice_score("aisha", hypothesis, 6, 6, 6)
    ice_score("marco", hypothesis, 5, 5, 2)
    summary = ScoreSummary.objects.get(hypothesis=hypothesis)
    # totals 6, 6, 4 → mean 16/3, median 6
    assert summary.scorer_count == 3
    assert summary.mean == pytest.approx(16 / 3)
    assert summary.median == pytest.approx(6)
    # normalised: 15/27, 15/27, 9/27 → spread 6/27 ≈ 0.22 < 0.3
    assert summary.spread == pytest.approx(6 / 27)
    assert not summary.discuss


def test_strong_disagreement_is_flagged_discuss(hypothesis, ice_score):
    ice_score("tomas", hypothesis, 9, 9, 9)
    ice_score("aisha", hypothesis, 2, 2, 3)
    summary = ScoreSummary.objects.get(hypothesis=hypothesis)
    assert summary.discuss
    # normalised: 24/27 against 4/27
    assert summary.spread == pytest.approx(20 / 27)


def test_nobody_scores_twice_an_update_keeps_the_history(hypothesis, ice_score):
    first = ice_score("tomas", hypothesis, 8, 6, 4, comment="first look")
    second = ice_score("tomas", hypothesis, 9, 9, 9, comment="after the interviews")
    assert first.pk == second.pk
    assert Score.objects.filter(hypothesis=hypothesis).count() == 1
    revisions = list(ScoreRevision.objects.filter(score=first).values_list("total", "comment"))
    assert revisions == [(6.0, "first look"), (9.0, "after the interviews")]
    summary = ScoreSummary.objects.get(hypothesis=hypothesis)
    assert (summary.scorer_count, summary.mean) == (1, 9.0)


def test_a_stakeholder_cannot_score(hypothesis, ice_score):
    with pytest.raises(PermissionDenied):
        ice_score("sofia", hypothesis, 5, 5, 5)
    assert not Score.objects.exists()


def test_a_bad_score_saves_nothing(hypothesis, ice_score):
    ice_score("tomas", hypothesis, 8, 6, 4)
    with pytest.raises(ValidationError) as caught:
        ice_score("tomas", hypothesis, 80, 6, 4)
    assert "values.impact" in caught.value.message_dict
    assert ScoreRevision.objects.count() == 1
    assert ScoreSummary.objects.get(hypothesis=hypothesis).mean == 6


def test_a_rejected_hypothesis_is_no_longer_scored(hypothesis, users, ice_score):
    services.hypothesis_transition(
        actor=users["priya"], hypothesis=hypothesis, to_status="rejected", reason="Tested before."
    )
    with pytest.raises(ValidationError) as caught:
        ice_score("tomas", hypothesis, 5, 5, 5)
    assert "status" in caught.value.message_dict


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_scoring_at_once_both_count(demo):
    h = services.hypothesis_propose(
        actor=demo.users["lena"], group=demo.group, title="t", change="c", metric="m",
        rationale="r",
    )  # fmt: skip
    barrier = threading.Barrier(2)
    errors = []

    def score(username, value):
        try:
            barrier.wait(timeout=5)
            services.score_submit(
                actor=demo.users[username],
                hypothesis=h,
                values={"impact": value, "confidence": value, "ease": value},
            )
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=score, args=a) for a in (("tomas", 2), ("aisha", 8))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    summary = ScoreSummary.objects.get(hypothesis=h)
    assert summary.scorer_count == 2
    assert summary.mean == pytest.approx(5.0)
