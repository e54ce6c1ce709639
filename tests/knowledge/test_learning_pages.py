"""Learning pages: the prompt on a concluded experiment, writing the learning prefilled,
errors in place, the review steps, the dashboard panel, and confidential experiments'
learnings hidden on every read path."""

import pytest
from rest_framework.test import APIClient

from apps.knowledge.models import Learning, LearningStatus
from tests.knowledge.learning_helpers import (
    DELIVERY,
    THRESHOLD,
    hide_behind_confidential_plan,
    learning_of,
    past,
)

pytestmark = pytest.mark.django_db


def _login(client, demo, who):
    client.force_login(demo.users[who])
    return client


def test_a_concluded_experiment_without_a_learning_prompts_for_one(client, demo):
    exp = past(demo, DELIVERY, write_learning=False)

    page = _login(client, demo, "lena").get(f"/experiments/{exp.pk}/").content.decode()

    assert 'data-testid="learning-prompt"' in page
    assert f"/knowledge/learnings/new/?experiment={exp.pk}" in page


def test_a_stakeholder_sees_the_learning_but_no_prompt_to_write(client, demo):
    exp = past(demo, DELIVERY)

    page = _login(client, demo, "sofia").get(f"/experiments/{exp.pk}/").content.decode()

    assert learning_of(exp).title in page
    assert 'data-testid="write-learning"' not in page


def test_the_form_opens_prefilled_from_the_design_and_results(client, demo):
    exp = past(demo, DELIVERY, write_learning=False)

    page = _login(client, demo, "lena").get(f"/knowledge/learnings/new/?experiment={exp.pk}")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Show delivery cost on the product page: order conversion +4." in text
    assert "Decision: Ship." in text
    assert "What moved, by how much, with what interval?" in text  # the A/B template


def test_saving_writes_a_draft_resting_on_the_experiment(client, demo):
    exp = past(demo, DELIVERY, write_learning=False)

    response = _login(client, demo, "lena").post(
        f"/knowledge/learnings/new/?experiment={exp.pk}",
        {"title": "Fees up front", "changed": "Fee on the PDP.", "happened": "+4 % orders.",
         "tags": "shipping, Checkout"},
    )  # fmt: skip

    learning = Learning.objects.get(title="Fees up front")
    assert response.status_code == 302 and response["Location"].endswith(f"/{learning.pk}/")
    assert learning.tags == ["shipping", "checkout"]
    assert learning.links.get().experiment == exp


def test_a_refused_form_comes_back_with_the_error_beside_its_field_in_place(client, demo):
    exp = past(demo, DELIVERY, write_learning=False)

    response = _login(client, demo, "lena").post(
        f"/knowledge/learnings/new/?experiment={exp.pk}",
        {"title": "Fees up front", "changed": "", "happened": "+4 %."},
        HTTP_HX_REQUEST="true",
    )

    text = response.content.decode()
    assert response.status_code == 422
    assert text.lstrip().startswith("{# The learning form") or 'id="learning-form"' in text
    assert "<html" not in text
    assert "Say what changed." in text
    assert not Learning.objects.exists()


def test_the_review_steps_publish_a_learning(client, demo):
    exp = past(demo, DELIVERY, write_learning=False)
    _login(client, demo, "lena").post(
        f"/knowledge/learnings/new/?experiment={exp.pk}",
        {"title": "Fees up front", "changed": "Fee on the PDP.", "happened": "+4 %."},
    )
    learning = Learning.objects.get()
    client.post(f"/knowledge/learnings/{learning.pk}/transition/", {"action": "submit"})

    page = _login(client, demo, "marco").get(f"/knowledge/learnings/{learning.pk}/")
    assert 'data-testid="step-publish"' in page.content.decode()
    client.post(f"/knowledge/learnings/{learning.pk}/transition/", {"action": "publish"})

    assert Learning.objects.get().status == LearningStatus.PUBLISHED


def test_the_dashboard_lists_the_owners_concluded_experiments_awaiting_a_learning(client, demo):
    waiting = past(demo, THRESHOLD, write_learning=False)  # Aisha's
    past(demo, DELIVERY)  # Lena's, written up

    aisha = _login(client, demo, "aisha").get("/").content.decode()
    lena = _login(client, demo, "lena").get("/").content.decode()

    assert 'data-testid="learnings-to-write"' in aisha and waiting.title in aisha
    assert 'data-testid="learnings-to-write"' not in lena


def test_the_list_costs_the_same_queries_for_five_or_fifty(
    client, demo, django_assert_max_num_queries
):
    from apps.knowledge.services import learnings as services

    _login(client, demo, "sofia")
    for i in range(5):
        learning = services.learning_create(actor=demo.users["lena"], group=demo.group,
                                            title=f"L{i}", changed="c", happened="h")  # fmt: skip
        services.learning_transition(actor=demo.users["lena"], learning=learning, action="submit")
        services.learning_transition(actor=demo.users["marco"], learning=learning, action="publish")
    with django_assert_max_num_queries(8) as five:
        assert client.get("/knowledge/learnings/").status_code == 200
    for i in range(45):
        services.learning_create(actor=demo.users["lena"], group=demo.group, title=f"M{i}",
                                 changed="c", happened="h")  # fmt: skip
    _login(client, demo, "lena")
    with django_assert_max_num_queries(len(five.captured_queries) + 1):
        page = client.get("/knowledge/learnings/")
    assert page.content.decode().count('<li class="card">') == 50
    assert "M44" in page.content.decode()


@pytest.fixture
def secret(demo):
    exp = past(demo, DELIVERY)
    hide_behind_confidential_plan(demo, exp)
    return exp, learning_of(exp)


@pytest.mark.parametrize("who,sees", [("james", False), ("sofia", True), ("tomas", True)])
def test_a_learning_on_a_confidential_plans_experiment_reads_under_the_plans_rule(
    client, demo, secret, who, sees
):
    _exp, learning = secret
    _login(client, demo, who)
    api = APIClient()
    api.force_authenticate(demo.users[who])

    listing = client.get("/knowledge/learnings/").content.decode()
    detail = client.get(f"/knowledge/learnings/{learning.pk}/")
    api_list = api.get("/api/v1/learnings/").json()
    api_detail = api.get(f"/api/v1/learnings/{learning.pk}/")
    meta = api.get("/api/v1/meta-analysis/").json()

    assert (learning.title in listing) is sees
    assert detail.status_code == (200 if sees else 404)
    ids = [row["id"] for row in api_list.get("results", api_list)]
    assert (learning.pk in ids) is sees
    assert api_detail.status_code == (200 if sees else 404)
    assert meta["concluded"] == (1 if sees else 0)


def test_the_search_index_carries_the_plans_rule_for_the_learning(demo, secret):
    from apps.knowledge import indexing
    from apps.knowledge.models import Kind, SearchItem

    _exp, learning = secret
    indexing.index_ids(Kind.LEARNING, [learning.pk])

    def found(who):
        rows = SearchItem.objects.visible_to(demo.users[who]).filter(kind=Kind.LEARNING)
        return list(rows.values_list("object_id", flat=True))

    assert found("james") == []
    assert found("sofia") == [learning.pk]
    row = SearchItem.objects.get(kind=Kind.LEARNING, object_id=learning.pk)
    assert (row.outcome, row.lift is not None) == ("won", True)
    assert "Unexpected shipping costs" in row.text_c
