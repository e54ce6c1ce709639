import numpy as np
import pytest
from scipy import stats

from apps.stats.engine import AnalysisSettings, analyze
from apps.stats.engine.srm import srm_p_value

from .samples import binomial


@pytest.mark.parametrize(
    ("counts", "split"),
    [
        ([10000, 10050], [0.5, 0.5]),
        ([5000, 5210, 4900], [1 / 3, 1 / 3, 1 / 3]),
        ([9000, 1100], [0.9, 0.1]),
        ([20, 31, 40, 52], [0.1, 0.2, 0.3, 0.4]),
    ],
)
def test_it_matches_scipys_chi_square_goodness_of_fit(counts, split):
    expected = stats.chisquare(counts, np.sum(counts) * np.array(split)).pvalue

    assert float(srm_p_value(counts, split)) == pytest.approx(expected, rel=1e-12)


def test_it_flags_a_mismatch_below_the_threshold():
    variants = [binomial("control", 10000, 1000), binomial("B", 10500, 1050)]

    result = analyze(variants, AnalysisSettings("binomial"))

    assert result.srm_p_value < 0.001
    assert result.srm_flag is True
    assert "Sample ratio mismatch" in result.warnings[0]


def test_it_uses_the_expected_split_and_threshold_given():
    variants = [binomial("control", 9000, 900), binomial("B", 1000, 100)]

    even = analyze(variants, AnalysisSettings("binomial"))
    planned = analyze(variants, AnalysisSettings("binomial", expected_split=(9, 1)))
    strict = analyze(
        [binomial("control", 10000, 1000), binomial("B", 10300, 1030)],
        AnalysisSettings("binomial", srm_threshold=0.05),
    )

    assert even.srm_flag is True
    assert planned.srm_p_value == pytest.approx(1.0)
    assert planned.srm_flag is False
    assert strict.srm_flag is True


def test_it_has_no_srm_p_value_without_units():
    assert np.isnan(srm_p_value([0, 0], [0.5, 0.5]))
