"""Bayesian analysis of the relative lift with a Gaussian likelihood.

The likelihood of the relative lift is N(lift̂, se²), se from the delta method. With the
flat (improper) prior the posterior is that same normal; with a normal prior N(μ₀, τ²)
it is the precision-weighted normal

    precision = 1/se² + 1/τ²,   mean = (lift̂/se² + μ₀/τ²) / precision,   sd = precision^−½
"""

import numpy as np
from scipy import stats


def posterior(lift, se, prior_mean=None, prior_sd=None):
    """Posterior mean and sd of the relative lift (flat prior when prior_sd is None)."""
    if prior_sd is None:
        return lift, se
    # As numpy floats, so an extreme input gives inf/nan (flagged as a numeric caveat) and
    # never a Python ZeroDivisionError; Prior already refuses spreads below PRIOR_SD_MIN.
    prior_var = np.float64(prior_sd) ** 2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        precision = 1 / se**2 + 1 / prior_var
        mean = (lift / se**2 + prior_mean / prior_var) / precision
        return mean, 1 / np.sqrt(precision)


def chance_to_win(mean, sd):
    """P(lift > 0) = Φ(mean / sd)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return stats.norm.cdf(mean / sd)


def credible_interval(mean, sd, alpha):
    """The equal-tailed (1 − α) interval mean ± z_{1−α/2} · sd."""
    half = stats.norm.ppf(1 - alpha / 2) * sd
    return mean - half, mean + half


def expected_loss(mean, sd):
    """Expected loss in relative lift of shipping the treatment, and of keeping the control.

    With the lift L ~ N(μ, σ²): shipping the treatment loses E[max(0, −L)]
    = σ φ(μ/σ) − μ Φ(−μ/σ); keeping the control loses E[max(0, L)] = σ φ(μ/σ) + μ Φ(μ/σ).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        z = mean / sd
        density = sd * stats.norm.pdf(z)
        return density - mean * stats.norm.cdf(-z), density + mean * stats.norm.cdf(z)
