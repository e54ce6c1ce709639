"""The statistics API answers per the contract and turns every bad input into a 400."""

import json
import math

import pytest
from scipy import stats

pytestmark = pytest.mark.django_db

ANALYZE = "/api/v1/stats/analyze/"
SAMPLE_SIZE = "/api/v1/stats/sample-size/"


def contract_request(**changes) -> dict:
    body = {
        "metric_type": "binomial",
        "method": "frequentist",
        "alpha": 0.05,
        "alternative": "two-sided",
        "correction": "none",
        "expected_split": [0.5, 0.5],
        "sequential_tuning_n": 5000,
        "prior": {"mean": 0.0, "sd": 0.3},
        "variants": [
            {"name": "control", "n": 10000, "sum": 1000, "sum_squares": 1000},
            {
                "name": "B",
                "n": 10050,
                "sum": 1080,
                "sum_squares": 1080,
                "pre_sum": 990,
                "pre_sum_squares": 990,
                "sum_product": 400,
            },
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def api(api_as):
    return api_as("sofia")


@pytest.mark.parametrize("method", ["frequentist", "bayesian", "sequential"])
def test_it_answers_the_contract_example(api, method):
    response = api.post(ANALYZE, contract_request(method=method), format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"srm_p_value", "srm_flag", "warnings", "arms"}
    assert body["srm_flag"] is False
    assert body["srm_p_value"] == pytest.approx(0.724, abs=1e-3)
    (arm,) = body["arms"]
    assert arm["name"] == "B"
    assert arm["mean_control"] == pytest.approx(0.1)
    assert arm["mean_treatment"] == pytest.approx(1080 / 10050)
    assert arm["absolute_effect"] == pytest.approx(1080 / 10050 - 0.1)
    assert set(arm) == {
        "name", "mean_control", "mean_treatment", "absolute_effect", "absolute_ci_low",
        "absolute_ci_high", "relative_lift", "ci_low", "ci_high", "p_value",
        "p_value_unadjusted", "chance_to_win", "expected_loss", "significant",
        "variance_reduction", "warnings",
    }  # fmt: skip
    # The control brought no covariate, so CUPED is skipped with a warning.
    assert arm["variance_reduction"] is None
    assert any("CUPED" in text for text in arm["warnings"])


def test_it_fills_the_frequentist_fields_of_the_contract_example(api):
    arm = api.post(ANALYZE, contract_request(), format="json").json()["arms"][0]

    assert arm["relative_lift"] == pytest.approx(0.07463, abs=1e-5)
    assert arm["ci_low"] < 0 < arm["ci_high"]
    assert arm["p_value"] == arm["p_value_unadjusted"] == pytest.approx(0.0947, abs=1e-4)
    assert arm["significant"] is False
    assert arm["chance_to_win"] is None and arm["expected_loss"] is None


def test_it_applies_cuped_when_every_arm_has_a_covariate(api):
    body = contract_request()
    body["variants"][0].update(pre_sum=1000, pre_sum_squares=1000, sum_product=500)

    arm = api.post(ANALYZE, body, format="json").json()["arms"][0]

    assert 0 < arm["variance_reduction"] < 1
    assert arm["warnings"] == []


def test_it_needs_only_the_required_fields(api):
    body = {
        "metric_type": "continuous",
        "variants": [
            {"name": "control", "n": 100, "sum": 500, "sum_squares": 2900},
            {"name": "B", "n": 100, "sum": 550, "sum_squares": 3400},
        ],
    }

    response = api.post(ANALYZE, body, format="json")

    assert response.status_code == 200
    assert response.json()["arms"][0]["p_value"] is not None


def test_it_corrects_across_arms(api):
    body = contract_request(correction="bonferroni", expected_split=None)
    del body["expected_split"]
    body["variants"] = [
        {"name": "control", "n": 5000, "sum": 500, "sum_squares": 500},
        {"name": "B", "n": 5000, "sum": 560, "sum_squares": 560},
        {"name": "C", "n": 5000, "sum": 590, "sum_squares": 590},
    ]

    arms = api.post(ANALYZE, body, format="json").json()["arms"]

    for arm in arms:
        assert arm["p_value"] == pytest.approx(min(1, 2 * arm["p_value_unadjusted"]))


def test_it_keeps_degenerate_input_out_of_the_json_as_nulls(api):
    body = contract_request()
    body["variants"] = [
        {"name": "control", "n": 1000, "sum": 0, "sum_squares": 0},
        {"name": "B", "n": 1000, "sum": 10, "sum_squares": 10},
    ]

    response = api.post(ANALYZE, body, format="json")

    assert response.status_code == 200
    arm = response.json()["arms"][0]
    assert arm["relative_lift"] is None and arm["p_value"] is None
    assert arm["absolute_effect"] == pytest.approx(0.01)
    assert any("control mean is 0" in text for text in arm["warnings"])
    json.loads(response.content, parse_constant=lambda name: pytest.fail(name))


def test_it_turns_away_anonymous_callers(api_as):
    for path, body in ((ANALYZE, contract_request()), (SAMPLE_SIZE, {"metric_type": "binomial"})):
        response = api_as(None).post(path, body, format="json")

        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def names(body: dict, field: str) -> bool:
    """The error names `field`, or something inside it ("variants.non_field_errors")."""
    return any(key == field or key.startswith(f"{field}.") for key in body["fields"])


def variant(index: int, **changes):
    def change(body):
        body["variants"][index].update(changes)
        return body

    return change


def drop(name):
    def change(body):
        del body[name]
        return body

    return change


def replace(**changes):
    def change(body):
        body.update(changes)
        return body

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (variant(0, n=-1), "variants.0.n"),
        (variant(1, n=10.5), "variants.1.n"),
        (variant(1, sum_squares=2000), "variants.1.sum_squares"),  # binomial: must equal sum
        (variant(1, sum=20000, sum_squares=20000), "variants.1.sum_squares"),  # more than n
        (variant(1, sum_product=1e9), "variants.1.sum_product"),
        (variant(1, pre_sum=None), "variants.1.pre_sum"),
        (variant(0, sum="lots"), "variants.0.sum"),
        (variant(0, sum=1e300), "variants.0.sum"),
        (replace(variants=[{"name": "control", "n": 10, "sum": 1, "sum_squares": 1}]), "variants"),
        (replace(variants=[]), "variants"),
        (replace(variants="none"), "variants"),
        (replace(variants=[1, 2]), "variants.0.non_field_errors"),
        (replace(method="magic"), "method"),
        (replace(alpha=0), "alpha"),
        (replace(alpha=1.5), "alpha"),
        (replace(alpha="NaN"), "alpha"),
        (replace(alternative="greater"), "alternative"),
        (replace(correction="sidak"), "correction"),
        (replace(expected_split=[0.3, 0.3, 0.4]), "expected_split"),
        (replace(expected_split=[0.5, 0]), "expected_split.1"),
        (replace(prior={"mean": 0, "sd": 0}), "prior.sd"),
        (replace(prior=[1, 2]), "prior.non_field_errors"),
        (replace(sequential_tuning_n=0), "sequential_tuning_n"),
        (replace(metric_type="fraction"), "metric_type"),
        (drop("metric_type"), "metric_type"),
    ],
)
def test_it_rejects_bad_analysis_input_naming_the_field(api, change, field):
    # Nested fields are named as the API names every nested error: "variants.1.sum".
    response = api.post(ANALYZE, change(contract_request()), format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert names(body, field), body


def test_it_refuses_a_negative_control_mean(api):
    body = contract_request(metric_type="continuous")
    body["variants"] = [
        {"name": "control", "n": 100, "sum": -500, "sum_squares": 2900},
        {"name": "B", "n": 100, "sum": 550, "sum_squares": 3400},
    ]

    response = api.post(ANALYZE, body, format="json")

    assert response.status_code == 400
    assert "negative" in response.json()["fields"]["variants.0.sum"][0]


def test_it_rejects_a_body_that_is_not_json_or_not_an_object(api):
    garbage = api.post(ANALYZE, "{not json", content_type="application/json")
    a_list = api.post(ANALYZE, [1, 2, 3], format="json")
    nan = api.post(
        ANALYZE,
        '{"metric_type": "binomial", "alpha": NaN, "variants": []}',
        content_type="application/json",
    )

    assert garbage.status_code == 400
    assert a_list.status_code == 400
    assert nan.status_code == 400


def test_it_answers_the_sample_size_contract_example(api):
    body = {
        "metric_type": "binomial",
        "baseline": 0.2,
        "mde": 0.05,
        "mde_type": "absolute",
        "alpha": 0.05,
        "power": 0.8,
        "variants": 2,
        "daily_traffic": 5000,
        "allocation": 1.0,
    }

    response = api.post(SAMPLE_SIZE, body, format="json")

    assert response.status_code == 200
    assert response.json() == {"n_per_variant": 1092, "n_total": 2184, "duration_days": 1}


def test_it_sizes_a_test_on_means_without_a_duration(api):
    body = {
        "metric_type": "continuous",
        "baseline_mean": 50,
        "baseline_sd": 10,
        "mde": 0.05,
        "mde_type": "relative",
    }

    response = api.post(SAMPLE_SIZE, body, format="json")

    assert response.json() == {"n_per_variant": 252, "n_total": 504, "duration_days": None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseline": None}, "baseline"),
        ({"baseline": 1.0}, "baseline"),
        ({"baseline": 0.99}, "mde"),
        ({"mde": 0}, "mde"),
        ({"mde": 1e-12}, "mde"),
        ({"alpha": 1}, "alpha"),
        ({"power": 0}, "power"),
        ({"variants": 1}, "variants"),
        ({"mde_type": "percent"}, "mde_type"),
        ({"daily_traffic": 0}, "daily_traffic"),
        ({"daily_traffic": 1e-300}, "daily_traffic"),
        ({"allocation": 0}, "allocation"),
        ({"metric_type": "continuous"}, "baseline_mean"),
    ],
)
def test_it_rejects_bad_sample_size_input_naming_the_field(api, changes, field):
    body = {
        "metric_type": "binomial",
        "baseline": 0.2,
        "mde": 0.05,
        "mde_type": "absolute",
        "daily_traffic": 5000,
    }
    body.update(changes)
    body = {key: value for key, value in body.items() if value is not None}

    response = api.post(SAMPLE_SIZE, body, format="json")

    assert response.status_code == 400, response.content
    assert names(response.json(), field), response.json()


