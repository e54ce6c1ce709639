"""The calculators explain themselves: the verdict, p-value and intervals never contradict,
each number says what it is, Bayesian results speak in probabilities, expert inputs sit
under "Advanced", errors land on the right field, and a link restores a calculation."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from apps.stats.engine import AnalysisSettings, VariantStatistic, analyze

from .test_calculators_page import ANALYZE, HTMX, PAGE, SAMPLE_SIZE, analysis_form, sample_size_form

pytestmark = pytest.mark.django_db

# The case filed: the difference's own interval excludes 0, the lift's test does not.
BORDERLINE = {"n_0": "10000", "sum_0": "1000", "n_1": "12000", "sum_1": "1300", "n_2": ""}


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_borderline_case_reads_one_verdict_and_explains_the_other_interval(web_as):
    arm = analyze(
        [VariantStatistic("control", 10000, 1000, 1000), VariantStatistic("B", 12000, 1300, 1300)],
        AnalysisSettings("binomial"),
    ).arms[0]
    # The engine's two scales disagree here: that is the case the page must explain.
    assert arm.absolute_ci_low > 0 and arm.ci_low < 0 < arm.ci_high and arm.p_value > 0.05

    response = web_as("marco").post(ANALYZE, analysis_form(name_1="B", **BORDERLINE), **HTMX)

    page = text(response)
    html = response.content.decode()
    assert "not significant" in page and "no clear effect yet" in page
    # The interval beside the verdict is the lift's, and it includes 0 as the verdict says.
    lift_interval = re.search(r'data-testid="lift-interval">([^<]+)<', html).group(1)
    assert lift_interval == f"{arm.ci_low * 100:+.2f} % to {arm.ci_high * 100:+.2f} %"
    assert f"p = {arm.p_value:.4f}" in page
    assert 'data-testid="scales-disagree"' in html
    assert "The verdict above follows the lift" in page


def test_it_says_what_was_computed(web_as):
    response = web_as("marco").post(ANALYZE, analysis_form(level="90"), **HTMX)

    page = text(response)
    assert "90 % confidence intervals and two-sided p-values, both for the relative lift" in page
    assert "delta method" in page
    assert "10.00 %" in page and "11.50 %" in page  # conversion rates as percentages
    assert "+1.50 pp" in page  # the difference in percentage points
    assert (
        "Big button raised conversion by 15.0 % (90 % CI +" in page
        and "unlikely to be chance (p = 0.0014)" in page
    )


def test_bayesian_mode_speaks_in_probabilities_without_alpha_or_significance(web_as):
    response = web_as("marco").post(ANALYZE, analysis_form(method="bayesian"), **HTMX)

    page = text(response)
    result = page[page.index("Result") :]
    for word in ("α", "alpha", "significant", "p-value"):
        assert word not in result.lower() if word != "α" else word not in result
    assert "95 % credible interval" in result
    assert "chance to beat control" in result
    for term in ("Credible interval:", "Chance to win:", "Expected loss:"):
        assert term in result


def test_expert_inputs_sit_under_advanced_and_every_id_is_unique(web_as):
    html = web_as("marco").get(PAGE).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    advanced = html[html.index('data-testid="advanced"') : html.index("</details>")]
    for name in ("prior_mean", "prior_sd", "pre_sum_0", "sum_product_4"):
        assert f'name="analysis-{name}"' in advanced
    assert "<details" in html and 'data-testid="advanced" open' not in html
    assert "θ = cov(metric, pre-period) / var(pre-period)" in unescape(advanced)
    assert "Welch–Satterthwaite" in advanced


def test_advanced_opens_when_it_holds_an_error(web_as):
    response = web_as("marco").post(
        ANALYZE, analysis_form(method="bayesian", prior_mean="0.1"), **HTMX
    )
    assert 'data-testid="advanced" open' in response.content.decode()


def test_conversions_above_n_are_reported_on_the_sum_in_words_about_conversions(web_as):
    response = web_as("marco").post(ANALYZE, analysis_form(sum_1="20000"), **HTMX)

    html = response.content.decode()
    sum_cell = html[html.index('name="analysis-sum_1"') :]
    sum_cell = sum_cell[: sum_cell.index("</td>")]
    assert "Conversions (20,000) cannot exceed the units n (10,000)" in sum_cell
    squares = html[html.index('name="analysis-sum_squares_1"') :]
    assert 'role="alert"' not in squares[: squares.index("</td>")]


@pytest.mark.parametrize(
    ("traffic", "warning"),
    [("5000", "Under 7 days"), ("20", "Over 8 weeks"), ("300", None)],
)
def test_it_warns_about_too_short_and_too_long_tests(web_as, traffic, warning):
    response = web_as("marco").post(SAMPLE_SIZE, sample_size_form(daily_traffic=traffic), **HTMX)

    html = response.content.decode()
    assert 'data-testid="sample-size-result"' in html
    if warning:
        assert warning in html and 'data-testid="duration-warning"' in html
    else:
        assert 'data-testid="duration-warning"' not in html


def test_a_shared_link_restores_and_recalculates_an_analysis(web_as):
    client = web_as("marco")
    posted = client.post(ANALYZE, analysis_form(method="sequential", **BORDERLINE), **HTMX)
    link = unescape(
        re.search(
            r'data-testid="share-link" href="([^"]+)"|href="([^"]+)" data-testid="share-link"',
            posted.content.decode(),
        ).group(2)
    )
    assert urlsplit(link).path == PAGE

    restored = client.get(link)

    html = restored.content.decode()
    assert 'data-testid="analysis-result"' in html
    assert 'value="12000"' in html and 'value="sequential" selected' in html
    assert text(restored).count("confidence sequence") >= 1


def test_a_shared_link_restores_a_plan(web_as):
    client = web_as("marco")
    posted = client.post(SAMPLE_SIZE, sample_size_form(), **HTMX).content.decode()
    link = unescape(re.search(r'href="([^"]+)" data-testid="plan-share-link"', posted).group(1))

    restored = client.get(link).content.decode()

    assert "<strong>1092</strong>" in restored
