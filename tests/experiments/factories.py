"""Experiments built through the services, for tests that need one in a given state.

`design(demo)` drafts a two-arm experiment on an accepted hypothesis of the demo group with a
DuckDB data source (no file is opened: probing is off), a primary conversion metric, a
revenue metric and a guardrail; `launched(demo)` takes it through review and approval and
starts it with the checklist's warehouse checks replaced, for tests that need a running one.
"""

import datetime

from django.utils import timezone

from apps.backlog.models import Status as HypothesisStatus
from apps.experiments import services
from apps.experiments.models import DataSource, Experiment, Metric, MetricKind, SourceKind
from apps.experiments.services import MetricSpec, VariantSpec
from tests.backlog.factories import HypothesisFactory

ASSIGNMENT_SQL = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform FROM exposures"
)


def accepted_hypothesis(demo, owner: str = "aisha", **extra):
    user = demo.users[owner]
    return HypothesisFactory(
        working_group=demo.group, proposer=user, owner=user,
        status=HypothesisStatus.ACCEPTED, **extra,
    )  # fmt: skip


def source(demo, **extra) -> DataSource:
    return DataSource.objects.get_or_create(
        working_group=demo.group,
        name=extra.pop("name", "Warehouse"),
        defaults={
            "kind": SourceKind.DUCKDB,
            "config": {"path": extra.pop("path", "/nonexistent/warehouse.duckdb")},
            "assignment_sql": ASSIGNMENT_SQL,
            "segment_columns": ["country", "platform"],
            **extra,
        },
    )[0]


def metric(demo, src: DataSource, key: str, kind: str = MetricKind.BINOMIAL, **extra) -> Metric:
    value = "numerator, denominator" if kind == MetricKind.RATIO else "value"
    return Metric.objects.get_or_create(
        working_group=demo.group,
        key=key,
        defaults={
            "data_source": src, "name": extra.pop("name", key.replace("-", " ").title()),
            "kind": kind, "sql": f"SELECT unit_id, ts, {value} FROM events WHERE name = '{key}'",
            "owner": demo.users["marco"], **extra,
        },
    )[0]  # fmt: skip


def design(demo, owner: str = "aisha", **fields) -> Experiment:
    src = fields.pop("data_source", None) or source(demo)
    hypothesis = fields.pop("hypothesis", None) or accepted_hypothesis(demo, owner)
    today = timezone.localdate()
    metrics = fields.pop("metrics", None) or [
        MetricSpec(metric(demo, src, "checkout-conversion"), "primary"),
        MetricSpec(metric(demo, src, "revenue", MetricKind.CONTINUOUS), "secondary"),
        MetricSpec(metric(demo, src, "page-load-ms", MetricKind.CONTINUOUS,
                          direction="decrease"), "guardrail", harm_threshold=0.05),
    ]  # fmt: skip
    values = {
        "data_source": src,
        "planned_start": today,
        "planned_end": today + datetime.timedelta(days=28),
        "baseline": 0.05,
        "mde": 0.05,
        "daily_traffic": 100_000,
        **fields,
    }
    return services.experiment_create(
        actor=demo.users[owner],
        hypothesis=hypothesis,
        variants=[VariantSpec("control", 1, True), VariantSpec("treatment", 1)],
        metrics=metrics,
        **values,
    )


def approved(demo, owner: str = "aisha", **fields) -> Experiment:
    exp = design(demo, owner, **fields)
    services.experiment_transition(actor=demo.users[owner], experiment=exp, action="submit")
    services.experiment_transition(actor=demo.users["marco"], experiment=exp, action="approve")
    return exp


def launched(demo, monkeypatch, owner: str = "aisha", **fields) -> Experiment:
    """A running experiment; the checklist's warehouse probe is replaced (no data source)."""
    from apps.experiments import checklist

    exp = approved(demo, owner, **fields)
    monkeypatch.setitem(
        checklist._CHECKS, "metrics",
        checklist.LaunchCheck("metrics", "Metrics", 20,
                              lambda e: checklist.CheckOutcome(True, "checked")),
    )  # fmt: skip
    services.experiment_transition(actor=demo.users[owner], experiment=exp, action="start")
    return exp


def push_rows(exp: Experiment, counts=(10_000, 10_000), conversions=(500, 560)) -> list[dict]:
    """Per-variant sums for every metric of the design, in the push API's shape."""
    rows = []
    for link in exp.metric_links.select_related("metric"):
        for variant, n, c in zip(("control", "treatment"), counts, conversions, strict=True):
            if link.metric.kind == MetricKind.BINOMIAL:
                rows.append(
                    {
                        "metric": link.metric.key,
                        "variant": variant,
                        "segment": None,
                        "segment_value": None,
                        "n": n,
                        "sum": c,
                        "sum_squares": c,
                    }
                )
            else:
                mean = 100.0 if variant == "control" else 101.0
                rows.append(
                    {
                        "metric": link.metric.key,
                        "variant": variant,
                        "segment": None,
                        "segment_value": None,
                        "n": n,
                        "sum": mean * n,
                        "sum_squares": (mean**2 + 400.0) * n,
                    }
                )
    return rows  # fmt: skip
