"""Small raw warehouse data with every edge the pull must handle, and its sums by hand.

The reference below reads the raw rows in plain Python, the way a person would count:
it shares no code and no SQL with the package under test.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from apps.experiments.warehouse import MetricQuery, PullRequest, SufficientRow

KEY = "checkout-redesign"
START = datetime(2024, 3, 1, tzinfo=UTC)
END = datetime(2024, 3, 15, tzinfo=UTC)
VARIANTS = ("control", "treatment")
SEGMENTS = ("country", "platform")
COUNTRIES = ("DE", "FR", "US", None)
PLATFORMS = ("web", "ios", "android")


@dataclass
class Scenario:
    # (experiment_key, unit_id, variant, first_exposure_at, country, platform)
    exposures: list[tuple[Any, ...]] = field(default_factory=list)
    # (unit_id, ts, value, numerator, denominator)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    # (unit_id, value)
    pre_period: list[tuple[Any, ...]] = field(default_factory=list)


def build(seed: int = 11, units: int = 400) -> Scenario:
    """Exposures in and out of the window, repeat and conflicting exposures, events before
    exposure and after the end, NULL values, units in another experiment, a variant the
    pull does not ask for, and a covariate some units lack and others have twice."""
    rng = np.random.default_rng(seed)
    scenario = Scenario()
    window = (END - START).total_seconds()

    def moment(low: float, high: float) -> datetime:
        return START + timedelta(seconds=float(rng.uniform(low, high)) * window)

    first_seen: dict[int, datetime] = {}
    for unit in range(units):
        variant = str(rng.choice(["control", "treatment", "treatment", "control", "holdout"]))
        at = moment(-0.1, 1.1)
        country = COUNTRIES[rng.integers(len(COUNTRIES))]
        platform = PLATFORMS[rng.integers(len(PLATFORMS))]
        scenario.exposures.append((KEY, unit, variant, at, country, platform))
        first_seen[unit] = at
        draw = rng.uniform()
        if draw < 0.1:  # seen again in the same variant, maybe on another platform
            later = at + timedelta(hours=float(rng.uniform(1, 50)))
            other = PLATFORMS[rng.integers(len(PLATFORMS))]
            scenario.exposures.append((KEY, unit, variant, later, country, other))
        elif draw < 0.16:  # seen in the other variant too: multi-exposed
            flipped = "treatment" if variant == "control" else "control"
            scenario.exposures.append((KEY, unit, flipped, moment(0, 1), country, platform))
        if rng.uniform() < 0.1:  # also in another experiment, which must not count here
            scenario.exposures.append(
                ("search-ranking", unit, "treatment", moment(0, 1), "DE", "web")
            )
    for unit in range(units, units + 40):  # only in the other experiment
        scenario.exposures.append(("search-ranking", unit, "control", moment(0, 1), "FR", "ios"))

    for unit in range(units + 40):
        anchor = first_seen.get(unit, START)
        for _ in range(int(rng.poisson(2.0))):
            ts = anchor + timedelta(days=float(rng.uniform(-3, 17)))
            value: float | None = round(float(rng.gamma(2.0, 10.0)), 2)
            roll = rng.uniform()
            if roll < 0.1:
                value = 0.0
            elif roll < 0.15:
                value = None
            numerator = round(float(rng.gamma(2.0, 20.0)), 2)
            denominator = int(rng.integers(0, 4))
            scenario.events.append((unit, ts, value, numerator, denominator))
        if rng.uniform() < 0.8:
            scenario.pre_period.append((unit, round(float(rng.normal(30, 10)), 2)))
            if rng.uniform() < 0.1:
                scenario.pre_period.append((unit, round(float(rng.normal(5, 2)), 2)))
    return scenario


def request(assignment_sql: str, metrics: tuple[MetricQuery, ...]) -> PullRequest:
    return PullRequest(
        experiment_key=KEY,
        assignment_sql=assignment_sql,
        variants=VARIANTS,
        start=START,
        end=END,
        segments=SEGMENTS,
        metrics=metrics,
    )


def metrics(events: str, pre_period: str) -> tuple[MetricQuery, ...]:
    """One metric of each kind over the scenario's tables (names as given)."""
    return (
        MetricQuery("purchased", "binomial", f"SELECT unit_id, ts, value FROM {events}"),
        MetricQuery(
            "revenue",
            "continuous",
            f"SELECT unit_id, ts, value FROM {events}",
            covariate_sql=f"SELECT unit_id, value FROM {pre_period}",
        ),
        MetricQuery(
            "revenue_per_order",
            "ratio",
            f"SELECT unit_id, ts, numerator, denominator FROM {events}",
        ),
    )


