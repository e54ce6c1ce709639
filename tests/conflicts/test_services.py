"""The scan keeps conflict rows in step with the program: it opens what the engine finds,
updates what changed, resolves what no longer holds (saying when and why), and a second
run changes nothing; the database refuses a second unresolved conflict of one pair."""

import datetime
import gc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.conflicts import services
from apps.conflicts.models import Conflict, ConflictStatus, Kind, Severity
from apps.experiments import services as experiments
from apps.experiments.models import Experiment

from . import factories as f


def test_the_scan_opens_a_surface_collision_with_an_explanation_and_a_remedy(demo):
    a, b = f.pair(demo)

    result = services.conflicts_scan()

    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    # Both move checkout conversion too: the shared primary metric is its own conflict.
    assert sorted(Conflict.objects.values_list("kind", flat=True)) == [
        Kind.SHARED_PRIMARY_METRIC,
        Kind.SURFACE_COLLISION,
    ]
    assert len(result.opened) == 2
    assert {conflict.experiment_a_id, conflict.experiment_b_id} == {a.pk, b.pk}
    assert conflict.severity == Severity.BLOCKING
    assert conflict.status == ConflictStatus.OPEN
    assert conflict.overlap_share == pytest.approx(1.0)
    assert "Checkout page" in conflict.explanation
    assert conflict.remedy
    assert conflict.rule.startswith("Blocking")
    assert conflict.window_start == timezone.localdate()


def test_a_second_scan_changes_nothing(demo, django_assert_max_num_queries):
    f.pair(demo)
    services.conflicts_scan()
    before = list(Conflict.objects.values())

    result = services.conflicts_scan()

    assert result.opened == [] and result.updated == 0 and result.resolved == 0
    assert list(Conflict.objects.values()) == before


def test_the_scan_updates_a_conflict_whose_design_changed(demo):
    a, b = f.pair(demo)
    services.conflicts_scan()
    experiments.experiment_update(actor=demo.users["lena"], experiment=b, allocation=10)
    experiments.experiment_update(actor=demo.users["aisha"], experiment=a, allocation=10)

    result = services.conflicts_scan()

    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    assert result.updated == 2 and result.opened == []
    assert conflict.overlap_share == pytest.approx(0.01)
    assert conflict.severity == Severity.WARNING


def test_the_scan_resolves_a_conflict_that_no_longer_holds_saying_why(demo):
    a, b = f.pair(demo)
    services.conflicts_scan()
    experiments.experiment_update(
        actor=demo.users["lena"], experiment=b,
        planned_start=a.planned_end + datetime.timedelta(days=1),
        planned_end=a.planned_end + datetime.timedelta(days=20),
    )  # fmt: skip

    result = services.conflicts_scan()

    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    assert result.resolved == 2
    assert conflict.status == ConflictStatus.RESOLVED
    assert conflict.resolved_at is not None
    assert (
        conflict.resolved_reason
        == "Their dates no longer overlap (guest-checkout and one-page-checkout)."
    )


def test_a_conflict_with_an_experiment_sent_back_to_draft_is_resolved(demo):
    _a, b = f.pair(demo)
    services.conflicts_scan()
    experiments.experiment_transition(actor=demo.users["marco"], experiment=b,
                                      action="request_changes", reason="Move it.")  # fmt: skip

    services.conflicts_scan()

    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    assert conflict.status == ConflictStatus.RESOLVED
    assert conflict.resolved_reason == (
        f"Experiment {b.pk} is no longer scheduled or running: it is now draft."
    )


def test_a_conflict_that_comes_back_is_opened_again_as_a_new_row(demo):
    _a, b = f.pair(demo)
    services.conflicts_scan()
    experiments.experiment_transition(actor=demo.users["marco"], experiment=b,
                                      action="request_changes", reason="Move it.")  # fmt: skip
    services.conflicts_scan()
    experiments.experiment_transition(actor=demo.users["lena"], experiment=b, action="submit")

    services.conflicts_scan()

    statuses = sorted(
        Conflict.objects.filter(kind=Kind.SURFACE_COLLISION).values_list("status", flat=True)
    )
    assert statuses == [ConflictStatus.OPEN, ConflictStatus.RESOLVED]


