"""Empirical-Bayes shrinkage against independent computations.

REML and ML are checked against a direct numerical maximisation of the (restricted)
marginal likelihood with scipy.optimize, written from the densities rather than the
scoring equations; DerSimonian–Laird and Paule–Mandel against statsmodels' meta-analysis.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from statsmodels.stats.meta_analysis import combine_effects

from apps.stats.engine import Effect, StatsError, empirical_bayes
from apps.stats.engine.shrinkage import fit_prior, shrink

# Relative lifts and standard errors of twelve past experiments, of the kind a program sees.
Y = [0.041, -0.018, 0.032, 0.026, -0.023, -0.004, 0.068, 0.006, 0.029, 0.053, 0.019, 0.002]
S = [0.0125, 0.0082, 0.0092, 0.0102, 0.0071, 0.0061, 0.0138, 0.0077, 0.0087, 0.0168, 0.0173,
     0.0061]  # fmt: skip
EFFECTS = [Effect(y, s) for y, s in zip(Y, S, strict=True)]


def _negative_ml(params, y, s2):
    mu, log_tau2 = params
    v = s2 + math.exp(log_tau2)
    return -np.sum(-0.5 * np.log(2 * np.pi * v) - 0.5 * (y - mu) ** 2 / v)


def _negative_reml(log_tau2, y, s2):
    v = s2 + math.exp(log_tau2)
    w = 1 / v
    mu = np.sum(w * y) / np.sum(w)
    return -(-0.5 * np.sum(np.log(v)) - 0.5 * np.log(np.sum(w)) - 0.5 * np.sum(w * (y - mu) ** 2))


def _direct_tau2(y, s, restricted: bool) -> float:
    y, s2 = np.asarray(y), np.asarray(s) ** 2
    if restricted:
        best = optimize.minimize_scalar(_negative_reml, bounds=(-30, 2), args=(y, s2),
                                        method="bounded", options={"xatol": 1e-10})  # fmt: skip
        return math.exp(best.x)
    best = optimize.minimize(_negative_ml, x0=[np.mean(y), math.log(np.var(y) + 1e-6)],
                             args=(y, s2), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000})  # fmt: skip
    return math.exp(best.x[1])


@pytest.mark.parametrize("method,restricted", [("reml", True), ("ml", False)])
def test_it_matches_a_direct_likelihood_maximisation(method, restricted):
    fit = fit_prior(EFFECTS, method)

    assert fit.converged
    assert fit.tau2 == pytest.approx(_direct_tau2(Y, S, restricted), rel=1e-4)
    w = 1 / (np.asarray(S) ** 2 + fit.tau2)
    assert fit.mean == pytest.approx(np.sum(w * Y) / np.sum(w), rel=1e-9)


def test_dersimonian_laird_matches_statsmodels():
    reference = combine_effects(np.asarray(Y), np.asarray(S) ** 2, method_re="dl")

    fit = fit_prior(EFFECTS, "dl")

    assert fit.tau2 == pytest.approx(reference.tau2, rel=1e-9)
    assert fit.mean == pytest.approx(reference.mean_effect_re, rel=1e-9)
    assert fit.q == pytest.approx(reference.q, rel=1e-9)


def test_paule_mandel_solves_the_generalised_q_equation():
    # statsmodels' iterated estimate stops at a loose tolerance (Q is 13.3 there, not k − 1 = 11), so
    # the root of Σ w_i (y_i − μ̂)² = k − 1 is found here with scipy's brentq instead.
    y, s2 = np.asarray(Y), np.asarray(S) ** 2

    def excess(tau2):
        w = 1 / (s2 + tau2)
        return np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2) - (len(y) - 1)

    fit = fit_prior(EFFECTS, "pm")

    assert fit.tau2 == pytest.approx(optimize.brentq(excess, 0, 1, xtol=1e-15), rel=1e-8)


def test_shrinkage_pulls_noisy_estimates_further():
    result = empirical_bayes(EFFECTS)
    noisy = max(result.effects, key=lambda e: e.std_error)
    precise = min(result.effects, key=lambda e: e.std_error)

    assert noisy.factor > precise.factor
    # The winner's curse: the biggest raw winner's shrunk lift is smaller.
    top = max(result.effects, key=lambda e: e.raw)
    assert top.shrunk < top.raw


def test_it_pools_completely_when_the_spread_is_all_noise():
    same = [Effect(0.01 + d, 0.05) for d in (0.001, -0.001, 0.0005, -0.0005, 0.0, 0.0002)]

    result = empirical_bayes(same)

    assert result.prior.tau2 == 0.0
    assert all(e.factor == 1.0 for e in result.effects)
    assert all(e.shrunk == pytest.approx(result.prior.mean) for e in result.effects)


def test_it_refuses_fewer_than_six_experiments():
    with pytest.raises(StatsError) as error:
        empirical_bayes(EFFECTS[:5])

    assert error.value.field == "effects"


def test_it_refuses_a_zero_standard_error():
    with pytest.raises(StatsError) as error:
        Effect(0.01, 0.0)

    assert error.value.field == "std_error"


def test_an_interval_gives_its_standard_error():
    effect = Effect.from_interval(0.041, 0.017, 0.066)

    assert effect.std_error == pytest.approx((0.066 - 0.017) / (2 * 1.959964), rel=1e-5)


effects_lists = st.lists(
    st.tuples(st.floats(-0.5, 0.5), st.floats(0.001, 0.3)), min_size=6, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(effects_lists, st.sampled_from(["reml", "ml", "dl", "pm"]))
def test_shrunk_estimates_lie_between_the_raw_estimate_and_the_prior_mean(pairs, method):
    effects = [Effect(y, s) for y, s in pairs]

    result = empirical_bayes(effects, method)

    mu = result.prior.mean
    assert result.prior.tau2 >= 0
    for e in result.effects:
        low, high = min(e.raw, mu), max(e.raw, mu)
        assert low - 1e-12 <= e.shrunk <= high + 1e-12
        assert 0 <= e.factor <= 1
        assert e.shrunk_std_error <= math.hypot(e.std_error, result.prior.mean_std_error) + 1e-12


@settings(max_examples=40, deadline=None)
@given(effects_lists)
def test_reml_maximises_the_restricted_likelihood(pairs):
    effects = [Effect(y, s) for y, s in pairs]
    y, s2 = np.array([e.estimate for e in effects]), np.array([e.std_error**2 for e in effects])

    fit = fit_prior(effects, "reml")

    at_fit = _negative_reml(math.log(max(fit.tau2, 1e-300)), y, s2) if fit.tau2 > 0 else None
    for tau2 in (fit.tau2 * 0.5, fit.tau2 * 2 + 1e-6, 1e-8):
        if at_fit is not None:
            assert at_fit <= _negative_reml(math.log(tau2), y, s2) + 1e-7


def test_shrink_reuses_a_fitted_prior():
    prior = fit_prior(EFFECTS)

    again = shrink(EFFECTS[:3], prior)

    assert len(again) == 3
    assert again[0].shrunk == pytest.approx(
        again[0].factor * prior.mean + (1 - again[0].factor) * Y[0]
    )


def test_reml_climbs_past_an_overshooting_scoring_step():
    # One precise estimate apart from five noisier zeros: a full Fisher step overshoots.
    y = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.4375])
    s = np.sqrt([0.0625, 0.0625, 0.07910156, 0.07910156, 0.07910156, 0.00390625])

    fit = fit_prior([Effect(a, b) for a, b in zip(y, s, strict=True)], "reml")

    assert fit.tau2 == pytest.approx(_direct_tau2(y, s, restricted=True), rel=1e-4)
