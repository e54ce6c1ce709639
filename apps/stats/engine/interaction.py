"""Do two concurrent experiments interfere? Assignment dependence and interaction effects.

Two experiments A (k arms) and B (m arms) running on the same units are fine to analyse
apart when (1) a unit's arm in A tells nothing about its arm in B, and (2) A's effect on a
shared metric is the same whichever B arm a unit is in. Both are tested from aggregates
a warehouse can count: units per (A arm, B arm) cell, and n, Σy, Σy² of the metric per cell.

(1) Assignment dependence: Pearson's chi-square test of independence on the k × m table,

    χ² = Σ (O_ij − E_ij)² / E_ij,  E_ij = O_i· O_·j / N,  df = (k − 1)(m − 1),

without a continuity correction; Cramér's V = √(χ² / (N (min(k, m) − 1))) sizes it.

(2) Interaction: with cell means ȳ_ij (i = 0, j = 0 the controls), the interaction
contrasts are the differences in differences

    δ_ij = (ȳ_ij − ȳ_i0) − (ȳ_0j − ȳ_00),  i = 1..k−1, j = 1..m−1,

A's effect in B's arm j minus its effect in B's control. Cells are independent, so with
v_ij = s²_ij / n_ij (each cell's own sample variance: the HC2-robust variance of a
saturated OLS model) Cov(δ) = C diag(v) Cᵀ, and the joint Wald statistic
W = δᵀ Cov(δ)⁻¹ δ is χ² with (k − 1)(m − 1) degrees of freedom (a two-sided z test when
2 × 2). With ``pooled=True`` the variances share one residual variance
s² = Σ_ij (n_ij − 1) s²_ij / (N − km), which is ordinary least squares with interaction
terms: a t test for 2 × 2, F = W / df on (df, N − km) otherwise.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import stats

from .errors import StatsError
from .statistics import MAX_UNITS, VariantStatistic

# The verdict's thresholds. Assignment should be independent by construction (separate
# hashes), so dependence is a sign of a bug and needs strong evidence to be called red.
RED_DEPENDENCE_P = 0.001
YELLOW_DEPENDENCE_P = 0.01
RED_INTERACTION_P = 0.01
YELLOW_INTERACTION_P = 0.05


def _arms(names: Sequence[str], field_name: str) -> tuple[str, ...]:
    arms = tuple(str(a) for a in names)
    if len(arms) < 2:
        raise StatsError(field_name, "needs at least two arms.")
    if len(set(arms)) != len(arms):
        raise StatsError(field_name, "must not name an arm twice.")
    return arms


@dataclass(frozen=True)
class AssignmentTable:
    """Units counted by (A arm, B arm): ``counts[i][j]`` is A's arm i with B's arm j."""

    a_arms: tuple[str, ...]
    b_arms: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "a_arms", _arms(self.a_arms, "a_arms"))
        set_(self, "b_arms", _arms(self.b_arms, "b_arms"))
        try:
            table = np.asarray(self.counts, dtype=float)
        except (TypeError, ValueError):
            raise StatsError("counts", "must be a table of unit counts.") from None
        if table.shape != (len(self.a_arms), len(self.b_arms)):
            raise StatsError(
                "counts",
                f"must have one row per A arm ({len(self.a_arms)}) and one column per B arm "
                f"({len(self.b_arms)}).",
            )
        if (not np.all(np.isfinite(table)) or np.any(table < 0) or np.any(table != np.round(table))
                or np.any(table > MAX_UNITS)):  # fmt: skip
            raise StatsError("counts", "must be whole numbers of units, at least 0.")
        if table.sum() <= 0:
            raise StatsError("counts", "must count at least one unit.")
        set_(self, "counts", tuple(tuple(int(c) for c in row) for row in table))

    @property
    def array(self) -> np.ndarray:
        return np.asarray(self.counts, dtype=float)


@dataclass(frozen=True)
class Dependence:
    chi2: float
    df: int
    p_value: float
    cramers_v: float
    units: int
    expected: tuple[tuple[float, ...], ...]

    def as_dict(self) -> dict:
        return {"chi2": self.chi2, "df": self.df, "p_value": self.p_value,
                "cramers_v": self.cramers_v, "units": self.units}  # fmt: skip


def assignment_dependence(table: AssignmentTable) -> Dependence:
    """Pearson's χ² test of independence between the two assignments (see the module doc).

    Arms with no units are left out (they carry no information and would divide by 0);
    with fewer than two non-empty arms on a side the test has no degrees of freedom and
    returns χ² = 0, p = 1.
    """
    observed = table.array
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    total = observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    k, m = observed.shape
    df = (k - 1) * (m - 1)
    if df == 0:
        chi2, p = 0.0, 1.0
    else:
        chi2 = float(np.sum((observed - expected) ** 2 / expected))
        p = float(stats.chi2.sf(chi2, df))
    v = float(np.sqrt(chi2 / (total * (min(k, m) - 1)))) if df else 0.0
    return Dependence(
        chi2=chi2, df=df, p_value=p, cramers_v=v, units=int(total),
        expected=tuple(tuple(float(e) for e in row) for row in expected),
    )  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """A shared metric's sufficient statistics in one (A arm, B arm) cell: n, Σy, Σy²."""

    a_arm: str
    b_arm: str
    n: int
    sum: float
    sum_squares: float

    def __post_init__(self):
        checked = VariantStatistic(f"{self.a_arm}/{self.b_arm}", self.n, self.sum, self.sum_squares)
        object.__setattr__(self, "a_arm", str(self.a_arm))
        object.__setattr__(self, "b_arm", str(self.b_arm))
        object.__setattr__(self, "n", checked.n)
        object.__setattr__(self, "sum", checked.sum)
        object.__setattr__(self, "sum_squares", checked.sum_squares)
        if checked.n < 2:
            raise StatsError("n", "each (A arm, B arm) cell needs at least 2 units for a variance.")


