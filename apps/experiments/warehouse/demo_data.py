"""A DuckDB warehouse of generated experiments whose true effects are known.

The demo program and the tests pull from it as they would from a company's warehouse:
`exposures` (who saw which variant, when, from where), `events` (page views with their
load time, purchases with their revenue) and `pre_period` (each unit's revenue before any
experiment, for CUPED). Six experiments cover what a results page must show: a clear win,
a flat result, a guardrail breach, a sample ratio mismatch, an A/A test and a ratio metric.

Generated with numpy from one seed and written with DuckDB's bulk insert, so 6 × 20,000
units take about a second.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from .contract import MetricQuery, PullRequest

ASSIGNMENT_SQL = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform, visitor_type "
    "FROM exposures"
)
SEGMENTS = ("country", "platform", "visitor_type")
COUNTRIES = (("US", 0.40), ("DE", 0.20), ("GB", 0.15), ("FR", 0.15), ("BR", 0.10))
PLATFORMS = (("web", 0.55), ("ios", 0.25), ("android", 0.20))
VISITOR_TYPES = (("returning", 0.65), ("new", 0.35))
# Per-unit tendencies that make segments differ, as real traffic does.
CONVERSION_BY_VISITOR = {"returning": 0.40, "new": 0.24}
CONVERSION_BY_PLATFORM = {"web": 1.0, "ios": 1.1, "android": 0.85}
LOAD_MS_BY_PLATFORM = {"web": 1300.0, "ios": 900.0, "android": 1100.0}
ORDER_VALUE = 45.0  # median of one order, before the unit's own spending level


@dataclass(frozen=True)
class DemoMetric:
    key: str
    name: str
    kind: str
    direction: str  # "increase" or "decrease": which way is better
    sql: str
    covariate_sql: str | None
    description: str

    def query(self, *, cuped: bool = True) -> MetricQuery:
        return MetricQuery(self.key, self.kind, self.sql, self.covariate_sql if cuped else None)


@dataclass(frozen=True)
class DemoExperiment:
    key: str
    title: str
    type: str  # "ab" or "aa"
    description: str
    variants: tuple[tuple[str, float], ...]  # (name, planned weight); control first
    observed_split: tuple[float, ...]  # the shares actually assigned (≠ weights for the SRM)
    true_effects: Mapping[str, float]  # metric key → relative effect of the treatment
    primary: str
    guardrails: tuple[str, ...]
    start: datetime


@dataclass(frozen=True)
class DemoWarehouse:
    path: str
    assignment_sql: str
    segments: tuple[str, ...]
    metrics: tuple[DemoMetric, ...]
    experiments: tuple[DemoExperiment, ...]
    counts: Mapping[str, int] = field(default_factory=dict)  # rows per table

    @property
    def config(self) -> dict[str, str]:
        """The DuckDB data source's settings."""
        return {"path": self.path}

    def experiment(self, key: str) -> DemoExperiment:
        return next(e for e in self.experiments if e.key == key)

    def request(self, key: str, *, end: datetime | None = None) -> PullRequest:
        """A pull of one experiment with every demo metric and segment."""
        experiment = self.experiment(key)
        return PullRequest(
            experiment_key=key,
            assignment_sql=self.assignment_sql,
            variants=tuple(name for name, _ in experiment.variants),
            start=experiment.start,
            end=end,
            segments=self.segments,
            metrics=tuple(m.query() for m in self.metrics),
        )


