"""Benchmarks of the statistics engine: speed, false positives, peeking, and the ASOS data.

Run with `.venv/bin/python bench/stats_engine.py` (or `make bench`). Seeded, so the
numbers repeat; simulations draw sufficient statistics directly (binomial counts per day)
wherever that is exact, so 2,000 experiments take well under a second each.
"""

import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere, like manage.py

from apps.stats.engine import (  # noqa: E402
    AnalysisSettings,
    BatchInput,
    VariantStatistic,
    analyze,
    analyze_many,
)

SEED = 20240611
ALPHA = 0.05
ASOS_CSV = Path(
    os.environ.get(
        "EXPR_ASOS_CSV",
        REPO / "tests" / "stats" / "engine" / "data" / "asos" / "asos_digital_experiments.csv",
    )
)


def realistic_experiment(rng, metrics=10, arms=4, segments=20) -> BatchInput:
    """10 metrics (4 conversions, 6 continuous with a CUPED covariate) × control + 3 × 20."""
    binomial = 4
    n = rng.integers(2_000, 40_000, (metrics, arms, segments)).astype(float)
    rate = rng.uniform(0.02, 0.4, (binomial, 1, segments)) * rng.uniform(
        0.97, 1.03, (binomial, arms, 1)
    )
    conversions = rng.binomial(n[:binomial].astype(int), rate).astype(float)
    m = metrics - binomial
    mean = rng.uniform(5, 80, (m, 1, segments)) * rng.uniform(0.97, 1.03, (m, arms, 1))
    var = (mean * rng.uniform(0.5, 3, (m, arms, segments))) ** 2
    cont_n = n[binomial:]
    total = np.concatenate([conversions, cont_n * mean])
    squares = np.concatenate([conversions, (cont_n - 1) * var + cont_n * mean**2])
    pre_mean, pre_var, rho = mean * 0.95, var * 0.9, 0.6
    missing = np.full((binomial, arms, segments), np.nan)
    pre_total = np.concatenate([missing, cont_n * pre_mean])
    pre_squares = np.concatenate([missing, (cont_n - 1) * pre_var + cont_n * pre_mean**2])
    product = np.concatenate(
        [missing, (cont_n - 1) * rho * np.sqrt(var * pre_var) + cont_n * mean * pre_mean]
    )
    return BatchInput(
        n=n,
        sum=total,
        sum_squares=squares,
        metric_types=("binomial",) * binomial + ("continuous",) * m,
        pre_sum=pre_total,
        pre_sum_squares=pre_squares,
        sum_product=product,
        arm_names=("control", "B", "C", "D"),
    )


def scalar_loop(batch: BatchInput, correction: str) -> None:
    """The same analysis one metric × segment at a time through `analyze`."""
    metrics, arms, segments = batch.n.shape
    for metric in range(metrics):
        settings = AnalysisSettings(batch.metric_types[metric], correction=correction)
        for segment in range(segments):
            variants = []
            for arm in range(arms):
                pre = batch.pre_sum[metric, arm, segment]
                has_pre = not np.isnan(pre)
                variants.append(
                    VariantStatistic(
                        batch.arm_names[arm],
                        batch.n[metric, arm, segment],
                        batch.sum[metric, arm, segment],
                        batch.sum_squares[metric, arm, segment],
                        pre_sum=pre if has_pre else None,
                        pre_sum_squares=batch.pre_sum_squares[metric, arm, segment]
                        if has_pre
                        else None,
                        sum_product=batch.sum_product[metric, arm, segment] if has_pre else None,
                    )
                )
            analyze(variants, settings)


def timed(function, repeats: int) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def throughput(rng) -> None:
    batch = realistic_experiment(rng)
    fields = {
        name: getattr(batch, name)
        for name in ("n", "sum", "sum_squares", "pre_sum", "pre_sum_squares", "sum_product")
    }
    settings = AnalysisSettings("binomial", correction="holm")

    def vectorised():
        # Building the input is part of the work: it validates every cell.
        analyze_many(
            BatchInput(**fields, metric_types=batch.metric_types, arm_names=batch.arm_names),
            settings,
        )

    print(
        "Throughput: 10 metrics × 3 treatment arms × 20 segments (600 comparisons, CUPED on 6 metrics)"
    )
    for method in ("frequentist", "bayesian", "sequential"):
        settings = AnalysisSettings("binomial", method=method, correction="holm")
        vectorised()
        fast = timed(vectorised, 50)
        slow = timed(lambda: scalar_loop(batch, "holm"), 3) if method == "frequentist" else None
        line = f"  {method:<12} vectorised {fast:7.2f} ms  ({1000 / fast:6.0f} analyses/s, {600_000 / fast:9.0f} comparisons/s)"
        if slow is not None:
            line += f"   scalar loop {slow:8.1f} ms  ({1000 / slow:5.1f} analyses/s)  ratio ×{slow / fast:.0f}"
        print(line)