# --- ratio metrics -------------------------------------------------------------------------

# Revenue per order: per arm the users' mean and sd of revenue y and of orders x, and their
# correlation.
RATIO_ARMS = (
    ("control", 5000, 48.0, 90.0, 1.20, 1.1, 0.7),
    ("B", 5100, 51.0, 95.0, 1.22, 1.1, 0.7),
)


def ratio_sums(name, n, mean_y, sd_y, mean_x, sd_x, correlation) -> dict:
    return {
        "name": name,
        "n": n,
        "sum": n * mean_y,
        "sum_squares": (n - 1) * sd_y**2 + n * mean_y**2,
        "denominator_sum": n * mean_x,
        "denominator_sum_squares": (n - 1) * sd_x**2 + n * mean_x**2,
        "cross_sum": (n - 1) * correlation * sd_x * sd_y + n * mean_x * mean_y,
    }


def ratio_request(**changes) -> dict:
    body = {"metric_type": "ratio", "variants": [ratio_sums(*arm) for arm in RATIO_ARMS]}
    body.update(changes)
    return body


def test_it_analyses_a_ratio_metric_by_the_delta_method(api):
    # Var(R) = (v_y − 2R c_xy + R² v_x) / (n x̄²) per arm, from the moments directly.
    arms = []
    for _, n, mean_y, sd_y, mean_x, sd_x, rho in RATIO_ARMS:
        r = mean_y / mean_x
        arms.append(
            (r, (sd_y**2 - 2 * r * rho * sd_x * sd_y + r**2 * sd_x**2) / (n * mean_x**2), n)
        )
    (r_c, var_c, n_c), (r_t, var_t, n_t) = arms
    lift = r_t / r_c - 1
    se = math.sqrt(var_t / r_c**2 + r_t**2 * var_c / r_c**4)
    df = (var_c + var_t) ** 2 / (var_c**2 / (n_c - 1) + var_t**2 / (n_t - 1))
    half = stats.t.ppf(0.975, df) * se

    response = api.post(ANALYZE, ratio_request(), format="json")

    assert response.status_code == 200, response.content
    (arm,) = response.json()["arms"]
    assert arm["mean_control"] == pytest.approx(r_c, rel=1e-9)
    assert arm["mean_treatment"] == pytest.approx(r_t, rel=1e-9)
    assert arm["absolute_effect"] == pytest.approx(r_t - r_c, rel=1e-9)
    assert arm["relative_lift"] == pytest.approx(lift, rel=1e-9)
    assert arm["ci_low"] == pytest.approx(lift - half, rel=1e-9)
    assert arm["ci_high"] == pytest.approx(lift + half, rel=1e-9)
    assert arm["p_value"] == pytest.approx(2 * stats.t.sf(abs(lift / se), df), rel=1e-9)
    assert arm["warnings"] == []


