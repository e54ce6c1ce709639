"""The demo program's experiments, with real results pulled from a generated warehouse.

`seed_experiments` writes a DuckDB file of exposures and events with known true effects
(`warehouse.demo_data`: a clear win, a flat result, a guardrail breach, a sample ratio
mismatch, an A/A check and a ratio metric), configures it as the group's data source, drafts
one experiment per generated test from an accepted hypothesis, takes each through review,
approval and launch, and pulls its results: four looks over its run so far (the history
the cumulative-effect chart draws), then the current one.

Everything goes through the services, as people would; only the start times are moved back
afterwards, since a service stamps "now" and the story began days ago. Idempotent: an
experiment is looked up by key and left alone when it exists.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.demo import DemoPeople
from apps.backlog import services as backlog
from apps.backlog.models import Hypothesis
from apps.backlog.models import Status as HypothesisStatus

from . import services
from .models import DataSource, Experiment, Layer, Metric, SnapshotSource, SourceKind, Surface
from .services import MetricSpec, VariantSpec
from .warehouse.demo_data import build_demo_warehouse

logger = logging.getLogger(__name__)

OWNERS = {
    "checkout-redesign": "lena",
    "search-ranking": "tomas",
    "image-cdn": "tomas",
    "pricing-banner": "aisha",
    "platform-aa": "marco",
    "bundle-offer": "aisha",
}
SURFACES = {
    "checkout-redesign": ["Checkout page"],
    "search-ranking": ["Search ranking"],
    "image-cdn": ["Product pages"],
    "pricing-banner": ["Product pages", "Checkout page"],
    "platform-aa": ["Product pages"],
    "bundle-offer": ["Checkout page"],
}
# The baseline conversion the generator draws around, and traffic per day, so each design's
# sample size fits the days it has run: the results are read, not provisional.
BASELINE = 0.35
LOOKS = 4
# Any seed generates the same true effects; at this one chance stays within the noise for the
# flat and the A/A tests (at a few others the flat test crossed p < 0.01 by luck alone), so
# the demo shows each case as it is meant to be read.
DEMO_SEED = 3
# The generated tests never share a unit (each has its own visitors), which is what a layer
# of mutually exclusive traffic promises: all six draw their share of it, so the pre-launch
# check finds no conflict between them although several change the same pages.
STOREFRONT = "Storefront"
LAYER_SHARE = 16


def warehouse_path() -> Path:
    return Path(str(settings.EXPERIMENTS_DEMO_WAREHOUSE))


def _hypothesis(people: DemoPeople, key: str, title: str, description: str) -> Hypothesis:
    group, owner = people.group, people.users[OWNERS[key]]
    found = Hypothesis.objects.filter(working_group=group, title=title).first()
    if found is not None:
        return found
    hypothesis = backlog.hypothesis_propose(
        actor=owner, group=group, title=title, change=description,
        metric="purchase conversion", rationale="The program's demo warehouse tests it.",
    )  # fmt: skip
    backlog.hypothesis_transition(
        actor=people.users["priya"], hypothesis=hypothesis, to_status=HypothesisStatus.ACCEPTED
    )
    return hypothesis


def _source(people: DemoPeople, demo) -> DataSource:
    source, _ = DataSource.objects.update_or_create(
        working_group=people.group, name="Demo warehouse (DuckDB)",
        defaults={"kind": SourceKind.DUCKDB, "config": demo.config,
                  "assignment_sql": demo.assignment_sql,
                  "segment_columns": list(demo.segments), "created_by": people.users["dana"]},
    )  # fmt: skip
    return source


def _metrics(people: DemoPeople, source: DataSource, demo) -> dict[str, Metric]:
    metrics = {}
    for m in demo.metrics:
        found = Metric.objects.filter(working_group=people.group, key=slugify(m.key))
        metrics[m.key] = found.first() or services.metric_create(
            actor=people.users["marco"], group=people.group, source=source, key=m.key,
            name=m.name, kind=m.kind, direction=m.direction, sql=m.sql,
            covariate_sql=m.covariate_sql or "", description=m.description,
            tags=["demo"], probe=False,
        )  # fmt: skip
    return metrics


def seed_experiments(people: DemoPeople) -> str:
    now = timezone.now()
    path = warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    demo = build_demo_warehouse(
        str(path), seed=DEMO_SEED, units_per_experiment=settings.EXPERIMENTS_DEMO_UNITS, now=now
    )
    with transaction.atomic():
        source = _source(people, demo)
        metrics = _metrics(people, source, demo)
        surfaces = {
            name: Surface.objects.get_or_create(working_group=people.group, name=name)[0]
            for names in SURFACES.values() for name in names
        }  # fmt: skip
        Layer.objects.get_or_create(
            working_group=people.group, name="Checkout",
            defaults={"description": "Checkout changes share its traffic, never overlap."},
        )  # fmt: skip
        Layer.objects.get_or_create(
            working_group=people.group, name=STOREFRONT,
            defaults={"description": "The demo's concurrent tests: each draws its own share of "
                      "visitors, so none overlaps another on a page."},
        )  # fmt: skip
    created = []
    for spec in demo.experiments:
        if Experiment.objects.filter(working_group=people.group, key=spec.key).exists():
            continue
        created.append(_run(people, spec, source, metrics, surfaces, now))
    return f"{len(created)} experiments with pulled results, warehouse {path.name}"


def _run(people, spec, source, metrics, surfaces, now) -> Experiment:
    owner = people.users[OWNERS[spec.key]]
    days_run = max(1, (now - spec.start).days)
    units_per_day = settings.EXPERIMENTS_DEMO_UNITS / days_run
    links = [MetricSpec(metrics[spec.primary], "primary")]
    links += [MetricSpec(metrics[g], "guardrail", harm_threshold=0.05) for g in spec.guardrails]
    links += [MetricSpec(metrics[k], "secondary") for k in ("revenue",)
              if k != spec.primary and k not in spec.guardrails]  # fmt: skip
    with transaction.atomic():
        exp = services.experiment_create(
            actor=owner,
            hypothesis=_hypothesis(people, spec.key, spec.title, spec.description),
            key=spec.key, title=spec.title, type=spec.type, description=spec.description,
            data_source=source,
            variants=[VariantSpec(name, weight, i == 0)
                      for i, (name, weight) in enumerate(spec.variants)],
            metrics=links, surfaces=[surfaces[s] for s in SURFACES[spec.key]],
            planned_start=spec.start.date(), planned_end=(spec.start + datetime.timedelta(days=28)).date(),
            baseline=BASELINE if metrics[spec.primary].kind == "binomial" else 60.0,
            baseline_sd=None if metrics[spec.primary].kind == "binomial" else 60.0,
            mde=0.1, daily_traffic=units_per_day * 100 / LAYER_SHARE, correction="holm",
            layer=Layer.objects.get(working_group=people.group, name=STOREFRONT),
            layer_share=LAYER_SHARE,
        )  # fmt: skip
        services.experiment_transition(actor=owner, experiment=exp, action="submit")
        services.experiment_transition(actor=people.users["marco"], experiment=exp,
                                       action="approve")  # fmt: skip
        services.experiment_transition(actor=owner, experiment=exp, action="start")
        Experiment.objects.filter(pk=exp.pk).update(started_at=spec.start)
    # The history first (what each look showed then), then today's look.
    span = now - spec.start
    for look in range(1, LOOKS + 1):
        until = spec.start + span * look / (LOOKS + 1)
        snapshot = services.snapshot_create(experiment=exp, slot=f"demo:{look}",
                                            source=SnapshotSource.PULL)  # fmt: skip
        services.snapshot_pull(snapshot.pk, final_attempt=True, until=until)
    snapshot = services.snapshot_create(experiment=exp, slot="demo:now", source=SnapshotSource.PULL)
    services.snapshot_pull(snapshot.pk, final_attempt=True)
    return exp
