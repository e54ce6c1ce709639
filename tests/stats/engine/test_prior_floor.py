"""A prior too narrow to analyse is refused as input, never a division by zero."""

import pytest

from apps.stats.engine import AnalysisSettings, Prior, StatsError, analyze
from apps.stats.engine.settings import PRIOR_SD_MIN

from .samples import binomial

VARIANTS = [binomial("control", 1000, 100), binomial("B", 1000, 120)]


@pytest.mark.parametrize("sd", [1e-300, 5e-324, 1e-160, PRIOR_SD_MIN / 2, 0.0, -0.1])
def test_it_rejects_a_prior_sd_below_the_floor_naming_the_field(sd):
    with pytest.raises(StatsError) as error:
        Prior(mean=0.0, sd=sd)

    assert error.value.field == "prior.sd"


def test_it_analyses_a_prior_at_the_floor_with_finite_numbers():
    settings = AnalysisSettings("binomial", method="bayesian", prior=Prior(0.0, PRIOR_SD_MIN))

    arm = analyze(VARIANTS, settings).arms[0]

    # So narrow a prior pins the posterior to its mean: the data barely move it.
    assert arm.relative_lift == pytest.approx(0.0, abs=1e-9)
    assert arm.ci_low < 0 < arm.ci_high
    assert arm.ci_high - arm.ci_low < 1e-5