@dataclass(frozen=True)
class Contrast:
    """A's arm ``a_arm`` against A's control, within B's ``b_arm`` minus within B's control."""

    a_arm: str
    b_arm: str
    estimate: float
    standard_error: float
    p_value: float


@dataclass(frozen=True)
class Interaction:
    a_arms: tuple[str, ...]
    b_arms: tuple[str, ...]
    means: tuple[tuple[float, ...], ...]  # rows: A arms, columns: B arms
    effects_of_a: tuple[tuple[float, ...], ...]  # A arm i − A control, within each B arm
    contrasts: tuple[Contrast, ...]
    test: str  # "z", "wald", "t" or "F"
    statistic: float
    df: tuple[int, ...]
    p_value: float
    pooled: bool = False
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "a_arms": list(self.a_arms), "b_arms": list(self.b_arms),
            "means": [list(r) for r in self.means],
            "effects_of_a": [list(r) for r in self.effects_of_a],
            "contrasts": [{"a_arm": c.a_arm, "b_arm": c.b_arm, "estimate": c.estimate,
                           "standard_error": c.standard_error, "p_value": c.p_value}
                          for c in self.contrasts],
            "test": self.test, "statistic": self.statistic, "df": list(self.df),
            "p_value": self.p_value, "pooled": self.pooled,
        }  # fmt: skip


def _grid(cells: Sequence[Cell], a_control: str, b_control: str):
    a_arms: list[str] = [a_control]
    b_arms: list[str] = [b_control]
    for c in cells:
        if c.a_arm not in a_arms:
            a_arms.append(c.a_arm)
        if c.b_arm not in b_arms:
            b_arms.append(c.b_arm)
    grid: dict[tuple[str, str], Cell] = {}
    for i, c in enumerate(cells):
        if (c.a_arm, c.b_arm) in grid:
            raise StatsError(f"cells[{i}]", f"cell ({c.a_arm}, {c.b_arm}) is given twice.")
        grid[(c.a_arm, c.b_arm)] = c
    _arms(a_arms, "a_arms")
    _arms(b_arms, "b_arms")
    for a in a_arms:
        for b in b_arms:
            if (a, b) not in grid:
                raise StatsError("cells", f"cell ({a}, {b}) is missing: give every pair of arms.")
    shape = (len(a_arms), len(b_arms))
    n, total, squares = (np.zeros(shape) for _ in range(3))
    for (a, b), c in grid.items():
        i, j = a_arms.index(a), b_arms.index(b)
        n[i, j], total[i, j], squares[i, j] = c.n, c.sum, c.sum_squares
    return tuple(a_arms), tuple(b_arms), n, total, squares