def aa_binomial(rng, experiments: int, days: int, daily: int, rate: float) -> BatchInput:
    """A/A experiments as cumulative daily counts: segments are the days looked at."""
    conversions = (
        rng.binomial(daily, rate, size=(experiments, 2, days)).cumsum(axis=2).astype(float)
    )
    units = daily * np.arange(1, days + 1, dtype=float) * np.ones((experiments, 2, 1))
    return BatchInput(n=units, sum=conversions, sum_squares=conversions)


def aa_continuous(rng, experiments: int, units: int) -> BatchInput:
    """A/A experiments on a skewed revenue-like metric, aggregated from raw draws."""
    values = rng.lognormal(mean=3.0, sigma=1.0, size=(experiments, 2, units))
    return BatchInput(
        n=np.full((experiments, 2, 1), float(units)),
        sum=values.sum(axis=2, keepdims=True),
        sum_squares=(values**2).sum(axis=2, keepdims=True),
    )


def rejection_rate(batch: BatchInput, metric_type: str, method: str) -> float:
    result = analyze_many(batch, AnalysisSettings(metric_type, method=method, alpha=ALPHA))
    return float(np.mean(result.comparison.significant[:, 0, 0] == 1))


def false_positives(rng) -> None:
    experiments = 2000
    print(
        f"\nA/A false-positive rate over {experiments:,} experiments at α = {ALPHA:.0%} (fixed horizon)"
    )
    binomial = aa_binomial(rng, experiments, days=1, daily=10_000, rate=0.1)
    continuous = aa_continuous(rng, experiments, units=1_000)
    for label, batch, metric_type in (
        ("conversion 10 %, 10,000 units per arm", binomial, "binomial"),
        ("lognormal revenue, 1,000 units per arm", continuous, "continuous"),
    ):
        rates = {
            m: rejection_rate(batch, metric_type, m)
            for m in ("frequentist", "sequential", "bayesian")
        }
        # Monte Carlo standard error of a rate near α over this many experiments.
        error = np.sqrt(rates["frequentist"] * (1 - rates["frequentist"]) / experiments)
        print(
            f"  {label:<40} frequentist {rates['frequentist']:.2%} ± {error:.2%}"
            f"   (sequential {rates['sequential']:.2%}, Bayesian interval excludes 0 {rates['bayesian']:.2%})"
        )


def peeking(rng) -> None:
    experiments, days = 2000, 20
    batch = aa_binomial(rng, experiments, days=days, daily=500, rate=0.1)
    print(
        f"\nPeeking: {experiments:,} A/A experiments, looked at on each of {days} days, stop at the first p < {ALPHA}"
    )
    for method in ("frequentist", "sequential"):
        result = analyze_many(batch, AnalysisSettings("binomial", method=method, alpha=ALPHA))
        stopped = (result.comparison.p_value[:, 0, :] < ALPHA).any(axis=1)
        final = result.comparison.p_value[:, 0, -1] < ALPHA
        print(
            f"  {method:<12} rejected {stopped.mean():6.2%} of A/A tests when peeking"
            f"   (at day {days} only: {final.mean():.2%})"
        )


def asos() -> None:
    if not ASOS_CSV.is_file():
        print(f"\nASOS: dataset not found at {ASOS_CSV} (set EXPR_ASOS_CSV); skipped")
        return
    with ASOS_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    last = {}
    for row in rows:
        key = (row["experiment_id"], row["variant_id"], row["metric_id"])
        if key not in last or float(row["time_since_start"]) > float(last[key]["time_since_start"]):
            last[key] = row
    final = [r for r in last.values() if r["variance_c"] and r["variance_t"]]
    n = np.array([[float(r["count_c"]), float(r["count_t"])] for r in final])
    mean = np.array([[float(r["mean_c"]), float(r["mean_t"])] for r in final])
    var = np.array([[float(r["variance_c"]), float(r["variance_t"])] for r in final])
    batch = BatchInput(
        n=n[:, :, None],
        sum=(n * mean)[:, :, None],
        sum_squares=((n - 1) * var + n * mean**2)[:, :, None],
    )
    experiments = len({r["experiment_id"] for r in final})
    print(
        f"\nASOS: {len(final)} experiment × variant × metric pairs at their final time point "
        f"({experiments} experiments; {len(last) - len(final)} pairs without variances left out)"
    )
    for method in ("frequentist", "sequential"):
        share = rejection_rate(batch, "continuous", method)
        print(f"  {method:<12} significant at α = {ALPHA:.0%}: {share:.1%}")


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    throughput(rng)
    false_positives(rng)
    peeking(rng)
    asos()
    print(f"\n(finished in {time.perf_counter() - started:.1f} s, seed {SEED})")


if __name__ == "__main__":
    main()
