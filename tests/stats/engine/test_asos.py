"""The real ASOS Digital Experiments Dataset (Liu et al. 2021) as a fixture.

Every experiment × variant × metric × time point is analysed with every method. The
dataset (CC BY 4.0, see data/asos/README.md) is kept beside this test so every clone has
it; EXPR_ASOS_CSV points at another copy. Without it the test skips, or fails under CI=true.
"""

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from apps.stats.engine import AnalysisSettings, BatchInput, VariantStatistic, analyze, analyze_many
from apps.stats.engine.caveats import Caveat
from tests.services import require

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "asos" / "asos_digital_experiments.csv"
METHODS = ("frequentist", "bayesian", "sequential")
FIELDS = {
    "frequentist": ("relative_lift", "ci_low", "ci_high", "p_value", "absolute_ci_low"),
    "sequential": ("relative_lift", "ci_low", "ci_high", "p_value", "absolute_ci_low"),
    "bayesian": ("relative_lift", "ci_low", "ci_high", "chance_to_win", "expected_loss"),
}


def asos_csv() -> Path:
    return Path(os.environ.get("EXPR_ASOS_CSV", DEFAULT_CSV))


@pytest.fixture(scope="module")
def asos():
    path = asos_csv()
    require(path.is_file(), f"the ASOS dataset is not at {path} (set EXPR_ASOS_CSV)")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    # A few hundred rows have no variance recorded: nothing to turn into Σy², so they are
    # left out rather than guessed.
    complete = [r for r in rows if r["variance_c"] and r["variance_t"]]
    columns = {
        key: np.array([float(r[key]) for r in complete])
        for key in ("count_c", "count_t", "mean_c", "mean_t", "variance_c", "variance_t")
    }
    n = np.stack([columns["count_c"], columns["count_t"]], axis=1)
    mean = np.stack([columns["mean_c"], columns["mean_t"]], axis=1)
    variance = np.stack([columns["variance_c"], columns["variance_t"]], axis=1)
    # The dataset README: sum = n·mean, sum_squares = (n − 1)·variance + n·mean².
    batch = BatchInput(
        n=n[:, :, None],
        sum=(n * mean)[:, :, None],
        sum_squares=((n - 1) * variance + n * mean**2)[:, :, None],
        arm_names=("control", "treatment"),
    )
    return {"rows": rows, "complete": complete, "batch": batch}


def test_it_reads_every_experiment_of_the_dataset(asos):
    experiments = {r["experiment_id"] for r in asos["rows"]}

    assert len(experiments) == 78
    assert len(asos["complete"]) > 0.95 * len(asos["rows"])


@pytest.mark.parametrize("method", METHODS)
def test_it_analyses_every_row_without_an_error_or_a_nan(asos, method):
    batch = asos["batch"]

    result = analyze_many(batch, AnalysisSettings("continuous", method=method))

    flags = result.comparison.flags[:, 0, 0]
    clean = flags == 0
    for name in FIELDS[method]:
        values = getattr(result.comparison, name)[:, 0, 0]
        assert np.isfinite(values[clean]).all(), name
    # The only rows with caveats are arms without variation: the dataset's empty first
    # half-days, and one early day where no treatment unit had metric 2 yet.
    expected = Caveat.CONTROL_NO_VARIANCE | Caveat.TREATMENT_NO_VARIANCE | Caveat.EMPTY_ARM
    assert (flags[~clean] & expected).all()
    assert ((flags[~clean] & ~(expected | Caveat.ZERO_CONTROL_MEAN)) == 0).all()
    assert clean.mean() > 0.999


def test_it_writes_every_row_as_json_without_a_nan(asos):
    # One method suffices: every method's fields pass through the same conversion.
    batch = asos["batch"]
    result = analyze_many(batch, AnalysisSettings("continuous", method="sequential"))

    payloads = [result.arm(i, 0, 0).to_dict() for i in range(batch.n.shape[0])]

    json.dumps(payloads, allow_nan=False)


@pytest.mark.parametrize("method", METHODS)
def test_it_gives_the_same_numbers_on_the_scalar_path(asos, method):
    batch = asos["batch"]
    settings = AnalysisSettings("continuous", method=method)
    result = analyze_many(batch, settings)
    rng = np.random.default_rng(2021)

    for row in rng.choice(batch.n.shape[0], size=150, replace=False):
        variants = [
            VariantStatistic(
                name, batch.n[row, arm, 0], batch.sum[row, arm, 0], batch.sum_squares[row, arm, 0]
            )
            for arm, name in enumerate(("control", "treatment"))
        ]
        scalar = analyze(variants, settings).arms[0].to_dict()
        vectorised = result.arm(row, 0, 0).to_dict()
        for key, value in scalar.items():
            if isinstance(value, float):
                assert vectorised[key] == pytest.approx(value, rel=1e-12), key
            else:
                assert vectorised[key] == value, key
