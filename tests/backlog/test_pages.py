"""Backlog pages: the ranked page, inline scoring, the hypothesis page, forms and settings."""

import pytest

from apps.backlog import services
from apps.backlog.models import Hypothesis, Score, ScoringFramework
from tests.backlog.factories import HypothesisFactory
from tests.backlog.test_api import _backlog_of

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    """Titles of the ranked rows, in order."""
    html = response.content.decode()
    return [
        part.split('"', 1)[0]
        for part in html.split('data-testid="hypothesis-row" data-title="')[1:]
    ]


def test_it_ranks_the_groups_open_hypotheses(web_as, propose, ice_score, users):
    low, high = propose("lena", title="Low"), propose("tomas", title="High")
    rejected = propose("aisha", title="Rejected one")
    services.hypothesis_transition(
        actor=users["priya"], hypothesis=rejected, to_status="rejected", reason="Tested in 2024."
    )
    ice_score("tomas", low, 3, 3, 3)
    ice_score("tomas", high, 9, 9, 9)
    response = web_as("lena").get("/backlog/")
    assert response.status_code == 200
    assert rows(response) == ["High", "Low"]
    assert response.content.decode().count('data-testid="unscored"') == 2  # Lena scored neither
    everything = web_as("lena").get("/backlog/", {"status": "all"})
    assert rows(everything) == ["High", "Low", "Rejected one"]


def test_it_filters_and_searches(web_as, propose, demo):
    propose("lena", title="Express pay", tags=["checkout"], business_unit=demo.units["commerce"])
    propose("tomas", title="Typo-tolerant search", category="foundational")
    client = web_as("sofia")
    assert rows(client.get("/backlog/", {"q": "typo"})) == ["Typo-tolerant search"]
    assert rows(client.get("/backlog/", {"tag": "checkout"})) == ["Express pay"]
    assert rows(client.get("/backlog/", {"category": "foundational"})) == ["Typo-tolerant search"]
    unit = demo.units["commerce"].pk
    assert rows(client.get("/backlog/", {"business_unit": unit})) == ["Express pay"]
    owner = demo.users["tomas"].pk
    assert rows(client.get("/backlog/", {"owner": owner})) == ["Typo-tolerant search"]


def test_a_stakeholder_sees_the_ranking_but_no_score_buttons(web_as, hypothesis):
    html = web_as("sofia").get("/backlog/").content.decode()
    assert 'data-testid="score-button"' not in html
    assert 'data-testid="propose"' not in html


