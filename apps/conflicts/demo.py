"""The demo program's conflicts: two tests that collide on the checkout page, one layer
promised beyond its traffic, and the interaction check run on the demo warehouse.

Runs after the experiments' demo (which fills the demo warehouse and runs six experiments
in the Storefront layer, so they never collide). Everything goes through the services, as
people would; only dates are moved back afterwards, since a service stamps "now" and the
story began days ago. Idempotent: an experiment is looked up by key and left alone when it
exists; the warehouse rows are written again (the experiments' demo rebuilds the file).

- "Express checkout button" (Lena) changes the checkout page for everyone, outside any
  layer, while "One-page checkout" runs there: a blocking surface collision. The statistics
  lead acknowledged it before launch, saying the interaction check would watch it; the
  warehouse holds its exposures on the same visitors, so the check has data.
- "Trust badges at checkout" (Aisha), approved to start tomorrow for DE and AT, collides
  with both: its launch is blocked until the statistics lead acknowledges.
- The Checkout layer: "One-tap reorder" (60 %) is still running two days past its planned
  end, and "Saved carts" (60 %) was approved to start the day after that end. The design
  service counts a layer's shares by planned dates, so both designs passed; the conflict
  scan counts a running experiment until it stops and finds the layer at 120 %.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DemoPeople
from apps.backlog import services as backlog
from apps.backlog.models import Hypothesis
from apps.backlog.models import Status as HypothesisStatus
from apps.experiments import services as experiments
from apps.experiments.models import (
    DataSource,
    Experiment,
    Layer,
    Metric,
    Status,
    Surface,
)
from apps.experiments.services import MetricSpec, VariantSpec

from . import services
from .models import Conflict, ConflictStatus, Kind, Severity

logger = logging.getLogger(__name__)

SOURCE = "Demo warehouse (DuckDB)"
EXPRESS, BADGES = "express-checkout", "checkout-trust-badges"
REORDER, CARTS = "one-tap-reorder", "saved-carts"
PARTNER = "checkout-redesign"  # the experiments' demo test the express button collides with
ACKNOWLEDGEMENT = (
    "Both change the checkout page for the same visitors. One-page checkout ends within "
    "the week and the interaction check on the warehouse watches the pair; we read the "
    "express button's result again once One-page checkout has stopped."
)


def _hypothesis(people: DemoPeople, owner: str, title: str, change: str) -> Hypothesis:
    found = Hypothesis.objects.filter(working_group=people.group, title=title).first()
    if found is not None:
        return found
    hypothesis = backlog.hypothesis_propose(
        actor=people.users[owner], group=people.group, title=title, change=change,
        metric="purchase conversion", rationale="Fewer steps before paying.",
    )  # fmt: skip
    backlog.hypothesis_transition(actor=people.users["priya"], hypothesis=hypothesis,
                                  to_status=HypothesisStatus.ACCEPTED)  # fmt: skip
    return hypothesis


def _design(people, owner: str, key: str, title: str, change: str, **fields) -> Experiment:
    found = Experiment.objects.filter(working_group=people.group, key=key).first()
    if found is not None:
        return found
    group = people.group
    source = DataSource.objects.get(working_group=group, name=SOURCE)
    metrics = [
        MetricSpec(Metric.objects.get(working_group=group, key="conversion"), "primary"),
        MetricSpec(Metric.objects.get(working_group=group, key="page_load_time"), "guardrail",
                   harm_threshold=0.05),
    ]  # fmt: skip
    exp = experiments.experiment_create(
        actor=people.users[owner], hypothesis=_hypothesis(people, owner, title, change),
        key=key, title=title, description=change, data_source=source, metrics=metrics,
        variants=[VariantSpec("control", 1, True), VariantSpec("treatment", 1)],
        baseline=0.35, mde=0.1, daily_traffic=4000, **fields,
    )  # fmt: skip
    experiments.experiment_transition(actor=people.users[owner], experiment=exp, action="submit")
    experiments.experiment_transition(actor=people.users["marco"], experiment=exp,
                                      action="approve")  # fmt: skip
    return exp


def _share_visitors(source: DataSource) -> int:
    """Expose One-page checkout's visitors to the express button too, split 50/50 by a hash
    of the unit (independent of One-page checkout's own split), an hour after their first
    visit: the two tests really ran on the same people."""
    import duckdb

    path = source.config["path"]
    with duckdb.connect(path) as con:
        con.execute("DELETE FROM exposures WHERE experiment_key = ?", [EXPRESS])
        con.execute(
            "INSERT INTO exposures SELECT ?, unit_id, CASE WHEN hash(unit_id * 7919) % 2 = 0 "
            "THEN 'control' ELSE 'treatment' END, first_exposure_at + INTERVAL 1 HOUR, country, "
            "platform, visitor_type FROM exposures WHERE experiment_key = ?",
            [EXPRESS, PARTNER],
        )
        row = con.execute(
            "SELECT count(*) FROM exposures WHERE experiment_key = ?", [EXPRESS]
        ).fetchone()
        con.execute("CHECKPOINT")
    return int(row[0]) if row else 0


def _express(people: DemoPeople, checkout: Surface, partner: Experiment) -> Experiment:
    exp = _design(
        people, "lena", EXPRESS, "Express checkout button",
        "An express-pay button above the basket lets returning visitors pay in one tap.",
        surfaces=[checkout], planned_start=partner.planned_start,
        planned_end=partner.planned_end,
    )  # fmt: skip
    if exp.status != Status.APPROVED:
        return exp
    # Its launch is blocked until the statistics lead acknowledges each blocking conflict.
    services.conflicts_check_experiment(experiment=exp)
    for conflict in (
        Conflict.objects.unresolved()
        .involving(exp.pk)
        .filter(severity=Severity.BLOCKING, status=ConflictStatus.OPEN)
    ):
        services.conflict_acknowledge(actor=people.users["marco"], conflict=conflict,
                                      reason=ACKNOWLEDGEMENT)  # fmt: skip
    experiments.experiment_transition(actor=people.users["lena"], experiment=exp, action="start")
    Experiment.objects.filter(pk=exp.pk).update(started_at=partner.started_at)
    return exp


def _layer_story(people: DemoPeople, today: datetime.date) -> None:
    """Two designs that each fit the Checkout layer by planned dates; moved back in time,
    the first still runs when the second is due."""
    if Experiment.objects.filter(working_group=people.group, key=REORDER).exists():
        return
    layer = Layer.objects.get(working_group=people.group, name="Checkout")
    reorder = _design(
        people, "tomas", REORDER, "One-tap reorder",
        "Returning buyers reorder their last basket in one tap.", layer=layer,
        layer_share=60, planned_start=today, planned_end=today + datetime.timedelta(days=10),
    )  # fmt: skip
    carts = _design(
        people, "aisha", CARTS, "Saved carts",
        "A cart left behind is kept for 30 days and offered on the next visit.", layer=layer,
        layer_share=60, planned_start=today + datetime.timedelta(days=11),
        planned_end=today + datetime.timedelta(days=30),
    )  # fmt: skip
    experiments.experiment_transition(actor=people.users["tomas"], experiment=reorder,
                                      action="start")  # fmt: skip
    shift = datetime.timedelta(days=12)
    with transaction.atomic():
        for exp in (reorder, carts):
            assert exp.planned_start is not None and exp.planned_end is not None
            Experiment.objects.filter(pk=exp.pk).update(
                planned_start=exp.planned_start - shift, planned_end=exp.planned_end - shift
            )
        Experiment.objects.filter(pk=reorder.pk).update(
            started_at=timezone.now() - shift, approved_at=timezone.now() - shift
        )


def seed_conflicts(people: DemoPeople) -> str:
    group = people.group
    source = DataSource.objects.filter(working_group=group, name=SOURCE).first()
    partner = Experiment.objects.filter(working_group=group, key=PARTNER).first()
    if source is None or partner is None:
        return "conflicts: no demo experiments to collide with"
    today = timezone.localdate()
    checkout = Surface.objects.get(working_group=group, name="Checkout page")
    shared = _share_visitors(source)
    express = _express(people, checkout, partner)
    _design(
        people, "aisha", BADGES, "Trust badges at checkout",
        "Payment and returns badges beside the pay button reassure first-time buyers.",
        surfaces=[checkout], planned_start=today + datetime.timedelta(days=1),
        planned_end=today + datetime.timedelta(days=22),
        audience=[{"attribute": "country", "operator": "in", "values": ["DE", "AT"]}],
    )  # fmt: skip
    _layer_story(people, today)
    scan = services.conflicts_scan(notify=False)
    pair = (
        Conflict.objects.unresolved()
        .filter(kind=Kind.SURFACE_COLLISION)
        .involving(express.pk)
        .involving(partner.pk)
        .first()
    )
    verdict = "not run"
    if pair is not None:
        verdict = services.conflict_interaction(conflict_id=pair.pk).verdict or "no verdict"
    open_now = Conflict.objects.filter(working_group=group).unresolved().count()
    return (f"conflicts: {open_now} unresolved ({scan.as_dict()['opened']} opened by the scan), "
            f"{shared} shared exposures, interaction check {verdict}")  # fmt: skip