def interaction_effect(
    cells: Sequence[Cell], *, a_control: str, b_control: str, pooled: bool = False
) -> Interaction:
    """Does A's effect differ between B's arms beyond chance? (formulas in the module doc)."""
    cells = list(cells)
    a_arms, b_arms, n, total, squares = _grid(cells, str(a_control), str(b_control))
    means = total / n
    ss = np.maximum(squares - total * total / n, 0.0)  # within-cell sum of squared deviations
    k, m = n.shape
    residual_df = int(n.sum()) - k * m
    if pooled:
        if residual_df <= 0:
            raise StatsError("cells", "pooled variance needs more units than cells.")
        variance = np.full(n.shape, ss.sum() / residual_df) / n
    else:
        variance = ss / (n - 1) / n
    # Contrast matrix: rows are (i, j) with i, j ≥ 1, columns the cells in row-major order.
    rows = []
    labels = []
    for i in range(1, k):
        for j in range(1, m):
            row = np.zeros((k, m))
            row[i, j], row[i, 0], row[0, j], row[0, 0] = 1, -1, -1, 1
            rows.append(row.ravel())
            labels.append((a_arms[i], b_arms[j]))
    contrast = np.array(rows)
    estimate = contrast @ means.ravel()
    covariance = contrast @ np.diag(variance.ravel()) @ contrast.T
    se = np.sqrt(np.diag(covariance))
    notes: list[str] = []
    df_joint = len(rows)
    if np.any(se == 0):
        notes.append("Some cells have no spread: the metric is constant there.")
        wald = 0.0 if np.allclose(estimate, 0) else float("inf")
    else:
        wald = float(estimate @ np.linalg.pinv(covariance) @ estimate)
    single_p = _two_sided(estimate, se, pooled, residual_df)
    contrasts = tuple(
        Contrast(a, b, float(e), float(s), float(p))
        for (a, b), e, s, p in zip(labels, estimate, se, single_p, strict=True)
    )
    df: tuple[int, ...]
    if df_joint == 1:
        statistic = float(estimate[0] / se[0]) if se[0] > 0 else wald
        test, df = ("t", (residual_df,)) if pooled else ("z", ())
        p_value = contrasts[0].p_value
    elif pooled:
        statistic = wald / df_joint
        test, df = "F", (df_joint, residual_df)
        p_value = float(stats.f.sf(statistic, df_joint, residual_df))
    else:
        statistic, test, df = wald, "wald", (df_joint,)
        p_value = float(stats.chi2.sf(wald, df_joint))
    effects = means[1:, :] - means[0:1, :]
    return Interaction(
        a_arms=a_arms, b_arms=b_arms,
        means=tuple(tuple(float(v) for v in r) for r in means),
        effects_of_a=tuple(tuple(float(v) for v in r) for r in effects),
        contrasts=contrasts, test=test, statistic=float(statistic), df=df,
        p_value=p_value, pooled=pooled, notes=tuple(notes),
    )  # fmt: skip


def _two_sided(estimate, se, pooled: bool, residual_df: int):
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, np.abs(estimate) / np.where(se > 0, se, 1), np.inf)
    z = np.where((se == 0) & (estimate == 0), 0.0, z)
    if pooled:
        return 2 * stats.t.sf(z, residual_df)
    return 2 * stats.norm.sf(z)


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Verdict:
    colour: Colour
    rule: str
    figures: dict


def interaction_verdict(dependence: Dependence | None, interaction: Interaction | None) -> Verdict:
    """Green, yellow or red from the two tests, with the rule that decided it.

    Red: assignment dependence p < 0.001, or an interaction p < 0.01. Yellow: dependence
    p < 0.01, or interaction p < 0.05. Green otherwise. A test not run counts as passed.
    """
    dep_p = dependence.p_value if dependence is not None else 1.0
    int_p = interaction.p_value if interaction is not None else 1.0
    figures: dict = {
        "dependence": dependence.as_dict() if dependence else None,
        "interaction": interaction.as_dict() if interaction else None,
    }
    if dep_p < RED_DEPENDENCE_P:
        return Verdict(Colour.RED, f"Red: the assignments depend on each other (p = {dep_p:.2g} "
                       f"< {RED_DEPENDENCE_P:g}); the arms are not independently split.", figures)  # fmt: skip
    if int_p < RED_INTERACTION_P:
        return Verdict(Colour.RED, f"Red: A's effect differs between B's arms (p = {int_p:.2g} "
                       f"< {RED_INTERACTION_P:g}); analyse them together.", figures)  # fmt: skip
    if dep_p < YELLOW_DEPENDENCE_P:
        return Verdict(Colour.YELLOW, f"Yellow: some sign that the assignments depend on each "
                       f"other (p = {dep_p:.2g} < {YELLOW_DEPENDENCE_P:g}).", figures)  # fmt: skip
    if int_p < YELLOW_INTERACTION_P:
        return Verdict(Colour.YELLOW, f"Yellow: some sign that A's effect differs between B's "
                       f"arms (p = {int_p:.2g} < {YELLOW_INTERACTION_P:g}).", figures)  # fmt: skip
    return Verdict(Colour.GREEN, "Green: no sign that the assignments depend on each other or "
                   "that one experiment changes the other's effect.", figures)  # fmt: skip
