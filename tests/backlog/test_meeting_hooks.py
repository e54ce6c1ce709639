"""The backlog plugs into meetings through its own meeting_hooks.py: three agenda sources and
the "hypothesis.transition" decision kind, with a form the meeting page offers like any
other kind's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.backlog.forms import MeetingTransitionForm
from apps.backlog.models import Hypothesis, Status
from apps.meetings import hooks
from apps.meetings import services as meeting_services
from apps.meetings.models import AgendaItem, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(demo):
    return meeting_services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Growth working group",
        starts_at=timezone.now() + timedelta(days=7),
        timezone_name="Europe/Berlin",
    )


def test_the_backlog_registers_its_sources_and_decision_kind():
    names = {source.name: source.fn.__module__ for source in hooks.agenda_sources()}
    kind = hooks.decision_kinds()["hypothesis.transition"]

    for name in ("backlog.proposed", "backlog.discuss", "backlog.top_ranked"):
        assert names[name] == "apps.backlog.meeting_hooks"
    assert kind.fn.__module__ == "apps.backlog.meeting_hooks"
    assert kind.form is MeetingTransitionForm


def test_the_meeting_page_offers_the_transition_form_with_the_groups_open_hypotheses(
    web_as, meeting, propose
):
    open_ = propose(title="Guest checkout by default")
    rejected = propose(title="Dark patterns at checkout")
    Hypothesis.objects.filter(pk=rejected.pk).update(status=Status.REJECTED)

    html = web_as("priya").get(f"/meetings/{meeting.pk}/").content.decode()

    form = html[html.index('data-testid="hypothesis-transition"') :]
    form = form[: form.index("</form>")]
    assert f'<option value="{open_.pk}">Guest checkout by default</option>' in form
    assert "Dark patterns" not in form
    # The meetings' own decision form no longer knows hypotheses.
    plain = html[html.index('data-testid="decision-form"') :]
    assert 'name="hypothesis"' not in plain[: plain.index("</form>")]


def test_a_decision_through_the_form_moves_the_hypothesis_and_names_it(web_as, meeting, propose):
    hypothesis = propose()

    response = web_as("priya").post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "kind": "hypothesis.transition",
            "hypothesis-transition-hypothesis": hypothesis.pk,
            "hypothesis-transition-to_status": "accepted",
            "hypothesis-transition-text": "Accept: the sign-in wall costs us buyers",
        },
    )

    assert response.status_code == 302
    hypothesis.refresh_from_db()
    assert hypothesis.status == Status.ACCEPTED
    decision = meeting.decisions.get()
    assert decision.kind == "hypothesis.transition"
    assert decision.subject == hypothesis
    assert decision.text == "Accept: the sign-in wall costs us buyers"
    change = hypothesis.status_changes.order_by("-at", "-pk").first()
    assert change.reason == "Accept: the sign-in wall costs us buyers"


def test_a_refused_move_shows_the_workflow_error_on_the_forms_field(web_as, meeting, propose):
    hypothesis = propose()

    response = web_as("marco").post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "kind": "hypothesis.transition",
            "hypothesis-transition-hypothesis": hypothesis.pk,
            "hypothesis-transition-to_status": "parked",
            "hypothesis-transition-text": "Park it",
        },
    )

    assert response.status_code == 403
    assert not meeting.decisions.exists()


def test_a_form_without_a_status_is_refused_and_records_nothing(web_as, meeting, propose):
    hypothesis = propose()

    response = web_as("priya").post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "kind": "hypothesis.transition",
            "hypothesis-transition-hypothesis": hypothesis.pk,
            "hypothesis-transition-text": "Accept",
        },
    )

    assert response.status_code == 400
    assert response.context["kind_forms"]
    form = dict((k.name, f) for k, f in response.context["kind_forms"])["hypothesis.transition"]
    assert "to_status" in form.errors
    assert not meeting.decisions.exists()


def test_an_agenda_item_about_a_proposal_links_to_its_decision_preselected(
    web_as, demo, meeting, propose
):
    hypothesis = propose()
    meeting_services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting, key=f"hypothesis:{hypothesis.pk}:proposed")
    client = web_as("priya")

    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    card = html[html.index(f'id="item-{item.pk}"') :]
    card = card[: card.index('id="item-', 10)] if 'id="item-' in card[10:] else card
    link = f"?decide=hypothesis.transition&amp;subject={hypothesis.pk}#decide-hypothesis-transition"
    assert link in card

    response = client.get(
        f"/meetings/{meeting.pk}/?decide=hypothesis.transition&subject={hypothesis.pk}"
    )
    form = dict((k.name, f) for k, f in response.context["kind_forms"])["hypothesis.transition"]
    assert form["hypothesis"].value() == hypothesis.pk
