"""Empirical-Bayes shrinkage of many experiments' effects: the winner's-curse correction.

The normal–normal model. Experiment i reports an estimate y_i of its true effect θ_i with
standard error s_i, and the true effects of a program's experiments scatter around a mean:

    y_i | θ_i ~ N(θ_i, s_i²),     θ_i ~ N(μ, τ²)

so marginally y_i ~ N(μ, s_i² + τ²). The prior (μ, τ²) is estimated from all the
experiments together (`fit_prior`), then each estimate is pulled towards μ in proportion
to how noisy it is (`shrink`):

    B_i = s_i² / (s_i² + τ²)                      (the shrinkage factor, 0 ≤ B_i ≤ 1)
    θ̂_i = μ + (1 − B_i)(y_i − μ) = B_i μ + (1 − B_i) y_i
    Var(θ_i | y) ≈ (1 − B_i) s_i² + B_i² / Σ_j w_j,   w_j = 1 / (s_j² + τ²)

the second term carrying the uncertainty of the estimated mean. Shipped experiments are
the ones whose estimates came out high, partly by luck: their raw lifts overstate the true
effects (the winner's curse), and their shrunk lifts are the better guess of what shipping
them is worth.

τ² is estimated by
- "reml" (default): restricted maximum likelihood, Fisher scoring on
      ℓ_R(τ²) = −½ Σ log v_i − ½ log Σ w_i − ½ Σ w_i (y_i − μ̂)²,   v_i = s_i² + τ²;
- "ml": maximum marginal likelihood, ℓ(τ²) = −½ Σ log v_i − ½ Σ w_i (y_i − μ̂)²;
- "dl": DerSimonian–Laird's moment estimate,
      τ² = max(0, (Q − (k − 1)) / (Σ u_i − Σ u_i² / Σ u_i)),  u_i = 1/s_i²,
      Q = Σ u_i (y_i − ȳ_u)²;
- "pm": Paule–Mandel's, the τ² ≥ 0 at which Σ w_i (y_i − μ̂)² = k − 1.
In every case μ̂ = Σ w_i y_i / Σ w_i at the fitted τ².
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scipy import stats

from .errors import StatsError

Method = Literal["reml", "ml", "dl", "pm"]
METHODS = ("reml", "ml", "dl", "pm")
MIN_EXPERIMENTS = 6
_TOL = 1e-12
_MAX_ITER = 500


@dataclass(frozen=True)
class Effect:
    """One experiment's estimate and its standard error (on any common scale)."""

    estimate: float
    std_error: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.estimate):
            raise StatsError("estimate", "must be a finite number.")
        if not (math.isfinite(self.std_error) and self.std_error > 0):
            raise StatsError("std_error", "must be a positive finite number.")

    @classmethod
    def from_interval(cls, estimate: float, low: float, high: float, level: float = 0.95):
        """From a symmetric confidence interval: s = (high − low) / (2 z_{(1+level)/2})."""
        if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
            raise StatsError("ci_high", "must be a finite number above ci_low.")
        z = float(stats.norm.ppf(0.5 + level / 2))
        return cls(estimate, (high - low) / (2 * z))


@dataclass(frozen=True)
class PriorFit:
    """The fitted prior N(μ, τ²) of the true effects, and how well it is determined."""

    method: str
    k: int  # experiments
    mean: float  # μ
    mean_std_error: float  # of μ̂: 1 / √Σw
    tau2: float  # τ², the variance of the true effects
    q: float  # Cochran's Q at τ² = 0: Σ u_i (y_i − ȳ_u)²
    i2: float  # the share of the spread not due to noise: max(0, (Q − (k−1)) / Q)
    log_likelihood: float  # the marginal log-likelihood at the fit (ML form)
    iterations: int
    converged: bool

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "k": self.k,
            "mean": self.mean,
            "mean_std_error": self.mean_std_error,
            "tau2": self.tau2,
            "tau": self.tau,
            "q": self.q,
            "i2": self.i2,
            "log_likelihood": self.log_likelihood,
            "iterations": self.iterations,
            "converged": self.converged,
        }