METRICS = (
    DemoMetric(
        key="conversion",
        name="Purchase conversion",
        kind="binomial",
        direction="increase",
        sql="SELECT unit_id, ts, 1 AS value FROM events WHERE event = 'purchase'",
        covariate_sql=None,
        description="Share of exposed visitors who bought at least once after exposure.",
    ),
    DemoMetric(
        key="revenue",
        name="Revenue per visitor",
        kind="continuous",
        direction="increase",
        sql="SELECT unit_id, ts, revenue AS value FROM events WHERE event = 'purchase'",
        covariate_sql="SELECT unit_id, revenue AS value FROM pre_period",
        description="Revenue after exposure per exposed visitor, in euros; CUPED uses the "
        "visitor's revenue in the 28 days before any experiment.",
    ),
    DemoMetric(
        key="page_load_time",
        name="Page load time",
        kind="continuous",
        direction="decrease",
        sql="SELECT unit_id, ts, load_ms AS value FROM events WHERE event = 'page_view'",
        covariate_sql=None,
        description="Load time of the first page after exposure, in milliseconds (guardrail).",
    ),
    DemoMetric(
        key="revenue_per_order",
        name="Revenue per order",
        kind="ratio",
        direction="increase",
        sql="SELECT unit_id, ts, revenue AS numerator, 1 AS denominator FROM events "
        "WHERE event = 'purchase'",
        covariate_sql=None,
        description="Average order value: revenue over orders, analysed with the delta method.",
    ),
)
NO_EFFECT = {m.key: 0.0 for m in METRICS}
AB = (("control", 0.5), ("treatment", 0.5))


def _experiments(now: datetime) -> tuple[DemoExperiment, ...]:
    def started(days: int) -> datetime:
        return (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)

    return (
        DemoExperiment(
            key="checkout-redesign",
            title="One-page checkout",
            type="ab",
            description="Checkout on one page instead of three: a clear win on conversion.",
            variants=AB,
            observed_split=(0.5, 0.5),
            true_effects={**NO_EFFECT, "conversion": 0.08, "revenue": 0.08},
            primary="conversion",
            guardrails=("page_load_time",),
            start=started(21),
        ),
        DemoExperiment(
            key="search-ranking",
            title="Popularity-weighted search ranking",
            type="ab",
            description="A new ranking that changes nothing measurable: a flat result.",
            variants=AB,
            observed_split=(0.5, 0.5),
            true_effects=NO_EFFECT,
            primary="conversion",
            guardrails=("page_load_time",),
            start=started(18),
        ),
        DemoExperiment(
            key="image-cdn",
            title="Product images from the new CDN",
            type="ab",
            description="Images from a new CDN: pages load 10 % slower, a guardrail breach.",
            variants=AB,
            observed_split=(0.5, 0.5),
            true_effects={**NO_EFFECT, "page_load_time": 0.10},
            primary="conversion",
            guardrails=("page_load_time",),
            start=started(14),
        ),
        DemoExperiment(
            key="pricing-banner",
            title="Free-shipping banner",
            type="ab",
            description="Planned 50/50, but a redirect drops some treatment visitors: the "
            "observed split is 52/48, a sample ratio mismatch.",
            variants=AB,
            observed_split=(0.52, 0.48),
            true_effects=NO_EFFECT,
            primary="conversion",
            guardrails=("page_load_time",),
            start=started(12),
        ),
        DemoExperiment(
            key="platform-aa",
            title="A/A check of the assignment service",
            type="aa",
            description="Both arms get the same experience: any difference is chance.",
            variants=(("control", 0.5), ("control_b", 0.5)),
            observed_split=(0.5, 0.5),
            true_effects=NO_EFFECT,
            primary="conversion",
            guardrails=("page_load_time",),
            start=started(10),
        ),
        DemoExperiment(
            key="bundle-offer",
            title="Bundle offer at checkout",
            type="ab",
            description="Offering a bundle raises the value of each order by 6 %.",
            variants=AB,
            observed_split=(0.5, 0.5),
            true_effects={**NO_EFFECT, "revenue_per_order": 0.06, "revenue": 0.06},
            primary="revenue_per_order",
            guardrails=("page_load_time", "conversion"),
            start=started(16),
        ),
    )


def _pick(rng: np.random.Generator, choices: tuple[tuple[str, float], ...], size: int) -> Any:
    names = np.array([name for name, _ in choices], dtype=object)
    return names[rng.choice(len(choices), size=size, p=[weight for _, weight in choices])]


