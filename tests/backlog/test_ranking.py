"""A fair ranking: a Bayesian average toward the group's mean, the group's choice whether
proposers' self-scores count, and the program manager's pins with a recorded reason."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from apps.backlog import selectors, services
from apps.backlog.models import BacklogSettings, Hypothesis, Pin, ScoreSummary
from tests.backlog.test_pages import rows

pytestmark = pytest.mark.django_db

H = "/api/v1/hypotheses/"
MEMBERS = ("lena", "tomas", "aisha", "marco", "priya")


@pytest.fixture
def backlog(propose, ice_score):
    """Items many members scored, and Aisha's idea that only she scored (7.67, as filed)."""
    items = {}
    for title, value, scorers in (
        ("Delivery date", 7, 5),
        ("Saved carts", 6.5, 4),
        ("Dark mode", 4, 4),
        ("Gift wrap", 5, 3),
    ):
        items[title] = propose("lena", title=title)
        for name in MEMBERS[:scorers]:
            ice_score(name, items[title], value, value, value)
    items["Her idea"] = propose("aisha", title="Her idea")
    ice_score("aisha", items["Her idea"], 9, 8, 6)
    return items


def ranking(viewer, group) -> list[Hypothesis]:
    framework_ids = [selectors.backlog_settings(group).framework_id]
    return list(
        selectors.order_ranked(
            selectors.ranked(
                Hypothesis.objects.filter(working_group=group),
                framework_ids=framework_ids,
                viewer=viewer,
            )
        )
    )


def test_one_self_score_no_longer_tops_items_that_many_members_scored(backlog, users, group):
    ranked = ranking(users["lena"], group)
    by_title = {h.title: h for h in ranked}
    mine = by_title["Her idea"]

    assert mine.score == pytest.approx(23 / 3)  # the highest mean of all…
    assert ranked[0].title == "Delivery date"  # …but five members agreeing on 7 rank first
    assert ranked.index(mine) > ranked.index(by_title["Delivery date"])
    # adjusted = (m·μ + n·s̄) / (m + n), μ over every score that counts.
    mu = (7 * 5 + 6.5 * 4 + 4 * 4 + 5 * 3 + 23 / 3) / 17
    assert mine.adjusted_score == pytest.approx((3 * mu + 23 / 3) / 4)
    assert by_title["Delivery date"].adjusted_score == pytest.approx((3 * mu + 35) / 8)
    assert (mine.scorer_count, by_title["Delivery date"].scorer_count) == (1, 5)


def test_the_ranking_reads_the_same_for_a_stakeholder(backlog, web_as):
    member, stakeholder = web_as("lena").get("/backlog/"), web_as("sofia").get("/backlog/")
    assert rows(member) == rows(stakeholder)
    assert rows(stakeholder)[0] == "Delivery date"
    assert "Adjusted score" in stakeholder.content.decode()


def test_a_group_can_leave_proposers_self_scores_out(backlog, users, group, ice_score):
    ice_score("lena", backlog["Her idea"], 5, 5, 5)
    services.ranking_settings_update(actor=users["priya"], group=group, proposer_scores_count=False)

    by_title = {h.title: h for h in ranking(users["tomas"], group)}

    assert (by_title["Her idea"].score, by_title["Her idea"].scorer_count) == (5, 1)
    # Lena proposed the others and scored them herself: those scores drop out too.
    assert by_title["Delivery date"].scorer_count == 4
    assert ScoreSummary.objects.get(hypothesis=backlog["Her idea"]).scorer_count == 2


def test_an_idea_only_its_proposer_scored_counts_as_unscored_without_self_scores(
    backlog, users, group
):
    services.ranking_settings_update(actor=users["priya"], group=group, proposer_scores_count=False)
    ranked = ranking(users["tomas"], group)
    assert ranked[-1].title == "Her idea"
    assert (ranked[-1].score, ranked[-1].adjusted_score, ranked[-1].scorer_count) == (
        None,
        None,
        0,
    )


def test_only_the_program_manager_decides_whether_self_scores_count(users, group, web_as):
    with pytest.raises(PermissionDenied):
        services.ranking_settings_update(
            actor=users["lena"], group=group, proposer_scores_count=False
        )
    response = web_as("priya").post(f"/backlog/groups/{group.slug}/ranking/", {})
    assert response.status_code == 302
    assert BacklogSettings.objects.get(working_group=group).proposer_scores_count is False
    page = web_as("lena").get("/backlog/").content.decode()
    assert "Proposers' scores of their own hypotheses do not count" in page
    web_as("priya").post(f"/backlog/groups/{group.slug}/ranking/", {"proposer_scores_count": "on"})
    assert BacklogSettings.objects.get(working_group=group).proposer_scores_count is True


