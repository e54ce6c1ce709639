"""A prior sd too small to analyse is a 400 on the API and a form error on the calculator."""

import pytest

from .test_api import ANALYZE as API_ANALYZE
from .test_api import contract_request
from .test_calculators_page import ANALYZE as PAGE_ANALYZE
from .test_calculators_page import HTMX, analysis_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sd", [1e-300, 5e-324, 1e-9])
def test_the_api_rejects_a_vanishing_prior_sd_naming_the_field(api_as, sd):
    body = contract_request(method="bayesian", prior={"mean": 0.0, "sd": sd})

    response = api_as("sofia").post(API_ANALYZE, body, format="json")

    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {"prior.sd"}, response.json()


def test_the_calculator_puts_a_vanishing_prior_sd_beside_its_field(web_as):
    data = analysis_form(method="bayesian", prior_mean="0", prior_sd="1e-300")

    response = web_as("sofia").post(PAGE_ANALYZE, data, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="analysis-result"' not in html
    assert "Must be at least 1e-06" in html