@dataclass(frozen=True)
class ShrunkEffect:
    raw: float
    std_error: float
    shrunk: float
    shrunk_std_error: float
    factor: float  # B_i: 0 keeps the raw estimate, 1 replaces it by the prior mean

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        z = float(stats.norm.ppf(0.5 + level / 2))
        return self.shrunk - z * self.shrunk_std_error, self.shrunk + z * self.shrunk_std_error


@dataclass(frozen=True)
class Shrinkage:
    prior: PriorFit
    effects: tuple[ShrunkEffect, ...]


def _check(effects: Sequence[Effect], minimum: int) -> None:
    if len(effects) < minimum:
        raise StatsError(
            "effects", f"at least {minimum} experiments are needed to fit a prior; got "
            f"{len(effects)}."
        )  # fmt: skip


def _weighted_mean(effects: Sequence[Effect], tau2: float) -> tuple[float, float, list[float]]:
    w = [1 / (e.std_error**2 + tau2) for e in effects]
    total = math.fsum(w)
    return math.fsum(wi * e.estimate for wi, e in zip(w, effects, strict=True)) / total, total, w


def cochran_q(effects: Sequence[Effect]) -> float:
    mean, _, u = _weighted_mean(effects, 0.0)
    return math.fsum(ui * (e.estimate - mean) ** 2 for ui, e in zip(u, effects, strict=True))


def _dl(effects: Sequence[Effect]) -> float:
    u = [1 / e.std_error**2 for e in effects]
    denominator = math.fsum(u) - math.fsum(x * x for x in u) / math.fsum(u)
    return max(0.0, (cochran_q(effects) - (len(effects) - 1)) / denominator)


def _generalised_q(effects: Sequence[Effect], tau2: float) -> float:
    mean, _, w = _weighted_mean(effects, tau2)
    return math.fsum(wi * (e.estimate - mean) ** 2 for wi, e in zip(w, effects, strict=True))


def _pm(effects: Sequence[Effect]) -> tuple[float, int]:
    """Bisection on the generalised Q, which falls as τ² grows."""
    target = len(effects) - 1
    if _generalised_q(effects, 0.0) <= target:
        return 0.0, 0
    low, high = 0.0, max(1e-12, _dl(effects))
    while _generalised_q(effects, high) > target:
        low, high = high, high * 2 + 1e-12
    iterations = 0
    while high - low > _TOL * (1 + high) and iterations < _MAX_ITER:
        middle = (low + high) / 2
        if _generalised_q(effects, middle) > target:
            low = middle
        else:
            high = middle
        iterations += 1
    return (low + high) / 2, iterations


def _scoring(effects: Sequence[Effect], restricted: bool) -> tuple[float, int, bool]:
    """Fisher scoring for τ² from the DerSimonian–Laird start, kept at τ² ≥ 0.

    ML:   score ∝ Σ w_i² r_i² − Σ w_i,      information ∝ Σ w_i²
    REML: score ∝ Σ w_i² r_i² − tr P,       information ∝ tr P²
    with r_i = y_i − μ̂, tr P = Σw − Σw²/Σw and tr P² = Σw² − 2Σw³/Σw + (Σw²/Σw)².
    """
    tau2 = _dl(effects)
    for iteration in range(1, _MAX_ITER + 1):
        mean, sw, w = _weighted_mean(effects, tau2)
        r2 = [(e.estimate - mean) ** 2 for e in effects]
        s1 = math.fsum(wi * wi * ri for wi, ri in zip(w, r2, strict=True))
        w2 = math.fsum(wi * wi for wi in w)
        if restricted:
            w3 = math.fsum(wi**3 for wi in w)
            score = s1 - (sw - w2 / sw)
            information = w2 - 2 * w3 / sw + (w2 / sw) ** 2
        else:
            score = s1 - sw
            information = w2
        step = score / information
        new = max(0.0, tau2 + step)
        # A full scoring step can overshoot when one precise estimate sits apart from the
        # rest; halving it until the likelihood does not fall keeps every step an ascent.
        current = _objective(effects, tau2, restricted)
        while _objective(effects, new, restricted) < current - 1e-12 and abs(step) > 1e-15:
            step /= 2
            new = max(0.0, tau2 + step)
        if abs(new - tau2) <= _TOL * (1 + tau2) or (new == 0.0 and tau2 == 0.0):
            return new, iteration, True
        tau2 = new
    return tau2, _MAX_ITER, False


