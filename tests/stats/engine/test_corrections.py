import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from apps.stats.engine import AnalysisSettings, StatsError, adjust_p_values, analyze
from apps.stats.engine.corrections import adjust_along_axis

from .samples import binomial

STATSMODELS = {"bonferroni": "bonferroni", "bh": "fdr_bh"}
p_lists = st.lists(st.floats(0, 1), min_size=1, max_size=12)


@pytest.mark.parametrize("method", ["bonferroni", "bh"])
@given(p_values=p_lists)
def test_it_matches_statsmodels_multipletests(method, p_values):
    expected = multipletests(p_values, method=STATSMODELS[method])[1]

    assert adjust_p_values(p_values, method) == pytest.approx(list(expected), abs=1e-12)


# statsmodels' holm takes ~0.1 s a call, too slow to run under hypothesis.
@pytest.mark.parametrize(
    "p_values",
    [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.01, 0.011, 0.5, 0.0],
        [1.0, 1.0],
        [0.049],
        [0.001, 0.02, 0.02, 0.03, 0.3, 0.04, 0.9, 0.012, 0.0009, 0.5, 0.07, 0.25],
    ],
)
def test_it_matches_statsmodels_holm(p_values):
    expected = multipletests(p_values, method="holm")[1]

    assert adjust_p_values(p_values, "holm") == pytest.approx(list(expected), abs=1e-12)


@pytest.mark.parametrize("method", ["none", "bonferroni", "holm", "bh"])
@given(p_values=p_lists)
def test_it_keeps_the_order_and_the_unit_interval(method, p_values):
    adjusted = adjust_p_values(p_values, method)

    assert all(0 <= p <= 1 for p in adjusted)
    assert all(a >= p - 1e-15 for a, p in zip(adjusted, p_values, strict=True))
    order = np.argsort(p_values, kind="stable")
    assert np.all(np.diff(np.array(adjusted)[order]) >= -1e-15)


def test_it_leaves_missing_p_values_out_of_the_family():
    adjusted = adjust_p_values([0.01, None, 0.04], "bonferroni")

    assert adjusted == pytest.approx([0.02, None, 0.08])


def test_it_adjusts_each_row_of_an_array_as_its_own_family():
    p = np.array([[0.01, 0.02, 0.03], [0.5, np.nan, 0.01]])

    adjusted = adjust_along_axis(p, "holm")

    assert adjusted[0] == pytest.approx(multipletests(p[0], method="holm")[1])
    assert adjusted[1, [0, 2]] == pytest.approx(multipletests([0.5, 0.01], method="holm")[1])
    assert np.isnan(adjusted[1, 1])


def test_it_refuses_an_unknown_method_or_a_p_value_outside_zero_one():
    with pytest.raises(StatsError) as unknown:
        adjust_p_values([0.1], "sidak")
    with pytest.raises(StatsError) as outside:
        adjust_p_values([0.1, 1.5], "holm")

    assert unknown.value.field == "correction"
    assert outside.value.field == "p_values[1]"


def test_it_reports_adjusted_and_raw_p_values_across_treatment_arms():
    variants = [
        binomial("control", 5000, 500),
        binomial("B", 5000, 560),
        binomial("C", 5000, 515),
        binomial("D", 5000, 590),
    ]

    result = analyze(variants, AnalysisSettings("binomial", correction="holm"))

    raw = [arm.p_value_unadjusted for arm in result.arms]
    assert [arm.p_value for arm in result.arms] == pytest.approx(
        list(multipletests(raw, method="holm")[1])
    )
    # The intervals stay unadjusted: the same as without a correction.
    plain = analyze(variants, AnalysisSettings("binomial"))
    assert [a.ci_low for a in result.arms] == [a.ci_low for a in plain.arms]
    assert all(a.significant == (a.p_value < 0.05) for a in result.arms)
