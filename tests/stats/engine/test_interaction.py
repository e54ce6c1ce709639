"""Interaction between two experiments, against scipy and a statsmodels OLS on unit data."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from apps.stats.engine import (
    AssignmentTable,
    Cell,
    StatsError,
    assignment_dependence,
    interaction_effect,
    interaction_verdict,
)


@pytest.mark.parametrize(
    "counts",
    [
        [[5000, 5020], [4990, 5100]],
        [[812, 790, 805], [820, 1200, 799]],
        [[30, 10], [12, 41], [22, 25], [9, 30]],
    ],
)
def test_dependence_matches_scipys_chi_square_test_of_independence(counts):
    arms = lambda n, p: [f"{p}{i}" for i in range(n)]  # noqa: E731
    table = AssignmentTable(arms(len(counts), "a"), arms(len(counts[0]), "b"), counts)

    result = assignment_dependence(table)
    chi2, p, df, expected = stats.chi2_contingency(np.array(counts), correction=False)

    assert result.chi2 == pytest.approx(chi2, rel=1e-10)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.df == df
    assert np.allclose(result.expected, expected)
    v = stats.contingency.association(np.array(counts), method="cramer", correction=False)
    assert result.cramers_v == pytest.approx(v, rel=1e-9)


def test_an_empty_arm_is_left_out_of_the_test():
    table = AssignmentTable(["a0", "a1", "a2"], ["b0", "b1"], [[100, 90], [0, 0], [95, 110]])

    result = assignment_dependence(table)

    assert result.df == 1
    assert result.chi2 == pytest.approx(
        stats.chi2_contingency([[100, 90], [95, 110]], correction=False)[0])  # fmt: skip


def _simulate(rng, k, m, n_per_cell, interaction, sd):
    """Unit-level data: y = base + A effect + B effect + interaction + noise (sd per cell)."""
    rows = []
    for i in range(k):
        for j in range(m):
            mean = 10 + 0.5 * i - 0.3 * j + (interaction if i and j else 0.0)
            y = rng.normal(mean, sd[i][j] if isinstance(sd, list) else sd, n_per_cell + i + 2 * j)
            rows.append(pd.DataFrame({"a": f"a{i}", "b": f"b{j}", "y": y}))
    return pd.concat(rows, ignore_index=True)


def _cells(frame):
    grouped = frame.groupby(["a", "b"])["y"]
    out = []
    for (a, b), y in grouped:
        out.append(Cell(a, b, len(y), y.sum(), (y * y).sum()))
    return out


def test_a_two_by_two_pooled_interaction_is_ols_with_an_interaction_term():
    frame = _simulate(np.random.default_rng(7), 2, 2, 400, interaction=0.4, sd=2.0)
    model = smf.ols("y ~ C(a) * C(b)", data=frame).fit()
    term = "C(a)[T.a1]:C(b)[T.b1]"

    result = interaction_effect(_cells(frame), a_control="a0", b_control="b0", pooled=True)

    [contrast] = result.contrasts
    assert contrast.estimate == pytest.approx(model.params[term], rel=1e-9)
    assert contrast.standard_error == pytest.approx(model.bse[term], rel=1e-9)
    assert result.p_value == pytest.approx(model.pvalues[term], rel=1e-6)
    assert result.test == "t" and result.statistic == pytest.approx(model.tvalues[term])


def test_a_k_by_m_pooled_test_is_the_ols_f_test_on_the_interaction_terms():
    frame = _simulate(np.random.default_rng(3), 3, 3, 300, interaction=0.3, sd=1.5)
    model = smf.ols("y ~ C(a) * C(b)", data=frame).fit()
    terms = [name for name in model.params.index if ":" in name]

    result = interaction_effect(_cells(frame), a_control="a0", b_control="b0", pooled=True)
    f_test = model.f_test(", ".join(f"{t} = 0" for t in terms))

    assert result.test == "F" and result.df == (4, int(model.df_resid))
    assert result.statistic == pytest.approx(float(f_test.fvalue), rel=1e-8)
    assert result.p_value == pytest.approx(float(f_test.pvalue), rel=1e-6)


def test_unequal_variances_use_each_cells_own_variance_like_hc2_robust_ols():
    sd = [[1.0, 3.0, 1.5], [2.5, 0.5, 1.0]]
    frame = _simulate(np.random.default_rng(11), 2, 3, 250, interaction=0.25, sd=sd)
    model = smf.ols("y ~ C(a) * C(b)", data=frame).fit(cov_type="HC2")
    terms = [name for name in model.params.index if ":" in name]

    result = interaction_effect(_cells(frame), a_control="a0", b_control="b0")
    wald = model.wald_test(", ".join(f"{t} = 0" for t in terms), use_f=False, scalar=True)

    assert [c.estimate for c in result.contrasts] == pytest.approx(
        [model.params[t] for t in terms], rel=1e-9)  # fmt: skip
    assert [c.standard_error for c in result.contrasts] == pytest.approx(
        [model.bse[t] for t in terms], rel=1e-9)  # fmt: skip
    assert result.test == "wald" and result.df == (2,)
    assert result.statistic == pytest.approx(float(wald.statistic), rel=1e-8)
    assert result.p_value == pytest.approx(float(wald.pvalue), rel=1e-6)


def test_it_reads_as_as_effect_in_each_of_bs_arms():
    cells = [Cell("c", "x", 100, 100 * 10.0, 100 * 101.0), Cell("t", "x", 100, 100 * 11.0, 100 * 122.0),
             Cell("c", "y", 100, 100 * 10.0, 100 * 101.0), Cell("t", "y", 100, 100 * 10.0, 100 * 101.0)]  # fmt: skip

    result = interaction_effect(cells, a_control="c", b_control="x")

    assert result.effects_of_a == ((pytest.approx(1.0), pytest.approx(0.0)),)
    assert result.contrasts[0].estimate == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ([Cell("c", "x", 10, 5, 5), Cell("t", "x", 10, 5, 5), Cell("c", "y", 10, 5, 5)], "cells"),
        ([Cell("c", "x", 10, 5, 5)] * 2 + [Cell("t", "x", 10, 5, 5)], "cells[1]"),
    ],
)
def test_it_names_a_missing_or_repeated_cell(cells, field):
    with pytest.raises(StatsError) as refused:
        interaction_effect(cells, a_control="c", b_control="x")

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Cell("c", "x", 1, 1.0, 1.0), "n"),
        (lambda: Cell("c", "x", 10, 10.0, 1.0), "sum_squares"),
        (lambda: AssignmentTable(["a"], ["x", "y"], [[1, 2]]), "a_arms"),
        (lambda: AssignmentTable(["a", "b"], ["x", "y"], [[1, 2]]), "counts"),
        (lambda: AssignmentTable(["a", "b"], ["x", "y"], [[1, -2], [3, 4]]), "counts"),
        (lambda: AssignmentTable(["a", "b"], ["x", "y"], [[0, 0], [0, 0]]), "counts"),
        (lambda: AssignmentTable(["a", "a"], ["x", "y"], [[1, 2], [3, 4]]), "a_arms"),
    ],
)
def test_impossible_input_raises_naming_the_field(build, field):
    with pytest.raises(StatsError) as refused:
        build()

    assert refused.value.field == field


def _dependence(p):
    table = AssignmentTable(["a", "b"], ["x", "y"], [[100, 100], [100, 100]])
    result = assignment_dependence(table)
    return type(result)(result.chi2, result.df, p, result.cramers_v, result.units, result.expected)


@pytest.mark.parametrize(
    ("dependence_p", "cells_shift", "colour"),
    [(0.5, 0.0, "green"), (0.005, 0.0, "yellow"), (0.0001, 0.0, "red"),
     (0.5, 0.22, "yellow"), (0.5, 1.0, "red")],
)  # fmt: skip
def test_the_verdict_follows_its_rule(dependence_p, cells_shift, colour):
    # Unit variance per cell: a shift s in one cell moves the contrast by s, SE = √(4/400) = 0.1.
    n = 400
    cells = [Cell(a, b, n, n * (shift := cells_shift if (a, b) == ("t", "y") else 0.0),
                  (n - 1) + n * shift * shift)
             for a in ("c", "t") for b in ("x", "y")]  # fmt: skip
    interaction = interaction_effect(cells, a_control="c", b_control="x")

    verdict = interaction_verdict(_dependence(dependence_p), interaction)

    assert verdict.colour == colour
    assert verdict.rule.lower().startswith(colour)
    assert verdict.figures["interaction"]["p_value"] == interaction.p_value


def test_without_data_the_verdict_is_green():
    assert interaction_verdict(None, None).colour == "green"


# Properties -------------------------------------------------------------------------------

tables = st.integers(2, 4).flatmap(
    lambda k: st.integers(2, 4).flatmap(
        lambda m: st.lists(st.lists(st.integers(1, 5000), min_size=m, max_size=m),
                           min_size=k, max_size=k)))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(tables)
def test_p_values_lie_in_the_unit_interval_and_a_product_table_is_independent(counts):
    table = AssignmentTable([f"a{i}" for i in range(len(counts))],
                            [f"b{j}" for j in range(len(counts[0]))], counts)  # fmt: skip
    result = assignment_dependence(table)
    assert 0 <= result.p_value <= 1 and result.chi2 >= 0

    rows, cols = np.array(counts).sum(axis=1), np.array(counts).sum(axis=0)
    product = AssignmentTable(table.a_arms, table.b_arms, np.outer(rows, cols))
    assert assignment_dependence(product).chi2 == pytest.approx(0.0, abs=1e-6)


cell_values = st.lists(
    st.tuples(st.integers(2, 500), st.floats(-50, 50), st.floats(0.1, 20)), min_size=4, max_size=4
)


@settings(max_examples=80, deadline=None)
@given(cell_values, st.floats(-1e3, 1e3), st.booleans())
def test_interaction_is_symmetric_and_ignores_a_shift_of_the_metric(values, shift, pooled):
    def cells(offset, swap=False):
        out = []
        for (a, b), (n, mean, sd) in zip([(a, b) for a in "ct" for b in "xy"], values, strict=True):
            m = mean + offset
            total, squares = n * m, (n - 1) * sd * sd + n * m * m
            out.append(Cell(b, a, n, total, squares) if swap else Cell(a, b, n, total, squares))
        return out

    base = interaction_effect(cells(0.0), a_control="c", b_control="x", pooled=pooled)
    shifted = interaction_effect(cells(shift), a_control="c", b_control="x", pooled=pooled)
    swapped = interaction_effect(cells(0.0, swap=True), a_control="x", b_control="c", pooled=pooled)

    assert 0 <= base.p_value <= 1
    assert shifted.contrasts[0].estimate == pytest.approx(base.contrasts[0].estimate, abs=1e-6)
    assert shifted.p_value == pytest.approx(base.p_value, abs=1e-6)
    # A's effect differing by B's arm is B's effect differing by A's arm.
    assert swapped.contrasts[0].estimate == pytest.approx(base.contrasts[0].estimate, abs=1e-9)
    assert swapped.p_value == pytest.approx(base.p_value, abs=1e-9)