def without(index: int, *names):
    def change(body):
        for name in names:
            del body["variants"][index][name]
        return body

    return change


def flipped_denominator(body):
    # x → −x keeps the sums consistent but makes Σx negative.
    for name in ("denominator_sum", "cross_sum"):
        body["variants"][0][name] *= -1
    return body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (without(1, "denominator_sum"), "variants.1.denominator_sum"),
        (without(1, "denominator_sum_squares"), "variants.1.denominator_sum_squares"),
        (without(1, "cross_sum"), "variants.1.cross_sum"),
        (
            without(0, "denominator_sum", "denominator_sum_squares", "cross_sum"),
            "variants.0.denominator_sum",
        ),
        (variant(1, cross_sum=1e12), "variants.1.cross_sum"),
        (variant(1, denominator_sum_squares=10.0), "variants.1.denominator_sum_squares"),
        (flipped_denominator, "variants.0.denominator_sum"),
        # A consistent covariate (x ≡ 1), refused on a ratio.
        (
            variant(0, pre_sum=5000, pre_sum_squares=5000, sum_product=240000.0),
            "variants.0.pre_sum",
        ),
        (replace(metric_type="continuous"), "variants.0.denominator_sum"),
    ],
)
def test_it_rejects_bad_ratio_input_naming_the_field(api, change, field):
    response = api.post(ANALYZE, change(ratio_request()), format="json")

    assert response.status_code == 400, response.content
    assert names(response.json(), field), response.json()


def test_it_does_not_size_a_ratio_metric(api):
    body = {"metric_type": "ratio", "baseline_mean": 40, "baseline_sd": 60, "mde": 0.05}

    response = api.post(SAMPLE_SIZE, body, format="json")

    assert response.status_code == 400
    assert names(response.json(), "metric_type")
