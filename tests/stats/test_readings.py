"""The calculators' words never contradict their numbers: whatever the counts, the verdict
agrees with the p-value and the interval shown beside it, and states that interval."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.stats.engine import AnalysisSettings, VariantStatistic, analyze
from apps.stats.readings import read, signed_percent

arms = st.integers(20, 50_000).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n - 1)))


@settings(max_examples=150, deadline=None)
@given(control=arms, treatment=arms, alpha=st.sampled_from([0.01, 0.05, 0.1]))
def test_the_verdict_agrees_with_the_p_value_and_the_lift_interval(control, treatment, alpha):
    variants = [VariantStatistic("control", control[0], control[1], control[1]),
                VariantStatistic("B", treatment[0], treatment[1], treatment[1])]  # fmt: skip
    study = AnalysisSettings("binomial", alpha=alpha)
    (reading,) = read(analyze(variants, study), study, "control")
    arm = reading.arm

    excludes = arm.ci_low > 0 or arm.ci_high < 0
    assert arm.significant == (arm.p_value < alpha) == excludes
    assert ("unlikely to be chance" in reading.verdict) == arm.significant
    assert ("no clear effect yet" in reading.verdict) == (not arm.significant)
    assert f"{signed_percent(arm.ci_low, 1)} to {signed_percent(arm.ci_high, 1)}" in reading.verdict


@settings(max_examples=60, deadline=None)
@given(control=arms, treatment=arms)
def test_bayesian_verdicts_speak_of_chances_not_significance(control, treatment):
    variants = [VariantStatistic("control", control[0], control[1], control[1]),
                VariantStatistic("B", treatment[0], treatment[1], treatment[1])]  # fmt: skip
    study = AnalysisSettings("binomial", method="bayesian")
    (reading,) = read(analyze(variants, study), study, "control")

    assert "chance to beat control" in reading.verdict
    assert "significan" not in reading.verdict and "p =" not in reading.verdict
