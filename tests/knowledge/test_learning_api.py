"""The learnings API: create with links, bad input named by field with nothing saved, the
review steps, links, the prefill, and a list whose query count does not grow."""

import pytest
from rest_framework.test import APIClient

from apps.knowledge.models import Learning, LearningStatus
from tests.knowledge.learning_helpers import DELIVERY, THRESHOLD, past

pytestmark = pytest.mark.django_db


def _api(demo, who):
    api = APIClient()
    api.force_authenticate(demo.users[who])
    return api


@pytest.fixture
def exp(demo):
    return past(demo, DELIVERY, write_learning=False)


def _new(demo, exp, **extra):
    return {"working_group": demo.group.pk, "title": "Fees up front", "changed": "PDP fee.",
            "happened": "+4 % orders.", "tags": ["shipping"],
            "experiments": [{"experiment": exp.pk, "role": "supports"}], **extra}  # fmt: skip


def test_a_member_creates_a_learning_resting_on_an_experiment(demo, exp):
    response = _api(demo, "lena").post("/api/v1/learnings/", _new(demo, exp), format="json")

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "draft" and body["tags"] == ["shipping"]
    assert body["links"] == [{"experiment": exp.pk, "experiment_title": exp.title,
                              "experiment_key": exp.key, "role": "supports",
                              "added_at": body["links"][0]["added_at"]}]  # fmt: skip


@pytest.mark.parametrize("change,field", [
    ({"title": ""}, "title"),
    ({"happened": "x" * 10_001}, "happened"),
    ({"tags": ["x" * 41]}, "tags"),
    ({"experiments": [{"experiment": 10**9}]}, "experiments"),
    ({"experiments": [{"experiment": 1, "role": "maybe"}]}, "experiments"),
    ({"working_group": 10**9}, "working_group"),
])  # fmt: skip
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(demo, exp, change, field):
    response = _api(demo, "lena").post(
        "/api/v1/learnings/", _new(demo, exp, **change), format="json"
    )

    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["fields"])
    assert not Learning.objects.exists()


def test_the_review_steps_and_their_refusals(demo, exp):
    lena, marco = _api(demo, "lena"), _api(demo, "marco")
    pk = lena.post("/api/v1/learnings/", _new(demo, exp), format="json").json()["id"]
    url = f"/api/v1/learnings/{pk}/transition/"

    early = marco.post(url, {"action": "publish"}, format="json")
    lena.post(url, {"action": "submit"}, format="json")
    own = lena.post(url, {"action": "publish"}, format="json")
    done = marco.post(url, {"action": "publish"}, format="json")
    unknown = marco.post(url, {"action": "archive"}, format="json")

    assert early.status_code == 400 and "you may" in early.json()["detail"]
    assert own.status_code == 403
    assert done.status_code == 200 and done.json()["status"] == LearningStatus.PUBLISHED
    assert done.json()["published_by"] == demo.users["marco"].pk
    assert unknown.status_code == 400 and "action" in unknown.json()["fields"]


def test_links_are_added_retagged_and_removed(demo, exp):
    other = past(demo, THRESHOLD, write_learning=False)
    lena = _api(demo, "lena")
    pk = lena.post("/api/v1/learnings/", _new(demo, exp), format="json").json()["id"]

    added = lena.post(f"/api/v1/learnings/{pk}/links/",
                      {"experiment": other.pk, "role": "contradicts"}, format="json")  # fmt: skip
    removed = lena.delete(f"/api/v1/learnings/{pk}/links/{other.pk}/")
    again = lena.delete(f"/api/v1/learnings/{pk}/links/{other.pk}/")

    assert {(link["experiment"], link["role"]) for link in added.json()["links"]} == {
        (exp.pk, "supports"), (other.pk, "contradicts")}  # fmt: skip
    assert [link["experiment"] for link in removed.json()["links"]] == [exp.pk]
    assert again.status_code == 404


def test_the_prefill_gives_the_draft_and_the_types_questions(demo, exp):
    response = _api(demo, "sofia").get("/api/v1/learnings/prefill/", {"experiment": exp.pk})

    body = response.json()
    assert response.status_code == 200
    assert body["experiment"] == exp.pk and body["working_group"] == demo.group.pk
    assert body["happened"].startswith("Order conversion +4.")
    assert "What moved" in body["questions"]["happened"]


def test_the_list_costs_the_same_queries_whatever_its_length(
    demo, exp, django_assert_max_num_queries
):
    lena = _api(demo, "lena")
    for i in range(3):
        lena.post("/api/v1/learnings/", _new(demo, exp, title=f"A{i}"), format="json")
    # The session's user, the page of learnings, their links: the same for 3 rows or 23.
    with django_assert_max_num_queries(4):
        lena.get("/api/v1/learnings/")
    for i in range(20):
        lena.post("/api/v1/learnings/", _new(demo, exp, title=f"B{i}"), format="json")

    with django_assert_max_num_queries(4):
        body = lena.get("/api/v1/learnings/").json()

    assert body["count"] == 23