def _naive(moment: datetime) -> np.datetime64:
    # DuckDB's TIMESTAMP holds UTC without a zone; the adapter reads it as UTC.
    return np.datetime64(moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta()), "us")


def _generate(
    rng: np.random.Generator, experiment: DemoExperiment, index: int, units: int, now: datetime
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Exposures, events and pre-period rows of one experiment, as column arrays."""
    ids = np.arange(units, dtype=np.int64) + (index + 1) * 10_000_000
    names = [name for name, _ in experiment.variants]
    # Exact shares, shuffled: the SRM shows its 52/48 at any seed, the others their 50/50.
    counts = np.floor(np.array(experiment.observed_split) * units).astype(int)
    counts[0] += units - counts.sum()
    arm = rng.permutation(np.repeat(np.arange(len(names)), counts))
    treated = arm != 0
    country = _pick(rng, COUNTRIES, units)
    platform = _pick(rng, PLATFORMS, units)
    visitor = _pick(rng, VISITOR_TYPES, units)
    start, end = _naive(experiment.start), _naive(now) - np.timedelta64(1, "h")
    span = int((end - start) / np.timedelta64(1, "s"))
    exposed = start + rng.integers(0, span, size=units).astype("timedelta64[s]")

    # Repeat visits in the same variant (about 10 %) and a few units that reached both
    # variants on two devices (0.4 %): the pull counts those and leaves them out.
    repeat = rng.random(units) < 0.10
    crossed = (rng.random(units) < 0.004) & ~repeat
    later = exposed + rng.integers(3600, 4 * 86400, size=units).astype("timedelta64[s]")
    extra = repeat | crossed
    extra_arm = np.where(crossed, np.where(arm == 0, 1, 0), arm)
    extra_at = np.minimum(later, end)
    exposures = {
        "experiment_key": np.full(units + int(extra.sum()), experiment.key, dtype=object),
        "unit_id": np.concatenate([ids, ids[extra]]),
        "variant": np.array(names, dtype=object)[np.concatenate([arm, extra_arm[extra]])],
        "first_exposure_at": np.concatenate([exposed, extra_at[extra]]).astype("datetime64[us]"),
        "country": np.concatenate([country, country[extra]]),
        "platform": np.concatenate([platform, platform[extra]]),
        "visitor_type": np.concatenate([visitor, visitor[extra]]),
    }

    effect = experiment.true_effects
    lift = {key: np.where(treated, 1.0 + value, 1.0) for key, value in effect.items()}
    spending = rng.lognormal(0.0, 0.5, size=units)  # the unit's own level, before and after

    # One page view at exposure; its load time depends on the platform.
    base_load = np.array([LOAD_MS_BY_PLATFORM[p] for p in platform])
    load_ms = base_load * rng.lognormal(0.0, 0.35, size=units) * lift["page_load_time"]
    viewed = exposed + rng.integers(1, 30, size=units).astype("timedelta64[s]")

    rate = np.array([CONVERSION_BY_VISITOR[v] for v in visitor]) * np.array(
        [CONVERSION_BY_PLATFORM[p] for p in platform]
    )
    converted = rng.random(units) < np.clip(rate * lift["conversion"], 0, 1)
    orders = np.where(converted, 1 + rng.poisson(0.4, size=units), 0)
    buyer = np.repeat(np.arange(units), orders)
    order_value = (
        ORDER_VALUE
        * spending[buyer]
        * rng.lognormal(0.0, 0.5, size=buyer.size)
        * lift["revenue_per_order"][buyer]
    )
    # Revenue per visitor moves with conversion and order value; any rest of its effect
    # (none in these experiments) would need its own lever.
    bought = exposed[buyer] + (rng.exponential(2.0, size=buyer.size) * 86400).astype(
        "timedelta64[s]"
    )
    keep = bought < _naive(now)
    buyer, order_value, bought = buyer[keep], order_value[keep], bought[keep]
    # Purchases in the days before exposure: the pull must not count them.
    early = np.flatnonzero(rng.random(units) < 0.05)
    early_at = exposed[early] - rng.integers(3600, 3 * 86400, size=early.size).astype(
        "timedelta64[s]"
    )
    early_value = ORDER_VALUE * spending[early] * rng.lognormal(0.0, 0.5, size=early.size)

    purchases = buyer.size + early.size
    events = {
        "unit_id": np.concatenate([ids, ids[buyer], ids[early]]),
        "ts": np.concatenate([viewed, bought, early_at]).astype("datetime64[us]"),
        "event": np.array(["page_view"] * units + ["purchase"] * purchases, dtype=object),
        "revenue": np.concatenate(
            [np.full(units, np.nan), np.round(order_value, 2), np.round(early_value, 2)]
        ),
        "load_ms": np.concatenate([np.round(load_ms, 1), np.full(purchases, np.nan)]),
    }
    had_history = rng.random(units) < 0.6
    pre_period = {
        "unit_id": ids[had_history],
        "revenue": np.round(
            ORDER_VALUE * spending[had_history] * rng.gamma(2.0, 0.8, size=int(had_history.sum())),
            2,
        ),
    }
    return exposures, events, pre_period


def build_demo_warehouse(
    path: str, *, seed: int = 7, units_per_experiment: int = 20_000, now: datetime
) -> DemoWarehouse:
    """Write the demo DuckDB file at `path` (replacing it) and describe what it holds."""
    import duckdb

    if now.tzinfo is None:
        raise ValueError("`now` must carry a time zone.")
    if units_per_experiment < 100:
        raise ValueError("At least 100 units per experiment.")
    rng = np.random.default_rng(seed)
    experiments = _experiments(now)
    parts: dict[str, list[dict[str, Any]]] = {"exposures": [], "events": [], "pre_period": []}
    for index, experiment in enumerate(experiments):
        exposures, events, pre_period = _generate(rng, experiment, index, units_per_experiment, now)
        parts["exposures"].append(exposures)
        parts["events"].append(events)
        parts["pre_period"].append(pre_period)

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    for leftover in (building, Path(f"{building}.wal")):
        leftover.unlink(missing_ok=True)
    connection = duckdb.connect(str(building))
    counts = {}
    try:
        connection.execute(
            "CREATE TABLE exposures (experiment_key VARCHAR, unit_id BIGINT, variant VARCHAR, "
            "first_exposure_at TIMESTAMP, country VARCHAR, platform VARCHAR, "
            "visitor_type VARCHAR)"
        )
        connection.execute(
            "CREATE TABLE events (unit_id BIGINT, ts TIMESTAMP, event VARCHAR, "
            "revenue DOUBLE, load_ms DOUBLE)"
        )
        connection.execute("CREATE TABLE pre_period (unit_id BIGINT, revenue DOUBLE)")
        for table, chunks in parts.items():
            columns = {
                name: np.concatenate([chunk[name] for chunk in chunks]) for name in chunks[0]
            }
            connection.register("incoming", columns)
            # NaN marks "no value" in the float columns; the warehouse holds NULL there.
            selected = ", ".join(
                f"CASE WHEN isnan({name}) THEN NULL ELSE {name} END"
                if columns[name].dtype.kind == "f"
                else name
                for name in columns
            )
            connection.execute(f"INSERT INTO {table} SELECT {selected} FROM incoming")
            connection.unregister("incoming")
            counts[table] = len(columns["unit_id"])
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    os.replace(building, target)
    return DemoWarehouse(
        path=str(target),
        assignment_sql=ASSIGNMENT_SQL,
        segments=SEGMENTS,
        metrics=METRICS,
        experiments=experiments,
        counts=counts,
    )