def test_the_database_refuses_a_second_unresolved_conflict_of_one_pair_and_kind(demo):
    f.pair(demo)
    services.conflicts_scan()
    row = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    row.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_scan_costs_the_same_queries_for_two_experiments_or_twenty(
    demo, django_assert_num_queries, django_assert_max_num_queries
):
    # Savepoint, (PostgreSQL: the advisory lock), experiments with their primary metrics,
    # surfaces, unresolved conflicts, release: the same for any number of experiments.
    base = 5 + (connection.vendor == "postgresql")
    f.pair(demo)
    services.conflicts_scan()
    with django_assert_num_queries(base):
        services.conflicts_scan()
    for n in range(9):
        f.in_review(demo, title=f"Test {n}", key=f"t-{n}")
    # Opening rows: bulk inserts (on PostgreSQL the ids, then one COPY; SQLite splits them
    # in batches).
    with django_assert_max_num_queries(base + 3):
        opened = services.conflicts_scan()
    assert len(opened.opened) > 40
    with django_assert_num_queries(base):
        services.conflicts_scan()


def test_checking_one_experiment_opens_its_conflicts_and_resolves_its_stale_ones(demo):
    _a, b = f.pair(demo)

    result = services.conflicts_check_experiment(experiment=b)

    assert len(result.opened) == 2
    Experiment.objects.filter(pk=b.pk).update(status="draft")
    services.conflicts_check_experiment(experiment=b)
    assert set(Conflict.objects.values_list("status", flat=True)) == {ConflictStatus.RESOLVED}


def test_the_preview_saves_nothing(demo):
    a, _b = f.pair(demo)

    findings = services.conflicts_preview(experiment=a)

    assert {x.kind for x in findings} == {Kind.SURFACE_COLLISION, Kind.SHARED_PRIMARY_METRIC}
    assert not Conflict.objects.exists()


def test_the_statistics_lead_acknowledges_with_a_reason(demo):
    f.pair(demo)
    services.conflicts_scan()
    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)

    services.conflict_acknowledge(actor=demo.users["marco"], conflict=conflict,
                                  reason="Both ship together; we analyse them jointly.")  # fmt: skip

    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.ACKNOWLEDGED
    assert conflict.acknowledged_by == demo.users["marco"]
    assert conflict.acknowledgement == "Both ship together; we analyse them jointly."


def test_acknowledging_without_a_reason_names_the_reason(demo):
    f.pair(demo)
    services.conflicts_scan()
    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)

    with pytest.raises(ValidationError) as raised:
        services.conflict_acknowledge(actor=demo.users["marco"], conflict=conflict, reason="  ")

    assert list(raised.value.message_dict) == ["reason"]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


@pytest.mark.parametrize("who", ["aisha", "priya", "sofia"])
def test_only_the_statistics_lead_or_an_admin_acknowledges(demo, who):
    f.pair(demo)
    services.conflicts_scan()
    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)

    with pytest.raises(PermissionDenied):
        services.conflict_acknowledge(actor=demo.users[who], conflict=conflict, reason="Fine.")

    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_saving_a_design_rechecks_it_on_commit(demo, django_capture_on_commit_callbacks):
    _a, b = f.pair(demo)
    assert not Conflict.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        experiments.experiment_update(actor=demo.users["lena"], experiment=b, allocation=50)

    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    assert conflict.overlap_share == pytest.approx(0.5)


def test_the_launch_check_fails_until_the_statistics_lead_acknowledges(demo):
    from apps.conflicts.launch_checks import no_blocking_conflict

    a, _ = f.pair(demo)
    services.conflicts_scan(notify=False)
    refused = no_blocking_conflict(a)
    services.conflict_acknowledge(actor=demo.users["marco"],
                                  conflict=Conflict.objects.get(kind=Kind.SURFACE_COLLISION),
                                  reason="Analysed jointly.")  # fmt: skip

    assert not refused.passed
    assert "surface collision with One-page checkout" in refused.detail
    assert no_blocking_conflict(a).passed


def test_the_interaction_check_needs_a_shared_data_source(demo):
    a = f.in_review(demo, title="Guest checkout", key="guest-checkout")
    f.in_review(demo, "lena", title="Other", key="other",
                data_source=f.ef.source(demo, name="Another warehouse"))  # fmt: skip
    services.conflicts_scan(notify=False)
    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)

    with pytest.raises(ValidationError) as raised:
        services.conflict_interaction_queue(conflict=conflict)

    assert "different data sources" in raised.value.message_dict["interaction"][0]
    assert a.pk in (conflict.experiment_a_id, conflict.experiment_b_id)


def test_the_scan_leaves_the_garbage_collector_as_it_found_it(demo, monkeypatch):
    f.pair(demo)
    assert gc.isenabled()

    services.conflicts_scan()
    assert gc.isenabled()

    gc.disable()
    try:
        services.conflicts_scan()
        assert not gc.isenabled()
    finally:
        gc.enable()

    def broken(candidates):
        raise RuntimeError("detector failed")

    monkeypatch.setattr("apps.conflicts.services.scan.detect", broken)
    with pytest.raises(RuntimeError):
        services.conflicts_scan()
    assert gc.isenabled()
