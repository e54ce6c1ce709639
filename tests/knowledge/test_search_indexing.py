"""The index follows the items: written on commit by the owning apps' saves, rebuilt whole
by reindex_knowledge, and carrying each item's visibility."""

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.knowledge import indexing
from apps.knowledge.models.search import Kind, SearchItem, StakeholderAccess


def item(kind, pk) -> SearchItem:
    return SearchItem.objects.get(kind=kind, object_id=pk)


def propose(demo, capture, **extra):
    from apps.backlog import services

    fields = {"title": "Delivery dates on product pages", "change": "show delivery dates",
              "metric": "order conversion", "rationale": "dates are easier to trust", **extra}  # fmt: skip
    with capture(execute=True):
        return services.hypothesis_propose(actor=demo.users["lena"], group=demo.group, **fields)


def test_a_proposed_hypothesis_is_indexed_when_the_transaction_commits(
    demo, django_capture_on_commit_callbacks
):
    from apps.backlog import services

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        h = services.hypothesis_propose(
            actor=demo.users["lena"], group=demo.group, title="Delivery dates",
            change="show delivery dates", metric="conversion", rationale="trust",
        )  # fmt: skip
        assert not SearchItem.objects.filter(kind=Kind.HYPOTHESIS, object_id=h.pk).exists()
    # One batch for the whole transaction, however many rows the service saved.
    flushes = [c for c in callbacks if getattr(c, "__qualname__", "") == "_Batch.flush"]
    assert len(flushes) == 1
    flushes[0]()
    row = item(Kind.HYPOTHESIS, h.pk)
    assert row.title == "Delivery dates" and row.status == "proposed"
    assert row.stakeholders == StakeholderAccess.ALL and row.working_group_id == demo.group.pk
    assert "show delivery dates" in row.statement


def test_a_rejected_hypothesis_keeps_its_reason_searchable(
    demo, django_capture_on_commit_callbacks
):
    from apps.backlog import services

    h = propose(demo, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.hypothesis_transition(actor=demo.users["priya"], hypothesis=h,
                                       to_status="rejected", reason="Legal said no to dates")  # fmt: skip
    row = item(Kind.HYPOTHESIS, h.pk)
    assert row.status == "rejected" and "Legal said no" in row.text_c


def test_tags_added_later_reach_the_index(demo, django_capture_on_commit_callbacks):
    from apps.backlog.models import Tag

    h = propose(demo, django_capture_on_commit_callbacks)
    tag = Tag.objects.create(working_group=demo.group, name="Delivery", slug="delivery")
    with django_capture_on_commit_callbacks(execute=True):
        h.tags.add(tag)
    assert item(Kind.HYPOTHESIS, h.pk).tags == ["Delivery"]
    with django_capture_on_commit_callbacks(execute=True):
        tag.hypotheses.remove(h)
    assert item(Kind.HYPOTHESIS, h.pk).tags == []


def test_a_deleted_item_leaves_the_index(demo, django_capture_on_commit_callbacks):
    h = propose(demo, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        h.delete()
    assert not SearchItem.objects.filter(kind=Kind.HYPOTHESIS, object_id=h.pk).exists()


def test_a_rolled_back_transaction_does_not_swallow_the_next_one(
    demo, django_capture_on_commit_callbacks
):
    h = propose(demo, django_capture_on_commit_callbacks)
    SearchItem.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                indexing.touch([(Kind.HYPOTHESIS, h.pk)])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        indexing.touch([(Kind.HYPOTHESIS, h.pk)])
    assert item(Kind.HYPOTHESIS, h.pk).title == h.title


@pytest.fixture
def confidential_experiment(demo, django_capture_on_commit_callbacks):
    """An experiment answering a milestone of a confidential Commerce plan."""
    from tests.experiments import factories as f
    from tests.roadmap.factories import milestones_of, plan_with

    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_with(demo, confidential=True, title="Membership pricing")
        point = milestones_of(plan)[0]
        experiment = f.design(demo, owner="lena", milestone=point)
    return plan, experiment


def test_an_experiment_on_a_confidential_plan_is_as_hidden_as_the_plan(
    demo, confidential_experiment, django_capture_on_commit_callbacks
):
    from apps.roadmap import services

    plan, experiment = confidential_experiment
    row = item(Kind.EXPERIMENT, experiment.pk)
    assert (row.stakeholders, row.access_unit_id) == (StakeholderAccess.UNIT, plan.business_unit_id)
    assert item(Kind.PLAN, plan.pk).stakeholders == StakeholderAccess.UNIT
    assert not SearchItem.objects.visible_to(demo.users["james"]).filter(pk=row.pk).exists()
    assert SearchItem.objects.visible_to(demo.users["sofia"]).filter(pk=row.pk).exists()

    # Lifting the confidentiality reindexes what rests on the plan.
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_update(actor=demo.users["priya"], plan=plan, version=plan.version,
                             confidential=False)  # fmt: skip
    assert item(Kind.EXPERIMENT, experiment.pk).stakeholders == StakeholderAccess.ALL
    assert SearchItem.objects.visible_to(demo.users["james"]).filter(pk=row.pk).exists()


def test_a_concluded_experiment_carries_its_outcome_and_lift(
    demo, django_capture_on_commit_callbacks
):
    from apps.experiments.models import Snapshot, SnapshotStatus
    from tests.experiments import factories as f

    with django_capture_on_commit_callbacks(execute=True):
        experiment = f.design(demo)
    analysis = {"metrics": [{"role": "primary", "name": "Order conversion", "higher_is_better": True,
                             "arms": [{"name": "Treatment", "relative_lift": 0.041, "ci_low": 0.017,
                                       "ci_high": 0.066, "significant": True}]}]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        Snapshot.objects.create(experiment=experiment, run=1, slot="s", analysis=analysis,
                                status=SnapshotStatus.DONE)  # fmt: skip
        experiment.status, experiment.decision = "concluded", "ship"
        experiment.save(update_fields=["status", "decision"])
    row = item(Kind.EXPERIMENT, experiment.pk)
    assert (row.outcome, row.lift, row.lift_low, row.lift_high) == ("won", 0.041, 0.017, 0.066)
    # Its hypothesis shows the result too.
    assert item(Kind.HYPOTHESIS, experiment.hypothesis_id).outcome == "won"


def test_reindex_knowledge_rebuilds_the_whole_index(demo, django_capture_on_commit_callbacks):
    h = propose(demo, django_capture_on_commit_callbacks)
    SearchItem.objects.all().delete()
    SearchItem.objects.create(kind=Kind.HYPOTHESIS, object_id=999_999, working_group=demo.group,
                              title="Gone", url="/gone/")  # fmt: skip
    call_command("reindex_knowledge", stdout=__import__("io").StringIO())
    assert item(Kind.HYPOTHESIS, h.pk).title == h.title
    assert not SearchItem.objects.filter(object_id=999_999).exists()
