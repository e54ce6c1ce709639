"""The Gaussian posterior on the relative lift, checked by numerical integration."""

import math

import pytest
from scipy import integrate, stats

from apps.stats.engine import AnalysisSettings, Prior, analyze
from apps.stats.engine.bayesian import expected_loss, posterior

from .samples import binomial

VARIANTS = [binomial("control", 1000, 100), binomial("B", 1000, 120)]
LIFT, SE = 0.2, math.sqrt(0.02352)  # the worked delta-method example


def test_it_uses_the_delta_method_likelihood_alone_under_the_flat_prior():
    arm = analyze(VARIANTS, AnalysisSettings("binomial", method="bayesian")).arms[0]

    assert arm.relative_lift == pytest.approx(LIFT)
    assert arm.chance_to_win == pytest.approx(stats.norm.cdf(LIFT / SE))
    assert arm.ci_low == pytest.approx(LIFT - stats.norm.ppf(0.975) * SE)
    assert arm.ci_high == pytest.approx(LIFT + stats.norm.ppf(0.975) * SE)
    assert arm.p_value is None and arm.p_value_unadjusted is None


def test_it_combines_a_normal_prior_like_numerical_integration_does():
    prior = Prior(mean=0.0, sd=0.1)
    arm = analyze(VARIANTS, AnalysisSettings("binomial", method="bayesian", prior=prior)).arms[0]

    def unnormalised(x):
        return stats.norm.pdf(x, LIFT, SE) * stats.norm.pdf(x, 0.0, 0.1)

    mass = integrate.quad(unnormalised, -3, 3, points=[0, LIFT])[0]
    mean = integrate.quad(lambda x: x * unnormalised(x), -3, 3, points=[0, LIFT])[0] / mass
    win = integrate.quad(unnormalised, 0, 3)[0] / mass
    loss = integrate.quad(lambda x: -x * unnormalised(x), -3, 0)[0] / mass
    assert arm.relative_lift == pytest.approx(mean, rel=1e-6)
    assert arm.chance_to_win == pytest.approx(win, rel=1e-6)
    assert arm.expected_loss == pytest.approx(loss, rel=1e-5)
    # The prior centred on 0 shrinks the lift towards it.
    assert 0 < arm.relative_lift < LIFT


def test_it_gives_the_expected_loss_of_shipping_either_arm():
    mean, sd = 0.01, 0.02
    density = stats.norm(mean, sd).pdf
    ship, keep = expected_loss(mean, sd)

    assert ship == pytest.approx(integrate.quad(lambda x: -x * density(x), -1, 0)[0], rel=1e-7)
    assert keep == pytest.approx(integrate.quad(lambda x: x * density(x), 0, 1)[0], rel=1e-7)
    # E[max(0, L)] − E[max(0, −L)] = E[L].
    assert keep - ship == pytest.approx(mean)


def test_it_leaves_the_posterior_alone_without_a_prior():
    assert posterior(0.3, 0.1) == (0.3, 0.1)


def test_it_flags_significance_when_the_credible_interval_excludes_zero():
    winning = [binomial("control", 10000, 1000), binomial("B", 10000, 1150)]
    arm = analyze(winning, AnalysisSettings("binomial", method="bayesian")).arms[0]

    assert arm.ci_low > 0
    assert arm.significant is True
    assert arm.chance_to_win > 0.975


def test_it_warns_that_a_correction_does_not_apply_to_the_bayesian_method():
    result = analyze(VARIANTS, AnalysisSettings("binomial", method="bayesian", correction="holm"))

    assert any("Bayesian" in text for text in result.warnings)
