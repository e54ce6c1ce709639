"""The roadmap in meetings: decision points due on the agenda, decisions taken in a meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.roadmap.models import Decision, ResearchPlan

from .factories import milestones_of, plan_with

pytestmark = pytest.mark.django_db
hooks = pytest.importorskip("apps.meetings.hooks")


@pytest.fixture
def meeting(demo):
    from apps.meetings import services as meeting_services
    from apps.meetings.models import Kind

    return meeting_services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Working group",
        kind=Kind.WORKING_GROUP,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )


def draft(demo, meeting):
    """The roadmap's candidates for the meeting, by key, as the agenda builder receives them.

    Called directly rather than through the whole agenda draft, so these tests depend on
    the hook contract only.
    """
    from apps.meetings.agenda import context_for
    from apps.roadmap.meeting_hooks import decision_points_due

    candidates = list(decision_points_due(context_for(meeting)))
    keys = [c.key for c in candidates]
    assert len(keys) == len(set(keys))
    return {c.key: c for c in candidates}


def record(demo, meeting, payload, actor="priya"):
    from apps.meetings import services as meeting_services

    return meeting_services.decision_record(
        actor=demo.users[actor],
        meeting=meeting,
        text="Decided at the milestone.",
        kind="milestone.decide",
        payload=payload,
    )


def test_both_hooks_are_registered():
    sources = {s.name: s for s in hooks.agenda_sources()}
    assert sources["roadmap.decision_points_due"].heading == "Decision points due"
    assert sources["roadmap.decision_points_due"].order == 40
    assert "milestone.decide" in hooks.decision_kinds()


def test_the_agenda_source_costs_one_query_whatever_the_number_of_plans(
    demo, meeting, django_assert_num_queries
):
    from apps.roadmap.meeting_hooks import decision_points_due

    from .factories import plans_at_scale

    plans_at_scale(demo, 30)  # the third decision point of each is due in 40 days
    ctx = hooks.AgendaContext(
        group=demo.group,
        meeting=meeting,
        since=None,
        until=timezone.now() + datetime.timedelta(days=60),
    )
    with django_assert_num_queries(1):
        assert len(list(decision_points_due(ctx))) == 10  # capped


def test_current_decision_points_due_before_the_next_meeting_go_on_the_agenda(demo, meeting):
    # Cadence 14 days: the following meeting is 15 days away.
    due = plan_with(demo, title="Due soon", milestones=(5, 10, 60))
    later = plan_with(demo, title="Not yet", milestones=(40,))
    plan_with(demo, title="Draft", milestones=(3,), activate=False)
    first = milestones_of(due)[0]

    items = draft(demo, meeting)

    assert list(items) == [f"milestone:{first.pk}:due"]  # only the current one, not drafts
    item = items[f"milestone:{first.pk}:due"]
    assert "Due soon" in item.title and item.presenter_id == due.owner_id
    assert first.decision_criteria in item.detail
    assert item.subject == first and item.url.endswith(f"#milestone-{first.pk}")
    assert milestones_of(later)[0].pk not in [c.subject.pk for c in items.values()]
    assert list(draft(demo, meeting)) == list(items)  # the same keys: never duplicated


def test_a_confidential_plan_goes_on_the_agenda_under_a_neutral_title(demo, meeting):
    secret = plan_with(demo, title="Pricing secret", milestones=(5,), confidential=True)

    item = draft(demo, meeting)[f"milestone:{milestones_of(secret)[0].pk}:due"]

    assert "Pricing secret" not in item.title + item.detail
    assert "Commerce" in item.title


def test_a_pivot_recorded_in_a_meeting_moves_the_plan_and_names_the_meeting(demo, meeting, api_as):
    plan = plan_with(demo, category="foundational")
    first, _ = milestones_of(plan)

    record(
        demo,
        meeting,
        {"milestone": first.pk, "outcome": "pivot", "rationale": "Latency: re-rank top 50."},
    )

    decision = Decision.objects.get(milestone=first)
    assert decision.outcome == "pivot" and decision.meeting == meeting
    assert ResearchPlan.objects.get(pk=plan.pk).revision_open
    row = next(
        p for p in api_as("sofia").get("/api/v1/roadmap/").json()["plans"] if p["id"] == plan.pk
    )
    assert row["milestones"][0]["state"] == "pivot"
    assert meeting.decisions.get().subject == first


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"outcome": "pivot", "rationale": "r"}, "payload.milestone"),
        ({"milestone": "x", "outcome": "pivot", "rationale": "r"}, "payload.milestone"),
        ({"milestone": 10**30, "outcome": "pivot", "rationale": "r"}, "payload.milestone"),
        ({"milestone": "FIRST", "outcome": "maybe", "rationale": "r"}, "payload.outcome"),
        ({"milestone": "FIRST", "outcome": "pivot"}, "payload.rationale"),
        ({"milestone": "FIRST", "outcome": "pivot", "rationale": 5}, "payload.rationale"),
        ({"milestone": "SECOND", "outcome": "pivot", "rationale": "r"}, "payload.milestone"),
        ({"milestone": "FIRST", "outcome": "ship", "rationale": "r"}, "payload.outcome"),
        (
            {"milestone": "FIRST", "outcome": "pivot", "rationale": "r", "decided_by": "x"},
            "payload.decided_by",
        ),
        (
            {"milestone": "FIRST", "outcome": "pivot", "rationale": "r", "decided_by": 10**9},
            "payload.decided_by",
        ),
        (
            {"milestone": "FIRST", "outcome": "pivot", "rationale": "r", "decided_by": "OUTSIDER"},
            "payload.decided_by",
        ),
    ],
)
def test_a_bad_payload_records_nothing(demo, meeting, payload, field):
    plan = plan_with(demo, category="foundational")
    first, second = milestones_of(plan)
    from apps.accounts.models import User

    outsider = User.objects.create_user("outsider", password="pw-outsider-1")
    ids = {"FIRST": first.pk, "SECOND": second.pk, "OUTSIDER": outsider.pk}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}

    with pytest.raises(ValidationError) as excinfo:
        record(demo, meeting, payload)

    assert field in excinfo.value.message_dict
    assert not Decision.objects.exists()
    assert not meeting.decisions.exists()


# --- the meeting page's milestone decision form --------------------------------------------

FORM = "milestone-decide"  # the form's prefix and test id


def _post(client, meeting, **fields):
    data = {"kind": "milestone.decide"}
    data.update({f"{FORM}-{name}": value for name, value in fields.items()})
    return client.post(f"/meetings/{meeting.pk}/decisions/", data)


def test_the_meeting_page_offers_each_active_plans_current_decision_point(demo, meeting, web_as):
    plan = plan_with(demo, title="Checkout path")
    draft_plan = plan_with(demo, title="Still a draft", activate=False)
    first, second = milestones_of(plan)

    html = web_as("priya").get(f"/meetings/{meeting.pk}/").content.decode()
    form = html[html.index(f'data-testid="{FORM}"') :]
    form = form[: form.index("</form>")]

    milestone_select = form[: form.index("</select>")]
    assert f'<option value="{first.pk}">Checkout path — Decision point 1' in milestone_select
    assert f'value="{second.pk}"' not in milestone_select  # not the current one
    assert f'value="{milestones_of(draft_plan)[0].pk}"' not in milestone_select
    # stakeholders record nothing in meetings, so they get no form
    assert (
        f'data-testid="{FORM}"'
        not in web_as("sofia").get(f"/meetings/{meeting.pk}/").content.decode()
    )


def test_a_pivot_recorded_on_the_meeting_page_moves_the_plan(demo, meeting, web_as, api_as):
    plan = plan_with(demo, category="foundational")
    first, _ = milestones_of(plan)

    response = _post(
        web_as("priya"),
        meeting,
        milestone=first.pk,
        outcome="pivot",
        rationale="Latency: re-rank only the top 50.",
        learned="The full re-rank is too slow.",
    )

    assert response.status_code == 302
    decision = Decision.objects.get(milestone=first)
    assert (decision.outcome, decision.meeting, decision.learned) == (
        "pivot",
        meeting,
        "The full re-rank is too slow.",
    )
    record = meeting.decisions.get()
    assert record.kind == "milestone.decide" and record.subject == first
    assert (
        record.text
        == "Pivot at “Checkout path — Decision point 1”: Latency: re-rank only the top 50."
    )
    assert ResearchPlan.objects.get(pk=plan.pk).revision_open
    row = next(
        p for p in api_as("sofia").get("/api/v1/roadmap/").json()["plans"] if p["id"] == plan.pk
    )
    assert row["milestones"][0]["state"] == "pivot"


@pytest.mark.parametrize(
    ("category", "fields", "field", "rule"),
    [
        ("product", {"outcome": "continue", "rationale": ""}, "rationale", "rationale"),
        ("foundational", {"outcome": "ship", "rationale": "Ship it."}, "outcome", "product"),
        ("product", {"outcome": "", "rationale": "r"}, "outcome", "required"),
    ],
)
def test_a_refused_decision_shows_the_rule_on_its_field_and_records_nothing(
    demo, meeting, web_as, category, fields, field, rule
):
    plan = plan_with(demo, category=category)
    first, _ = milestones_of(plan)

    response = _post(web_as("priya"), meeting, milestone=first.pk, **fields)

    assert response.status_code == 400
    errors = response.context["kind_forms"][0][1].errors
    assert rule in " ".join(errors[field]).lower()
    assert not Decision.objects.exists() and not meeting.decisions.exists()


def test_a_milestone_that_is_not_current_is_refused(demo, meeting, web_as):
    plan = plan_with(demo)
    _, second = milestones_of(plan)

    response = _post(
        web_as("priya"), meeting, milestone=second.pk, outcome="continue", rationale="r"
    )

    assert response.status_code == 400
    assert "milestone" in response.context["kind_forms"][0][1].errors
    assert not Decision.objects.exists()


def test_a_confidential_plans_decision_is_recorded_under_a_neutral_title(demo, meeting, web_as):
    secret = plan_with(demo, title="Pricing secret", confidential=True)
    first, _ = milestones_of(secret)

    _post(web_as("priya"), meeting, milestone=first.pk, outcome="continue", rationale="Held up.")

    text = meeting.decisions.get().text
    assert "Pricing secret" not in text
    assert text == "Continue at a confidential Commerce plan's decision point: Held up."


def test_an_agenda_item_on_a_decision_point_links_to_the_form_preselected(demo, meeting, web_as):
    from apps.meetings import services as meeting_services

    plan = plan_with(demo, title="Checkout path", milestones=(1, 60))
    first, _ = milestones_of(plan)
    meeting_services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)
    client = web_as("priya")

    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    link = f"?decide=milestone.decide&amp;subject={first.pk}#decide-{FORM}"
    assert f'href="{link}"' in page

    opened = client.get(f"/meetings/{meeting.pk}/?decide=milestone.decide&subject={first.pk}")
    form = opened.context["kind_forms"][0][1]
    assert form.initial == {"milestone": first.pk}
    assert f'<option value="{first.pk}" selected>' in opened.content.decode()
    # stakeholders read the agenda but record nothing: no link
    assert (
        'data-testid="decide-link"'
        not in web_as("sofia").get(f"/meetings/{meeting.pk}/").content.decode()
    )


def test_the_meeting_form_records_who_decided_when_it_was_not_the_recorder(demo, meeting, web_as):
    plan = plan_with(demo, title="Checkout path")
    first, _ = milestones_of(plan)

    _post(
        web_as("priya"),
        meeting,
        milestone=first.pk,
        outcome="continue",
        rationale="The lift held.",
        decided_by=demo.users["sofia"].pk,
    )

    decision = Decision.objects.get(milestone=first)
    assert (decision.decided_by, decision.recorded_by) == (demo.users["sofia"], demo.users["priya"])
    assert "(decided by Sofia Lindqvist)" in meeting.decisions.get().text


@pytest.fixture
def formless_kind():
    """A kind registered without a form of its own, removed again after the test."""
    name = "tests.formless"
    hooks.decision_kind(name, label="Formless", readable=hooks.readable_by_every_reader)(
        lambda **kwargs: None
    )
    yield name
    hooks._KINDS.pop(name)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("nope", "Unknown decision kind 'nope'"),
        ("tests.formless", "are recorded with the decision form"),
    ],
)
def test_a_kind_without_a_form_is_a_400_and_records_nothing(
    demo, meeting, web_as, formless_kind, kind, message
):
    response = web_as("priya").post(f"/meetings/{meeting.pk}/decisions/", {"kind": kind})

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not meeting.decisions.exists()


# --- who reads a decision taken at a milestone ---------------------------------------------


def test_a_decision_kind_must_say_who_reads_its_decisions():
    with pytest.raises(TypeError):
        hooks.decision_kind("tests.unsaid", label="Says nothing of its readers")


def test_the_milestone_kind_reads_decisions_under_the_plans_rule(demo, meeting):
    from apps.meetings.models import Decision as MeetingDecision
    from apps.meetings.selectors import present_decisions

    secret = plan_with(demo, title="Pricing secret", confidential=True)
    open_plan = plan_with(demo, title="Checkout path")
    for plan in (secret, open_plan):
        record(
            demo,
            meeting,
            {"milestone": milestones_of(plan)[0].pk, "outcome": "continue", "rationale": "Held."},
        )
    decisions = list(MeetingDecision.objects.select_related("meeting", "recorded_by"))
    kind = hooks.decision_kinds()["milestone.decide"]

    readable = {
        name: kind.readable(decisions, demo.users[name]) for name in ("james", "sofia", "lena")
    }

    secret_id, open_id = (d.pk for d in decisions)
    assert readable == {
        "james": {open_id},
        "sofia": {secret_id, open_id},
        "lena": {secret_id, open_id},
    }
    shown = {d.id: d for d in present_decisions(decisions, demo.users["james"])}
    assert shown[open_id].text == "Decided at the milestone." and not shown[open_id].withheld
    assert shown[secret_id].withheld and shown[secret_id].payload == {}
    assert shown[secret_id].text == (
        "Decided at a confidential Commerce plan's decision point; details on its page for "
        "those who may read it."
    )


def test_presenting_decisions_costs_the_same_queries_for_many(
    demo, meeting, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.meetings.models import Decision as MeetingDecision
    from apps.meetings.selectors import present_decisions

    def present():
        decisions = MeetingDecision.objects.select_related("meeting", "recorded_by", "agenda_item")
        return present_decisions(decisions, demo.users["james"])

    first = milestones_of(plan_with(demo, title="Pricing secret", confidential=True))[0]
    record(demo, meeting, {"milestone": first.pk, "outcome": "continue", "rationale": "Held."})
    with CaptureQueriesContext(connection) as one:
        assert len(present()) == 1
    for n in range(10):
        plan = plan_with(demo, title=f"Secret {n}", confidential=n % 2 == 0)
        milestone = milestones_of(plan)[0]
        record(demo, meeting, {"milestone": milestone.pk, "outcome": "pivot", "rationale": "r"})

    with django_assert_max_num_queries(len(one.captured_queries)):
        shown = present()
    assert len(shown) == 11 and sum(d.withheld for d in shown) == 6
