"""Designing an experiment and taking it through its lifecycle, through the services."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.backlog.models import Status as HypothesisStatus
from apps.experiments import services
from apps.experiments.models import (
    Experiment,
    Layer,
    Snapshot,
    SnapshotSource,
    SnapshotStatus,
    Status,
    Transition,
)
from apps.experiments.services import ChecklistFailed, MetricSpec, VariantSpec
from tests.experiments import factories as f

pytestmark = pytest.mark.django_db


def test_drafting_an_experiment_moves_its_hypothesis_to_designing(demo):
    hypothesis = f.accepted_hypothesis(demo)

    exp = f.design(demo, hypothesis=hypothesis)

    hypothesis.refresh_from_db()
    assert hypothesis.status == HypothesisStatus.DESIGNING
    assert exp.status == Status.DRAFT
    assert [v.name for v in exp.variants.all()] == ["control", "treatment"]
    assert exp.metric_links.get(role="primary").metric.key == "checkout-conversion"


def test_only_an_accepted_hypothesis_gets_an_experiment(demo):
    hypothesis = f.accepted_hypothesis(demo)
    hypothesis.status = HypothesisStatus.PROPOSED
    hypothesis.save()

    with pytest.raises(ValidationError) as error:
        f.design(demo, hypothesis=hypothesis)

    assert "hypothesis" in error.value.message_dict
    assert not Experiment.objects.exists()


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([VariantSpec("control", 1, True), VariantSpec("b", 0)], "must be positive"),
        ([VariantSpec("control", 1, True), VariantSpec("b", -2)], "must be positive"),
        ([VariantSpec("a", 1, True), VariantSpec("b", 1, True)], "Exactly one variant"),
        ([VariantSpec("a", 1), VariantSpec("b", 1)], "Exactly one variant"),
        ([VariantSpec("a", 1, True)], "at least one more"),
        ([VariantSpec("a", 1, True), VariantSpec("A", 1)], "must differ"),
    ],
)
def test_variants_need_positive_weights_and_one_control(demo, variants, message):
    hypothesis = f.accepted_hypothesis(demo)
    src = f.source(demo)

    with pytest.raises(ValidationError) as error:
        services.experiment_create(
            actor=demo.users["aisha"], hypothesis=hypothesis, variants=variants,
            metrics=[MetricSpec(f.metric(demo, src, "conv"), "primary")],
        )  # fmt: skip

    assert message in error.value.message_dict["variants"][0]
    assert not Experiment.objects.exists()
    hypothesis.refresh_from_db()
    assert hypothesis.status == HypothesisStatus.ACCEPTED


def test_a_design_names_exactly_one_primary_metric(demo):
    src = f.source(demo)
    secondary = MetricSpec(f.metric(demo, src, "conv"), "secondary")

    with pytest.raises(ValidationError) as error:
        f.design(demo, data_source=src, metrics=[secondary])

    assert error.value.message_dict["metrics"] == ["Name exactly one primary metric."]


def test_a_guardrail_needs_its_harm_threshold(demo):
    src = f.source(demo)
    metrics = [
        MetricSpec(f.metric(demo, src, "conv"), "primary"),
        MetricSpec(f.metric(demo, src, "speed"), "guardrail"),
    ]

    with pytest.raises(ValidationError) as error:
        f.design(demo, data_source=src, metrics=metrics)

    assert "harm threshold" in error.value.message_dict["metrics"][0]


def test_a_layer_cannot_be_promised_beyond_what_it_has_left(demo):
    layer = Layer.objects.create(working_group=demo.group, name="checkout")
    first = f.design(demo, layer=layer, layer_share=70)
    services.experiment_transition(actor=demo.users["aisha"], experiment=first, action="submit")
    second = f.design(demo, layer=layer, layer_share=40)

    with pytest.raises(ValidationError) as error:
        services.experiment_transition(
            actor=demo.users["aisha"], experiment=second, action="submit"
        )

    assert "has 30 % left" in error.value.message_dict["layer_share"][0]
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_a_layer_share_in_other_dates_does_not_count(demo):
    layer = Layer.objects.create(working_group=demo.group, name="checkout")
    today = timezone.localdate()
    first = f.design(demo, layer=layer, layer_share=70, planned_start=today,
                     planned_end=today + datetime.timedelta(days=10))  # fmt: skip
    services.experiment_transition(actor=demo.users["aisha"], experiment=first, action="submit")
    later = f.design(demo, layer=layer, layer_share=60,
                     planned_start=today + datetime.timedelta(days=10),
                     planned_end=today + datetime.timedelta(days=30))  # fmt: skip

    services.experiment_transition(actor=demo.users["aisha"], experiment=later, action="submit")

    assert later.status == Status.IN_REVIEW


def test_only_the_statistics_lead_approves_a_design(demo):
    exp = f.design(demo)
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="submit")

    for who in ("aisha", "priya", "lena"):
        with pytest.raises(PermissionDenied):
            services.experiment_transition(actor=demo.users[who], experiment=exp, action="approve")
    services.experiment_transition(actor=demo.users["marco"], experiment=exp, action="approve")

    exp.refresh_from_db()
    assert exp.status == Status.APPROVED
    assert exp.approved_by == demo.users["marco"]
    assert list(exp.transitions.values_list("action", "actor__username")) == [
        ("submit", "aisha"),
        ("approve", "marco"),
    ]


def test_the_checklist_gates_the_launch_and_says_what_failed(demo):
    exp = f.approved(demo)  # its data source file does not exist

    with pytest.raises(ChecklistFailed) as error:
        services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="start")

    failed = {r.name for r in error.value.results if not r.passed}
    assert failed == {"metrics"}
    exp.refresh_from_db()
    assert exp.status == Status.APPROVED


def test_the_checklist_refuses_a_sample_the_dates_cannot_reach(demo, monkeypatch):
    today = timezone.localdate()
    with pytest.raises(ChecklistFailed) as error:
        f.launched(
            demo, monkeypatch, daily_traffic=50, planned_end=today + datetime.timedelta(days=3)
        )

    sample = next(r for r in error.value.results if r.name == "sample")
    assert not sample.passed
    assert "3 planned" in sample.detail


def test_starting_stopping_and_concluding_move_the_hypothesis_along(demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)
    assert exp.hypothesis.status == HypothesisStatus.RUNNING

    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="stop")
    exp.hypothesis.refresh_from_db()
    assert exp.hypothesis.status == HypothesisStatus.ANALYZING

    with pytest.raises(ValidationError) as error:
        services.experiment_transition(
            actor=demo.users["aisha"], experiment=exp, action="conclude", decision="ship"
        )
    assert "rationale" in error.value.message_dict

    services.experiment_transition(
        actor=demo.users["aisha"], experiment=exp, action="conclude", decision="ship",
        rationale="Conversion rose 8 % with no guardrail harmed.",
    )  # fmt: skip
    exp.refresh_from_db()
    exp.hypothesis.refresh_from_db()
    assert (exp.status, exp.decision) == (Status.CONCLUDED, "ship")
    assert exp.hypothesis.status == HypothesisStatus.CONCLUDED


def test_a_stakeholder_cannot_move_an_experiment(demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)

    with pytest.raises(PermissionDenied):
        services.experiment_transition(actor=demo.users["sofia"], experiment=exp, action="stop")

    assert Transition.objects.filter(experiment=exp, action="stop").count() == 0


def test_a_reset_keeps_the_old_snapshots_marked_invalid(demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)
    old = services.snapshot_store(
        actor=demo.users["aisha"], experiment=exp, rows=f.push_rows(exp), source="push"
    )

    with pytest.raises(ValidationError):
        services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="reset")
    services.experiment_transition(
        actor=demo.users["aisha"], experiment=exp, action="reset", reason="Assignment bug."
    )

    old.refresh_from_db()
    exp.refresh_from_db()
    assert (exp.status, exp.run) == (Status.RUNNING, 2)
    assert old.valid is False
    assert not Snapshot.objects.current().filter(experiment=exp, run=exp.run).exists()


def test_pushed_statistics_are_analysed_and_a_fixed_horizon_peek_is_provisional(demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)

    snapshot = services.snapshot_store(
        actor=demo.users["aisha"], experiment=exp, rows=f.push_rows(exp), source="push"
    )

    analysis = snapshot.analysis
    assert snapshot.source == SnapshotSource.PUSH and snapshot.status == SnapshotStatus.DONE
    primary = analysis["metrics"][0]
    assert primary["key"] == "checkout-conversion"
    assert primary["arms"][0]["relative_lift"] == pytest.approx(0.12)
    assert analysis["units"] == 20_000
    assert analysis["planned_units"] > 20_000
    assert analysis["provisional"] is True
    assert analysis["recommendations"][0]["verdict"] == "keep running"


def test_pushed_rows_must_name_the_designs_metrics_and_variants(demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)
    rows = f.push_rows(exp)
    rows[1]["variant"] = "nobody"

    with pytest.raises(ValidationError) as error:
        services.snapshot_store(actor=demo.users["aisha"], experiment=exp, rows=rows, source="push")

    assert "rows[1].variant" in error.value.message_dict
    assert not Snapshot.objects.filter(experiment=exp).exists()


def test_refresh_now_returns_the_pull_already_waiting(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    exp = f.launched(demo, monkeypatch)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
        second = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)

    assert first.pk == second.pk
    assert first.status == SnapshotStatus.QUEUED
    assert len(callbacks) == 1


def test_a_doubled_schedule_tick_stores_one_snapshot_per_slot(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    exp = f.launched(demo, monkeypatch)
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=False):
        assert services.pulls_schedule_due(now=now) == 1
        assert services.pulls_schedule_due(now=now + datetime.timedelta(seconds=30)) == 0
        assert services.pulls_schedule_due(now=now + datetime.timedelta(minutes=61)) == 1

    assert Snapshot.objects.filter(experiment=exp).count() == 2


def test_a_guardrail_breach_emails_the_owner_and_the_statistics_lead_once(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    exp = f.launched(demo, monkeypatch)
    rows = f.push_rows(exp, counts=(200_000, 200_000), conversions=(10_000, 10_000))
    for row in rows:
        if row["metric"] == "page-load-ms" and row["variant"] == "treatment":
            row["sum"], row["sum_squares"] = 120.0 * 200_000, (120.0**2 + 400.0) * 200_000

    def store():
        with django_capture_on_commit_callbacks(execute=True):
            snapshot = services.snapshot_store(
                actor=demo.users["aisha"], experiment=exp, rows=rows, source="push"
            )
            services.snapshot_alerts_queue(snapshot.pk)
        return snapshot

    first = store()
    second = store()

    assert first.analysis["metrics"][2]["arms"][0]["guardrail"] == "fail"
    assert sorted(m.to[0] for m in mail.outbox) == ["aisha@example.com", "marco@example.com"]
    assert "page-load-ms" not in mail.outbox[0].subject or "Page Load Ms" in mail.outbox[0].body
    second.refresh_from_db()
    assert second.alert_keys == []