def test_an_htmx_filter_returns_only_the_ranking(web_as, hypothesis):
    response = web_as("lena").get(
        "/backlog/", {"q": "delivery"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ranking"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ranking"')
    assert "<html" not in html
    assert rows(response) == [hypothesis.title]


def test_inline_scoring_returns_the_reranked_table(web_as, propose, ice_score):
    first = propose("lena", title="First")
    second = propose("lena", title="Second")
    ice_score("tomas", first, 5, 5, 5)
    client = web_as("aisha")
    form = client.get(f"/backlog/{second.pk}/score/", HTTP_HX_REQUEST="true")
    assert 'name="impact"' in form.content.decode()
    response = client.post(
        f"/backlog/{second.pk}/score/",
        {"impact": 9, "confidence": 9, "ease": 9, "return_query": "sort=-score"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="ranking",
    )
    assert response.status_code == 200
    assert rows(response) == ["Second", "First"]
    assert 'class="just-scored"' in response.content.decode()
    assert Score.objects.get(hypothesis=second).total == 9


def test_a_bad_inline_score_comes_back_as_the_form_with_the_rule(web_as, hypothesis):
    response = web_as("tomas").post(
        f"/backlog/{hypothesis.pk}/score/",
        {"impact": 12, "confidence": 5, "ease": 5},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422  # swapped by htmx (base.html), the form retargeted
    assert response["HX-Retarget"] == f"#score-form-{hypothesis.pk}"
    assert "within its scale 1–10" in response.content.decode()
    assert not Score.objects.exists()


def test_the_hypothesis_page_shows_statement_scores_and_history(
    web_as, hypothesis, ice_score, users
):
    ice_score("tomas", hypothesis, 9, 9, 9, comment="Strong evidence")
    ice_score("aisha", hypothesis, 2, 2, 2)
    services.hypothesis_transition(
        actor=users["priya"], hypothesis=hypothesis, to_status="parked", reason="Next quarter."
    )
    html = web_as("sofia").get(f"/backlog/{hypothesis.pk}/").content.decode()
    assert "show an estimated delivery date" in html
    assert "Strong evidence" in html
    assert 'data-testid="discuss"' in html
    assert "Next quarter." in html
    assert 'data-testid="transition-form"' not in html  # a stakeholder moves nothing
    assert 'data-testid="detail-score-form"' not in html


def test_the_pm_sees_only_the_steps_they_may_take(web_as, hypothesis):
    html = web_as("priya").get(f"/backlog/{hypothesis.pk}/").content.decode()
    assert '<option value="accepted">' in html and '<option value="parked">' in html
    owner_html = web_as("lena").get(f"/backlog/{hypothesis.pk}/").content.decode()
    assert 'data-testid="transition-form"' not in owner_html


def test_rejecting_on_the_page_without_a_reason_shows_the_rule(web_as, hypothesis):
    response = web_as("priya").post(
        f"/backlog/{hypothesis.pk}/transition/", {"to_status": "rejected", "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why the hypothesis is rejected." in response.content.decode()
    hypothesis.refresh_from_db()
    assert hypothesis.status == "proposed"


def test_a_member_proposes_through_the_form(web_as, demo):
    response = web_as("lena").post(
        f"/backlog/groups/{demo.group.slug}/propose/",
        {
            "title": "Guest checkout",
            "change": "preselect guest checkout",
            "metric": "checkout conversion",
            "direction": "increase",
            "expected_effect": "1.2",
            "rationale": "the sign-in wall loses people",
            "category": "product",
            "tags": "checkout, onboarding",
            "effort_weeks": "1",
        },
    )
    h = Hypothesis.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/backlog/{h.pk}/"
    assert sorted(h.tags.values_list("slug", flat=True)) == ["checkout", "onboarding"]


def test_a_proposal_missing_its_reason_is_shown_again(web_as, demo):
    response = web_as("lena").post(
        f"/backlog/groups/{demo.group.slug}/propose/",
        {"title": "x", "change": "y", "metric": "z", "rationale": "", "category": "product",
         "direction": "increase"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Hypothesis.objects.exists()


def test_the_owner_edits_through_the_form(web_as, hypothesis):
    response = web_as("lena").post(
        f"/backlog/{hypothesis.pk}/edit/",
        {
            "title": "Delivery dates, sharper",
            "change": hypothesis.change,
            "metric": hypothesis.metric,
            "direction": "increase",
            "rationale": hypothesis.rationale,
            "category": "foundational",
            "tags": "shipping",
        },
    )
    assert response.status_code == 302
    hypothesis.refresh_from_db()
    assert (hypothesis.title, hypothesis.category) == ("Delivery dates, sharper", "foundational")
    assert hypothesis.owner.username == "lena"


def test_the_pm_creates_and_chooses_a_framework_on_the_settings_page(web_as, demo):
    client = web_as("priya")
    page = client.get(f"/backlog/groups/{demo.group.slug}/frameworks/").content.decode()
    assert "ICE" in page and "RICE" in page and "PIE" in page
    response = client.post(
        f"/backlog/groups/{demo.group.slug}/frameworks/new/",
        {
            "name": "Value vs cost",
            "rule": "sum",
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Value",
            "criteria-0-scale_min": "0",
            "criteria-0-scale_max": "5",
            "criteria-0-weight": "2",
            "criteria-0-axis": "impact",
            "criteria-1-name": "Cost",
            "criteria-1-scale_min": "0",
            "criteria-1-scale_max": "20",
            "criteria-1-weight": "-0.5",
            "criteria-1-axis": "effort",
        },
    )
    assert response.status_code == 302
    custom = ScoringFramework.objects.get(name="Value vs cost")
    client.post(f"/backlog/frameworks/{custom.pk}/choose/")
    assert "Scored with <strong>Value vs cost</strong>" in client.get("/backlog/").content.decode()


def test_a_bad_custom_framework_shows_the_rule(web_as, demo):
    response = web_as("priya").post(
        f"/backlog/groups/{demo.group.slug}/frameworks/new/",
        {
            "name": "Broken",
            "rule": "sum",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Value",
            "criteria-0-scale_min": "5",
            "criteria-0-scale_max": "1",
        },
    )
    assert response.status_code == 400
    assert "The scale max must be above its min" in response.content.decode()


def test_deleting_the_current_framework_is_refused_with_a_message(web_as, demo):
    priya = demo.users["priya"]
    custom = services.framework_create(
        actor=priya, group=demo.group, name="Custom",
        criteria=[{"name": "Value", "scale_min": 0, "scale_max": 10}],
    )  # fmt: skip
    services.framework_choose(actor=priya, framework=custom)
    client = web_as("priya")
    response = client.post(f"/backlog/frameworks/{custom.pk}/delete/", follow=True)
    assert "current framework" in response.content.decode()
    assert ScoringFramework.objects.filter(pk=custom.pk).exists()


def test_the_pm_sees_the_portfolio_warning_and_sets_the_target(web_as, demo, propose):
    h = propose("lena", category="foundational")
    services.hypothesis_transition(actor=demo.users["priya"], hypothesis=h, to_status="accepted")
    client = web_as("priya")
    assert 'data-testid="portfolio-warning"' in client.get("/backlog/").content.decode()
    client.post(f"/backlog/groups/{demo.group.slug}/target/", {"product_share_target": 5})
    demo.group.refresh_from_db()
    assert demo.group.product_share_target == 5
    assert 'data-testid="portfolio-warning"' not in client.get("/backlog/").content.decode()


def test_a_group_you_are_not_in_is_a_404(web_as, demo, client):
    other = HypothesisFactory()
    assert web_as("lena").get(f"/backlog/{other.pk}/").status_code == 404
    assert web_as("lena").get("/backlog/", {"group": other.working_group.slug}).status_code == 404


@pytest.mark.parametrize("n", [5, 50])
def test_the_ranked_page_costs_the_same_queries_for_5_and_50_rows(
    web_as, demo, n, django_assert_num_queries
):
    _backlog_of(demo, n)
    client = web_as("lena")
    # session, user, groups, memberships, settings, ranking priors, count, page, tags, the
    # scatter's criteria, portfolio, and the filter form's owner, business unit and tag choices
    with django_assert_num_queries(14):
        response = client.get("/backlog/")
    assert len(rows(response)) == n
