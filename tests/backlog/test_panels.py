"""The backlog's dashboard panel: proposals waiting for the person's score."""

import pytest

from apps.backlog import panels

pytestmark = pytest.mark.django_db


def test_it_lists_proposals_the_person_has_not_scored_oldest_first(
    demo, propose, ice_score, web_as
):
    first = propose("lena", title="Delivery date instead of shipping speed")
    second = propose("aisha", title="Sticky add-to-cart")
    scored = propose("aisha", title="Already scored")
    ice_score("tomas", scored, 8, 6, 4)

    panel = panels.awaiting_my_score(demo.users["tomas"])

    assert [h.pk for h in panel["hypotheses"]] == [first.pk, second.pk]
    html = web_as("tomas").get("/").content.decode()
    assert 'data-testid="awaiting-score"' in html and "Sticky add-to-cart" in html
    assert f'href="/backlog/{first.pk}/#score"' in html


def test_a_proposal_leaves_the_panel_once_scored(demo, propose, ice_score):
    h = propose("lena")
    assert panels.awaiting_my_score(demo.users["marco"])["hypotheses"] == [h]

    ice_score("marco", h, 5, 5, 5)

    assert panels.awaiting_my_score(demo.users["marco"]) is None


def test_stakeholders_score_nothing_and_get_no_panel(demo, propose, web_as):
    propose("lena")

    assert panels.awaiting_my_score(demo.users["sofia"]) is None
    assert 'data-testid="awaiting-score"' not in web_as("sofia").get("/").content.decode()
