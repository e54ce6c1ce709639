"""Always-valid inference: asymptotic confidence sequences (Waudby-Smith et al. 2023).

"Time-uniform central limit theory and asymptotic confidence sequences", arXiv 2103.06476,
Theorem 2.2 with the Gaussian mixture boundary. For an estimate with standard error se
after N units (here N = n_control + n_treatment of the pair), write σ̂² = N · se² for the
per-unit variance of the estimator. The two-sided (1 − α) confidence sequence is

    estimate ± σ̂ · sqrt( 2 (N ρ² + 1) / (N² ρ²) · log( sqrt(N ρ² + 1) / α ) )

with ρ chosen so that the boundary is tightest at N = N* (`sequential_tuning_n`):

    ρ² = (−2 log α + log(−2 log α + 1)) / N*

The same mixture gives an e-value for "no difference" with z = estimate / se:

    log E = N ρ² z² / (2 (N ρ² + 1)) − ½ log(N ρ² + 1)

and the always-valid p-value is p = min(1, 1 / E). The sequence excludes 0 exactly when
E > 1/α, that is when p < α, so looking every day does not inflate false positives.
"""

import numpy as np


def rho_squared(alpha, tuning_n):
    """ρ² = (−2 log α + log(−2 log α + 1)) / N*."""
    log_term = -2 * np.log(alpha)
    return (log_term + np.log(log_term + 1)) / tuning_n


def half_width(se, n_total, alpha, tuning_n):
    """σ̂ · sqrt(2 (Nρ² + 1) / (N² ρ²) · log(sqrt(Nρ² + 1) / α)) with σ̂ = se · sqrt(N)."""
    r2 = rho_squared(alpha, tuning_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = n_total * r2 + 1
        radius = np.sqrt(2 * spread / (n_total**2 * r2) * np.log(np.sqrt(spread) / alpha))
        return se * np.sqrt(n_total) * radius


def interval(estimate, se, n_total, alpha, tuning_n):
    """The confidence sequence's value at N: estimate ± half_width."""
    half = half_width(se, n_total, alpha, tuning_n)
    return estimate - half, estimate + half


def p_value(estimate, se, n_total, alpha, tuning_n):
    """p = min(1, 1/E) with log E = Nρ²z² / (2(Nρ² + 1)) − ½ log(Nρ² + 1)."""
    r2 = rho_squared(alpha, tuning_n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = estimate / se
        spread = n_total * r2 + 1
        log_e = n_total * r2 * z**2 / (2 * spread) - 0.5 * np.log(spread)
        return np.minimum(1.0, np.exp(-log_e))