def expected(
    scenario: Scenario,
    metric: MetricQuery,
    *,
    key: str = KEY,
    start: datetime = START,
    end: datetime = END,
    variants: tuple[str, ...] = VARIANTS,
    segments: tuple[str, ...] = SEGMENTS,
) -> tuple[dict[tuple[str, str | None, str | None], SufficientRow], int]:
    """Rows keyed by (variant, segment, segment_value), and the multi-exposed count."""
    seen: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in scenario.exposures:
        if row[0] == key and start <= row[3] < end:
            seen[row[1]].append(row)
    multi = {u for u, rows in seen.items() if len({r[2] for r in rows}) > 1}
    covariate: dict[int, float] = defaultdict(float)
    for unit, value in scenario.pre_period:
        covariate[unit] += value
    cells: dict[tuple[str, str | None, str | None], list[tuple[float, float, float]]] = defaultdict(
        list
    )
    columns = {"country": 4, "platform": 5}
    for unit, rows in seen.items():
        if unit in multi:
            continue
        variant = rows[0][2]
        if variant not in variants:
            continue
        first = min(r[3] for r in rows)
        events = [e for e in scenario.events if e[0] == unit and first <= e[1] < end]
        if metric.kind == "binomial":
            y = 1.0 if any(e[2] is None or e[2] > 0 for e in events) else 0.0
            d = 0.0
        elif metric.kind == "continuous":
            y = sum(e[2] for e in events if e[2] is not None)
            d = 0.0
        else:
            y = sum(e[3] for e in events)
            d = float(sum(e[4] for e in events))
        x = covariate.get(unit, 0.0)
        cells[(variant, None, None)].append((y, x, d))
        for segment in segments:
            # A unit whose rows disagree counts under the smallest value, as MIN does.
            present = [r[columns[segment]] for r in rows if r[columns[segment]] is not None]
            cells[(variant, segment, min(present) if present else None)].append((y, x, d))
    result = {}
    for (variant, segment, value), units in cells.items():
        y, x, d = (np.array(column, dtype=float) for column in zip(*units, strict=True))
        covariate_sums = {}
        if metric.covariate_sql:
            covariate_sums = {
                "pre_sum": x.sum(),
                "pre_sum_squares": (x * x).sum(),
                "sum_product": (x * y).sum(),
            }
        ratio_sums = {}
        if metric.kind == "ratio":
            ratio_sums = {
                "denominator_sum": d.sum(),
                "denominator_sum_squares": (d * d).sum(),
                "cross_sum": (y * d).sum(),
            }
        result[(variant, segment, value)] = SufficientRow(
            metric=metric.key,
            variant=variant,
            segment=segment,
            segment_value=value,
            n=len(y),
            sum=y.sum(),
            sum_squares=(y * y).sum(),
            **covariate_sums,
            **ratio_sums,
        )
    for variant in variants:
        # A variant nobody saw still has its whole-population row, all zeros.
        zeros = {}
        if metric.covariate_sql:
            zeros.update(pre_sum=0.0, pre_sum_squares=0.0, sum_product=0.0)
        if metric.kind == "ratio":
            zeros.update(denominator_sum=0.0, denominator_sum_squares=0.0, cross_sum=0.0)
        result.setdefault(
            (variant, None, None),
            SufficientRow(metric.key, variant, None, None, 0, 0.0, 0.0, **zeros),
        )
    return result, len(multi)


def assert_rows_match(actual: tuple[SufficientRow, ...], wanted: dict) -> None:
    got = {(r.variant, r.segment, r.segment_value): r for r in actual}
    assert set(got) == set(wanted)
    for key, row in wanted.items():
        mine = got[key]
        assert mine.n == row.n, key
        for name in (
            "sum",
            "sum_squares",
            "pre_sum",
            "pre_sum_squares",
            "sum_product",
            "denominator_sum",
            "denominator_sum_squares",
            "cross_sum",
        ):
            expected_value = getattr(row, name)
            actual_value = getattr(mine, name)
            if expected_value is None:
                assert actual_value is None, (key, name)
            else:
                assert actual_value == _approx(expected_value), (key, name)


def _approx(value: float):
    import pytest

    return pytest.approx(value, rel=1e-9, abs=1e-6)
