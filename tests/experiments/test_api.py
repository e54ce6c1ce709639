"""The experiments API: drafting, the lifecycle, pushing and uploading results, and the data
sources' admin-only configuration."""

import io

import pytest

from apps.experiments.models import DataSource, Experiment, Snapshot
from tests.experiments import factories as f

pytestmark = pytest.mark.django_db

E = "/api/v1/experiments/"


def _draft_body(demo, hypothesis, src, **changes) -> dict:
    conv = f.metric(demo, src, "checkout-conversion")
    speed = f.metric(demo, src, "page-load-ms", "continuous", direction="decrease")
    return {
        "hypothesis": hypothesis.pk,
        "title": "Guest checkout",
        "data_source": src.pk,
        "variants": [
            {"name": "control", "weight": 1, "is_control": True},
            {"name": "guest", "weight": 1},
        ],
        "metrics": [
            {"metric": conv.pk, "role": "primary"},
            {"metric": speed.pk, "role": "guardrail", "harm_threshold": 0.05},
        ],
        "planned_start": "2027-01-04",
        "planned_end": "2027-02-01",
        "baseline": 0.05,
        **changes,
    }


def test_a_member_drafts_an_experiment_from_an_accepted_hypothesis(api_as, demo):
    hypothesis = f.accepted_hypothesis(demo)
    src = f.source(demo)

    response = api_as("aisha").post(E, _draft_body(demo, hypothesis, src), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["key"], body["type"]) == ("draft", "guest-checkout", "ab")
    assert [m["role"] for m in body["metrics"]] == ["primary", "guardrail"]
    assert body["allowed_actions"] == ["submit"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"variants": [{"name": "control", "weight": 1, "is_control": True},
                       {"name": "b", "weight": 0}]}, "variants", "must be positive"),
        ({"metrics": []}, "metrics", "exactly one primary"),
        ({"allocation": 150}, "allocation", "at most 100"),
        ({"planned_end": "2026-12-01"}, "planned_end", "after the planned start"),
    ],
)  # fmt: skip
def test_a_bad_design_is_a_400_naming_the_rule_and_nothing_is_stored(
    api_as, demo, changes, field, words
):
    hypothesis = f.accepted_hypothesis(demo)
    body = _draft_body(demo, hypothesis, f.source(demo), **changes)

    response = api_as("aisha").post(E, body, format="json")

    assert response.status_code == 400
    errors = response.json()["fields"]
    assert words in " ".join(errors[field])
    assert not Experiment.objects.exists()


def test_a_stakeholder_cannot_draft(api_as, demo):
    hypothesis = f.accepted_hypothesis(demo)

    response = api_as("sofia").post(E, _draft_body(demo, hypothesis, f.source(demo)), format="json")

    assert response.status_code == 403
    assert not Experiment.objects.exists()


def test_the_lifecycle_through_the_api_records_who_moved_it(api_as, demo):
    exp = f.design(demo)
    url = f"{E}{exp.pk}/transition/"

    assert api_as("aisha").post(url, {"action": "submit"}, format="json").status_code == 200
    refused = api_as("aisha").post(url, {"action": "approve"}, format="json")
    approved = api_as("marco").post(url, {"action": "approve"}, format="json")

    assert refused.status_code == 403
    assert "statistics lead" in refused.json()["detail"]
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == demo.users["marco"].pk


def test_the_checklist_lists_every_check_with_the_sample_size(api_as, demo):
    exp = f.approved(demo)

    response = api_as("lena").get(f"{E}{exp.pk}/checklist/")

    body = response.json()
    assert response.status_code == 200
    assert body["ready"] is False
    assert [c["name"] for c in body["checks"]] == ["approved", "metrics", "sample", "conflicts"]
    assert body["sizing"]["n_per_variant"] > 0


def test_pushed_statistics_become_an_analysed_snapshot(api_as, demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)

    response = api_as("aisha").post(f"{E}{exp.pk}/push/", {"rows": f.push_rows(exp)}, format="json")

    assert response.status_code == 201, response.json()
    analysis = response.json()["analysis"]
    assert analysis["metrics"][0]["arms"][0]["relative_lift"] == pytest.approx(0.12)
    results = api_as("sofia").get(f"{E}{exp.pk}/results/")
    assert results.status_code == 200


def test_an_upload_with_a_bad_row_names_the_row_and_column_and_stores_nothing(
    api_as, demo, monkeypatch
):
    exp = f.launched(demo, monkeypatch)
    csv = (
        "metric,variant,n,sum,sum_squares\n"
        "checkout-conversion,control,1000,50,50\n"
        "checkout-conversion,treatment,lots,60,60\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "results.csv"

    response = api_as("aisha").post(f"{E}{exp.pk}/upload/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["fields"]["file"] == ["Row 3, column n: 'lots' is not a number."]
    assert not Snapshot.objects.exists()


def test_per_unit_rows_are_summed_on_upload(api_as, demo, monkeypatch):
    exp = f.launched(demo, monkeypatch)
    lines = ["metric,variant,value"]
    lines += [f"{m},{v},{x}" for m in ("checkout-conversion", "revenue", "page-load-ms")
              for v, x in (("control", 1), ("control", 0), ("treatment", 1), ("treatment", 1))]  # fmt: skip
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "units.csv"

    response = api_as("aisha").post(f"{E}{exp.pk}/upload/", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    rows = {(r["metric"], r["variant"]): r for r in response.json()["stats"]}
    assert (
        rows[("checkout-conversion", "control")] | {"n": 2, "sum": 1.0}
        == rows[("checkout-conversion", "control")]
    )


def test_refresh_answers_202_with_the_snapshot_to_poll(
    api_as, demo, monkeypatch, django_capture_on_commit_callbacks
):
    exp = f.launched(demo, monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("lena").post(f"{E}{exp.pk}/refresh/")

    assert response.status_code == 202
    state = api_as("lena").get(response.json()["state_url"])
    assert state.status_code == 200
    # The data source's file does not exist: the pull fails, retried, and says so.
    assert state.json()["status"] == "failed"
    assert state.json()["error"].startswith("The pull failed")  # not an admin: no detail
    admin_view = api_as("dana").get(response.json()["state_url"])
    assert "Attempt" in admin_view.json()["error"]


def test_data_sources_are_for_admins_only_and_hold_no_secret(api_as, demo):
    src = f.source(demo)

    for who in ("aisha", "priya", "marco"):
        assert api_as(who).get(f"/api/v1/data-sources/{src.pk}/").status_code == 404
        assert api_as(who).get("/api/v1/data-sources/").json()["results"] == []
    created = api_as("dana").post(
        "/api/v1/data-sources/",
        {"working_group": demo.group.pk, "name": "Prod", "kind": "postgresql",
         "config": {"url": "postgres://admin:hunter2@db/prod"},
         "assignment_sql": "SELECT 1 AS experiment_key"},
        format="json",
    )  # fmt: skip

    assert created.status_code == 400
    assert "Secrets stay in environment variables" in created.json()["fields"]["config"][0]
    assert not DataSource.objects.filter(name="Prod").exists()