def test_the_program_manager_pins_an_item_with_a_reason_shown_to_everyone(
    backlog, users, group, web_as
):
    response = web_as("priya").post(
        f"/backlog/{backlog['Dark mode'].pk}/pin/", {"reason": "Accessibility audit in March"}
    )
    assert response.status_code == 302

    pin = Pin.objects.get(hypothesis=backlog["Dark mode"])
    assert (pin.pinned_by, pin.reason) == (users["priya"], "Accessibility audit in March")
    page = web_as("sofia").get("/backlog/")
    assert rows(page)[0] == "Dark mode"
    html = page.content.decode()
    assert "Pinned by Priya Raman on" in html and "Accessibility audit in March" in html
    assert 'data-testid="unpin"' not in html  # a stakeholder cannot unpin

    web_as("priya").post(f"/backlog/{backlog['Dark mode'].pk}/unpin/")
    assert not Pin.objects.exists()
    assert rows(web_as("sofia").get("/backlog/"))[0] == "Delivery date"


def test_pinning_needs_a_reason_and_the_program_manager(backlog, users, web_as):
    with pytest.raises(ValidationError) as error:
        services.hypothesis_pin(actor=users["priya"], hypothesis=backlog["Dark mode"], reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.hypothesis_pin(actor=users["lena"], hypothesis=backlog["Dark mode"], reason="Mine")
    assert (
        web_as("lena").post(f"/backlog/{backlog['Dark mode'].pk}/pin/", {"reason": "x"}).status_code
        == 403
    )
    assert not Pin.objects.exists()


def test_a_pin_error_shows_beside_the_reason_in_place(backlog, web_as):
    response = web_as("priya").post(
        f"/backlog/{backlog['Dark mode'].pk}/pin/", {"reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="ranking"' in html and 'data-testid="pin-error"' in html


def test_the_api_reports_the_adjusted_score_the_count_and_the_pin(backlog, api_as):
    client = api_as("priya")
    pinned = client.post(f"{H}{backlog['Gift wrap'].pk}/pin/", {"reason": "Peak season"})
    assert pinned.status_code == 200
    assert pinned.json()["pinned"] is True
    assert pinned.json()["pin"]["reason"] == "Peak season"
    assert pinned.json()["pin"]["pinned_by_name"] == "Priya Raman"

    results = api_as("sofia").get(H).json()["results"]
    assert [r["title"] for r in results[:2]] == ["Gift wrap", "Delivery date"]
    top = results[1]
    assert (top["scorer_count"], top["score"]) == (5, 7)
    assert top["adjusted_score"] < top["score"]
    assert (top["pinned"], top["pin"]) == (False, None)

    assert client.delete(f"{H}{backlog['Gift wrap'].pk}/pin/").json()["pinned"] is False


def test_the_api_refuses_a_pin_without_a_reason_naming_the_field(backlog, api_as):
    response = api_as("priya").post(f"{H}{backlog['Gift wrap'].pk}/pin/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    member = api_as("lena").post(f"{H}{backlog['Gift wrap'].pk}/pin/", {"reason": "Mine"})
    assert member.status_code == 403


def test_the_migration_fills_the_peer_aggregate_of_existing_summaries(backlog, ice_score):
    ice_score("lena", backlog["Her idea"], 3, 3, 3)
    ScoreSummary.objects.update(peer_count=0, peer_mean=None)
    migration = importlib.import_module("apps.backlog.migrations.0003_ranking_pins_and_self_scores")

    migration.fill_peer_summaries(django_apps, None)

    mine = ScoreSummary.objects.get(hypothesis=backlog["Her idea"])
    assert (mine.peer_count, mine.peer_mean) == (1, 3)
    lenas = ScoreSummary.objects.get(hypothesis=backlog["Delivery date"])
    assert (lenas.peer_count, lenas.peer_mean) == (4, 7)


def test_the_setting_is_offered_to_the_program_manager_only(group, web_as):
    url = f"/backlog/groups/{group.slug}/frameworks/"
    pm = web_as("priya").get(url).content.decode()
    assert 'data-testid="ranking-settings"' in pm
    assert 'name="proposer_scores_count"' in pm and "checked" in pm
    assert 'data-testid="ranking-settings"' not in web_as("lena").get(url).content.decode()


def test_the_scatter_has_axis_titles_and_ticks_on_the_frameworks_scales(backlog, web_as):
    html = web_as("sofia").get("/backlog/").content.decode()
    assert "Impact (1–10) →" in html
    assert "Effort: Ease (1–10), reversed (high ease = low effort) →" in html
    x_ticks = html[html.index('data-testid="scatter-x-ticks"') :]
    x_ticks = x_ticks[: x_ticks.index("</g>")]
    labels = [part.split("<", 1)[0] for part in x_ticks.split('text-anchor="middle">')[1:]]
    assert labels == ["10", "7.75", "5.5", "3.25", "1"]
