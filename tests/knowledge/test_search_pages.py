"""The search page, the navigation's search box and the propose form's similar-items panel."""

import pytest

from apps.knowledge.models.search import DuplicateLink, Kind, SearchItem, StakeholderAccess

from .search_helpers import doc, put


@pytest.fixture
def items(demo):
    g = demo.group
    put(Kind.EXPERIMENT,
        doc(g, "Show delivery cost on the product page", statement="Shipping fee shown early",
            outcome="won", surfaces=["Product pages"], lift=0.041, lift_low=0.017,
            lift_high=0.066, year=2025),
        doc(g, "Free shipping threshold at €39", statement="Lower the minimum order",
            outcome="lost", surfaces=["Checkout page"], lift=-0.012, year=2024),
        doc(g, "Confidential shipping price test", statement="Shipping price for members",
            stakeholders=StakeholderAccess.NONE, outcome="won", surfaces=["Checkout page"]),
    )  # fmt: skip
    return demo


def test_the_navigation_has_a_search_box_that_goes_to_the_search_page(web_as):
    page = web_as("sofia").get("/")
    assert b'data-testid="nav-search"' in page.content
    assert b'action="/knowledge/"' in page.content


def test_the_search_page_shows_results_with_outcomes_lifts_and_facets(web_as, items):
    page = web_as("lena").get("/knowledge/", {"q": "shipping"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Show delivery cost on the product page" in html
    assert 'data-testid="outcome">Won<' in html and "+4.1 %" in html
    assert 'data-testid="facets"' in html


def test_a_stakeholder_never_sees_a_confidential_item_on_the_page(web_as, items):
    html = web_as("sofia").get("/knowledge/", {"q": "shipping"}).content.decode()
    assert "Confidential shipping price test" not in html
    assert "Show delivery cost on the product page" in html


def test_the_page_says_when_search_is_lexical(web_as, items, settings):
    settings.KNOWLEDGE_SEMANTIC = False
    html = web_as("lena").get("/knowledge/").content.decode()
    assert "Lexical search" in html


def test_a_bad_filter_is_a_400_naming_the_field(web_as, items):
    page = web_as("lena").get("/knowledge/", {"q": "shipping", "outcome": "great"})
    assert page.status_code == 400
    assert "outcome" in page.content.decode()


def test_the_propose_form_has_the_similar_items_panel(web_as, demo):
    html = web_as("lena").get(f"/backlog/groups/{demo.group.slug}/propose/").content.decode()
    assert 'data-testid="similar-panel"' in html
    assert "keyup changed delay:400ms" in html


def test_the_panel_lists_similar_past_items_with_their_outcome(web_as, items):
    html = web_as("lena").get("/knowledge/similar/", {"title": "show delivery cost earlier",
                                                       "change": "in checkout"}).content.decode()  # fmt: skip
    assert "Show delivery cost on the product page" in html
    assert 'data-testid="outcome">Won<' in html


def test_the_panel_suggests_no_confidential_item_to_a_stakeholder(web_as, items):
    html = web_as("james").get("/knowledge/similar/", {"title": "shipping price"}).content.decode()
    assert "Confidential shipping price test" not in html


def test_a_member_marks_a_hypothesis_as_a_duplicate_and_the_pm_sees_it(web_as, items):
    from apps.backlog import services

    lena = items.users["lena"]
    h = services.hypothesis_propose(
        actor=lena, group=items.group, title="Delivery cost upfront", change="show delivery cost",
        metric="conversion", rationale="surprise costs", direction="increase",
    )  # fmt: skip
    item = SearchItem.objects.get(title="Show delivery cost on the product page")
    page = web_as("lena").post(f"/knowledge/hypotheses/{h.pk}/duplicate/", {"item": item.pk})
    assert page.status_code == 200
    assert 'data-testid="marked-duplicate"' in page.content.decode()
    link = DuplicateLink.objects.get()
    assert (link.hypothesis, link.item, link.created_by) == (h, item, lena)

    listing = web_as("priya").get("/knowledge/duplicates/", {"group": items.group.slug})
    assert "Delivery cost upfront" in listing.content.decode()
    assert "Show delivery cost on the product page" in listing.content.decode()


def test_a_stakeholder_cannot_mark_a_duplicate(web_as, items):
    from tests.backlog.factories import HypothesisFactory

    h = HypothesisFactory(working_group=items.group, proposer=items.users["lena"])
    item = SearchItem.objects.get(title="Show delivery cost on the product page")
    page = web_as("sofia").post(f"/knowledge/hypotheses/{h.pk}/duplicate/", {"item": item.pk})
    assert page.status_code == 403
    assert not DuplicateLink.objects.exists()


def test_an_item_the_member_may_not_read_cannot_be_marked(web_as, items):
    from tests.accounts.factories import WorkingGroupFactory
    from tests.backlog.factories import HypothesisFactory

    elsewhere = WorkingGroupFactory()
    (other,) = put(Kind.EXPERIMENT, doc(elsewhere, "Another group's shipping test"))
    item = SearchItem.objects.get(kind=Kind.EXPERIMENT, object_id=other)
    h = HypothesisFactory(working_group=items.group, proposer=items.users["lena"])
    page = web_as("lena").post(f"/knowledge/hypotheses/{h.pk}/duplicate/", {"item": item.pk})
    assert page.status_code == 400
    assert not DuplicateLink.objects.exists()


def test_the_backlog_loads_the_suspected_duplicates_list(web_as, demo):
    html = web_as("priya").get("/backlog/", {"group": demo.group.slug}).content.decode()
    assert 'data-testid="duplicates-slot"' in html
    assert f"/knowledge/duplicates/?group={demo.group.slug}" in html


PROPOSAL = {
    "title": "Delivery cost upfront",
    "change": "show delivery cost earlier in checkout",
    "metric": "conversion",
    "rationale": "surprise costs make people leave",
    "direction": "increase",
    "category": "product",
}


def test_a_draft_can_be_ticked_as_a_duplicate_and_the_tick_survives_more_typing(web_as, items):
    item = SearchItem.objects.get(title="Show delivery cost on the product page")
    html = web_as("lena").get("/knowledge/similar/", {"title": "delivery cost"}).content.decode()
    assert f'name="duplicate_of" value="{item.pk}"' in html
    assert "checked" not in html
    # The person ticked it and typed on: other words bring other items; the tick is kept.
    html = (
        web_as("lena")
        .get("/knowledge/similar/", {"title": "minimum order threshold", "duplicate_of": item.pk})
        .content.decode()
    )
    assert f'name="duplicate_of" value="{item.pk}" data-testid="draft-duplicate" checked' in html
    assert "Show delivery cost on the product page" in html


def test_proposing_with_ticked_items_records_them_as_duplicates(web_as, items):
    from apps.backlog.models import Hypothesis

    item = SearchItem.objects.get(title="Show delivery cost on the product page")
    page = web_as("lena").post(
        f"/backlog/groups/{items.group.slug}/propose/",
        {**PROPOSAL, "working_group": items.group.pk, "duplicate_of": [item.pk]},
    )
    assert page.status_code == 302
    h = Hypothesis.objects.get(title="Delivery cost upfront")
    link = DuplicateLink.objects.get()
    assert (link.hypothesis, link.item, link.created_by) == (h, item, items.users["lena"])
    listing = web_as("priya").get("/knowledge/duplicates/", {"group": items.group.slug})
    assert "Delivery cost upfront" in listing.content.decode()


@pytest.mark.parametrize("mark", ["confidential", "nonsense", "missing"])
def test_a_bad_tick_refuses_the_proposal_naming_the_field_and_saves_nothing(web_as, items, mark):
    from apps.backlog.models import Hypothesis
    from tests.accounts.factories import WorkingGroupFactory

    (other,) = put(Kind.EXPERIMENT, doc(WorkingGroupFactory(), "Another group's shipping test"))
    value = {
        "confidential": SearchItem.objects.get(kind=Kind.EXPERIMENT, object_id=other).pk,
        "nonsense": "12; DROP TABLE",
        "missing": 10**9,
    }[mark]
    page = web_as("lena").post(
        f"/backlog/groups/{items.group.slug}/propose/",
        {**PROPOSAL, "working_group": items.group.pk, "duplicate_of": [value]},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "item number" in html or "that you may read" in html
    assert not Hypothesis.objects.filter(title="Delivery cost upfront").exists()
    assert not DuplicateLink.objects.exists()


def test_a_draft_panel_never_shows_a_ticked_item_the_person_may_not_read(web_as, items):
    from tests.accounts.factories import WorkingGroupFactory

    (other,) = put(Kind.EXPERIMENT, doc(WorkingGroupFactory(), "Another group's secret test"))
    hidden = SearchItem.objects.get(kind=Kind.EXPERIMENT, object_id=other)
    html = (
        web_as("lena")
        .get("/knowledge/similar/", {"title": "delivery cost", "duplicate_of": hidden.pk})
        .content.decode()
    )
    assert "Another group's secret test" not in html
    assert f'value="{hidden.pk}"' not in html
