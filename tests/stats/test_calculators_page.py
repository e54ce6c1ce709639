"""The calculators page: it renders, analyses, sizes, draws the forest plot, and explains errors."""

import pytest

pytestmark = pytest.mark.django_db

PAGE = "/calculators/"
ANALYZE = "/calculators/analyze/"
SAMPLE_SIZE = "/calculators/sample-size/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def prefixed(prefix: str, data: dict) -> dict:
    """Each calculator's fields carry its prefix, so the page has no duplicate ids."""
    return {f"{prefix}-{name}": value for name, value in data.items()}


def analysis_form(**changes) -> dict:
    data = {
        "metric_type": "binomial",
        "method": "frequentist",
        "level": "95",
        "correction": "none",
        "sequential_tuning_n": "5000",
        "name_0": "control",
        "n_0": "10000",
        "sum_0": "1000",
        "name_1": "Big button",
        "n_1": "10000",
        "sum_1": "1150",
        "name_2": "Small button",
        "n_2": "10000",
        "sum_2": "990",
    }
    data.update(changes)
    return prefixed("analysis", data)


def sample_size_form(**changes) -> dict:
    data = {
        "metric_type": "binomial",
        "baseline": "0.2",
        "mde": "0.05",
        "mde_type": "absolute",
        "alpha": "0.05",
        "power": "0.8",
        "variants": "2",
        "correction": "bonferroni",
        "daily_traffic": "5000",
        "allocation": "1",
    }
    data.update(changes)
    return prefixed("plan", data)


def test_it_sends_anonymous_visitors_to_log_in(web_as):
    response = web_as(None).get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_renders_both_calculators_and_the_nav_link(web_as):
    response = web_as("sofia").get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="analysis-calculator"' in html
    assert 'data-testid="sample-size-calculator"' in html
    assert 'href="/calculators/"' in html  # the Calculators section in the nav
    assert html.count('name="analysis-n_') == 5  # the control and four treatments


def test_it_analyses_a_test_and_draws_the_forest_plot(web_as):
    response = web_as("sofia").post(ANALYZE, analysis_form(), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the htmx partial only
    assert 'data-testid="analysis-result"' in html
    assert "Big button" in html and "Small button" in html
    assert "+15.00 %" in html
    assert 'data-testid="forest-plot"' in html
    assert html.count("<circle") == 2
    assert "#12805c" in html  # Big button's significant win is drawn green


def test_it_renders_the_whole_page_without_htmx(web_as):
    response = web_as("sofia").post(ANALYZE, analysis_form(method="bayesian"))

    html = response.content.decode()
    assert "<html" in html
    assert "Chance to win" in html
    assert 'data-testid="sample-size-calculator"' in html


def test_it_applies_cuped_from_the_optional_columns(web_as):
    cuped = {
        "metric_type": "continuous",
        "n_0": "1000", "sum_0": "10000", "sum_squares_0": "125000",
        "pre_sum_0": "9000", "pre_sum_squares_0": "101000", "sum_product_0": "110000",
        "n_1": "1000", "sum_1": "10400", "sum_squares_1": "133000",
        "pre_sum_1": "9050", "pre_sum_squares_1": "102000", "sum_product_1": "115000",
        "n_2": "",
    }  # fmt: skip

    response = web_as("sofia").post(ANALYZE, analysis_form(**cuped), **HTMX)

    assert "CUPED: variance −" in response.content.decode()


def test_it_explains_a_mistake_beside_the_field(web_as):
    response = web_as("sofia").post(ANALYZE, analysis_form(sum_squares_1="2000"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="analysis-result"' not in html
    assert "Must equal sum for a binomial metric" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_0": ""}, "Enter the units of the control."),
        ({"n_1": "", "n_2": ""}, "Enter the units of at least one treatment."),
        ({"n_1": "-4"}, "greater than or equal to 0"),
        ({"sum_1": "20000"}, "Conversions (20,000) cannot exceed the units n (10,000)"),
        ({"level": "100"}, "from 50 up to (not including) 100"),
        ({"level": "nan"}, "Enter a number."),
        ({"metric_type": "continuous", "sum_squares_1": ""}, "Required for every variant"),
        ({"method": "bayesian", "prior_mean": "0.1"}, "Give the prior&#x27;s sd too"),
        (
            {
                "sum_0": "-5",
                "metric_type": "continuous",
                "sum_squares_0": "100",
                "sum_squares_1": "2000",
                "sum_squares_2": "1000",
            },
            "negative",
        ),
    ],
)
def test_it_never_fails_on_bad_input_but_says_what_is_wrong(web_as, changes, message):
    response = web_as("sofia").post(ANALYZE, analysis_form(**changes), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html


def test_it_sizes_a_test(web_as):
    response = web_as("sofia").post(SAMPLE_SIZE, sample_size_form(), **HTMX)

    html = response.content.decode()
    assert 'data-testid="sample-size-result"' in html
    assert "<strong>1092</strong>" in html
    assert "2184 units" in html
    assert "1 day" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"baseline": ""}, "Enter the baseline conversion rate."),
        ({"baseline": "0.99"}, "must stay below 1"),
        ({"metric_type": "continuous"}, "Required for a continuous metric."),
        ({"mde": "0"}, "greater than 0"),
        ({"mde": "1e-12"}, "too small"),
        ({"allocation": "2"}, "(0, 1]"),
        ({"power": "abc"}, "Enter a number."),
    ],
)
def test_it_explains_what_is_wrong_with_a_sample_size_request(web_as, changes, message):
    response = web_as("sofia").post(SAMPLE_SIZE, sample_size_form(**changes), **HTMX)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-testid="sample-size-result"' not in response.content.decode()