def _objective(effects: Sequence[Effect], tau2: float, restricted: bool) -> float:
    """The log-likelihood scoring climbs, up to a constant: REML's adds −½ log Σw.

    ℓ(τ²) = −½ [Σ log(s_i² + τ²) + Σ w_i (y_i − μ̂)²] (− ½ log Σ w_i for REML).
    """
    mean, sw, w = _weighted_mean(effects, tau2)
    value = -0.5 * math.fsum(
        math.log(e.std_error**2 + tau2) + wi * (e.estimate - mean) ** 2
        for wi, e in zip(w, effects, strict=True)
    )
    return value - 0.5 * math.log(sw) if restricted else value


def log_likelihood(effects: Sequence[Effect], mean: float, tau2: float) -> float:
    """The marginal log-likelihood Σ log φ(y_i; μ, s_i² + τ²)."""
    return math.fsum(
        -0.5 * (math.log(2 * math.pi * (e.std_error**2 + tau2))
                + (e.estimate - mean) ** 2 / (e.std_error**2 + tau2))
        for e in effects
    )  # fmt: skip


def fit_prior(
    effects: Sequence[Effect], method: Method = "reml", *, minimum: int = MIN_EXPERIMENTS
) -> PriorFit:
    """The prior N(μ, τ²) of the true effects, estimated from the experiments' estimates."""
    if method not in METHODS:
        raise StatsError("method", f"one of {', '.join(METHODS)}.")
    _check(effects, max(minimum, 2))
    iterations, converged = 0, True
    if method == "dl":
        tau2 = _dl(effects)
    elif method == "pm":
        tau2, iterations = _pm(effects)
    else:
        tau2, iterations, converged = _scoring(effects, restricted=method == "reml")
    mean, total, _ = _weighted_mean(effects, tau2)
    q = cochran_q(effects)
    k = len(effects)
    return PriorFit(
        method=method,
        k=k,
        mean=mean,
        mean_std_error=1 / math.sqrt(total),
        tau2=tau2,
        q=q,
        i2=max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0,
        log_likelihood=log_likelihood(effects, mean, tau2),
        iterations=iterations,
        converged=converged,
    )


def shrink(effects: Sequence[Effect], prior: PriorFit) -> tuple[ShrunkEffect, ...]:
    """Each estimate pulled towards the prior mean: θ̂_i = B_i μ + (1 − B_i) y_i."""
    _, total, _ = _weighted_mean(effects, prior.tau2)
    out = []
    for e in effects:
        s2 = e.std_error**2
        factor = s2 / (s2 + prior.tau2)
        shrunk = factor * prior.mean + (1 - factor) * e.estimate
        variance = (1 - factor) * s2 + factor**2 / total
        out.append(ShrunkEffect(e.estimate, e.std_error, shrunk, math.sqrt(variance), factor))
    return tuple(out)


def empirical_bayes(
    effects: Sequence[Effect], method: Method = "reml", *, minimum: int = MIN_EXPERIMENTS
) -> Shrinkage:
    """Fit the prior from all the experiments and shrink each one: the one entry point."""
    prior = fit_prior(effects, method, minimum=minimum)
    return Shrinkage(prior=prior, effects=shrink(effects, prior))
