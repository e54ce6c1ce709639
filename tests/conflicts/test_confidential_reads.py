"""A conflict with an experiment tied to a confidential plan's decision point is read only
by those who may read both experiments: the API (list, detail, facet counts,
check-conflicts), the pages (list, tabs, detail, timeline, the experiment's card), the
dashboard panel, the meeting's agenda and the owners' email. James (Platform Engineering
stakeholder) reads Aisha's experiment but not the confidential one; the plan's readers see
everything."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from apps.conflicts import services
from apps.conflicts.models import Conflict
from tests.roadmap.factories import milestones_of, plan_with
from tests.test_confidential_reads import _api, _body, _web

from . import factories as f

SECRET = "Nightjar checkout"
READERS = ["priya", "marco", "lena", "aisha", "sofia", "dana"]


class World:
    pass


@pytest.fixture
def world(demo):
    w = World()
    w.demo, w.users = demo, demo.users
    plan = plan_with(demo, title="Project Nightjar", confidential=True, milestones=(5, 60))
    first, _ = milestones_of(plan)
    w.public = f.in_review(demo, "aisha", title="Guest checkout", key="guest-checkout")
    w.secret = f.in_review(demo, "lena", title=SECRET, key="nightjar", milestone=first)
    services.conflicts_scan(notify=False)
    w.conflicts = list(Conflict.objects.all())
    assert len(w.conflicts) == 2  # the surface collision and the shared primary metric
    return w


def everything(w, who) -> str:
    api, web = _api(w, who), _web(w, who)
    bodies = [
        _body(api.get("/api/v1/conflicts/")),
        _body(api.post(f"/api/v1/experiments/{w.public.pk}/check-conflicts/")),
        _body(web.get("/conflicts/")),
        _body(web.get("/conflicts/timeline/")),
        _body(web.get(f"/conflicts/experiments/{w.public.pk}/")),
        _body(web.get("/")),
    ]
    for c in w.conflicts:
        bodies.append(_body(api.get(f"/api/v1/conflicts/{c.pk}/")))
        bodies.append(_body(web.get(f"/conflicts/{c.pk}/")))
    return "\n".join(bodies)


@pytest.mark.parametrize("who", READERS)
def test_the_plans_readers_see_the_conflict(world, who):
    assert SECRET in everything(world, who)


def test_james_sees_nothing_of_it_anywhere(world):
    body = everything(world, "james")

    assert SECRET not in body
    assert "nightjar" not in body.lower()
    api = _api(world, "james")
    assert api.get("/api/v1/conflicts/").json()["count"] == 0
    for c in world.conflicts:
        assert api.get(f"/api/v1/conflicts/{c.pk}/").status_code == 404


def test_the_status_tabs_count_nothing_james_may_not_read(world):
    html = _body(_web(world, "james").get("/conflicts/"))

    assert 'data-testid="tab-open">Open <span class="count">0</span>' in html


def test_check_conflicts_names_the_confidential_experiment_to_nobody_who_may_not_read_it(world):
    body = (
        _api(world, "james").post(f"/api/v1/experiments/{world.public.pk}/check-conflicts/").json()
    )

    assert len(body["conflicts"]) == 2
    assert all(r["experiment_b"] is None for r in body["conflicts"])
    assert all("confidential plan" in r["explanation"] for r in body["conflicts"])


def test_the_agenda_titles_it_neutrally_and_hides_the_details(world):
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind
    from apps.meetings.selectors import present_agenda

    meeting = meetings.meeting_create(
        actor=world.users["priya"], group=world.demo.group, title="Growth working group",
        kind=Kind.WORKING_GROUP, starts_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    meetings.meeting_draft_agenda(actor=world.users["priya"], meeting=meeting)
    items = [i for i in meeting.agenda_items.all() if i.key.startswith("conflict:")]

    assert len(items) == 2
    assert all(SECRET not in i.title and SECRET not in i.detail for i in items)
    shown = present_agenda(items, world.users["james"])
    assert all(SECRET not in (i.title + i.detail) for i in shown)


def test_each_owner_is_emailed_once_per_new_conflict(world, django_capture_on_commit_callbacks):
    sent = services.conflict_notices_send()

    assert sent == 4  # two conflicts, two owners each
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aisha@example.com", "aisha@example.com", "lena@example.com", "lena@example.com",
    ]  # fmt: skip
    assert services.conflict_notices_send() == 0
    assert len(mail.outbox) == 4
    assert all(c.notified for c in Conflict.objects.all())
