"""Meeting pages: index, meeting page with htmx partials, conflicts, downloads, feed,
action items by owner, and the dashboard panels."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.meetings import services
from apps.meetings.models import ActionItem

pytestmark = pytest.mark.django_db


def test_the_index_lists_upcoming_and_past_meetings(web_as, meeting):
    response = web_as("sofia").get("/meetings/")
    assert response.status_code == 200
    assert meeting.title in response.content.decode()
    assert response.context["upcoming"] == [meeting]


def test_the_meeting_page_shows_the_agenda_and_pm_controls(web_as, demo, meeting, propose):
    propose()
    services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)
    page = web_as("priya").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "New: Guest checkout by default" in page
    assert 'data-testid="move-up"' in page and 'data-testid="share-notes"' in page
    # 10:00-style wall clock in the meeting's own zone, not the server's.
    local = meeting.local_start
    assert f"{local:%H:%M} (Europe/Berlin)" in page
    stakeholder = web_as("sofia").get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="move-up"' not in stakeholder and "Share notes" not in stakeholder


def test_the_meeting_page_costs_the_same_queries_for_a_long_agenda(
    web_as, demo, meeting, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_as("priya")
    for n in range(3):
        services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title=f"I{n}")
    client.get(f"/meetings/{meeting.pk}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/meetings/{meeting.pk}/")
    for n in range(30):
        services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title=f"J{n}")
        ActionItem.objects.create(
            working_group=demo.group, title=f"A{n}", owner=demo.users["lena"],
            due_on=timezone.localdate(), meeting=meeting,
        )  # fmt: skip
    with django_assert_max_num_queries(len(small)):
        client.get(f"/meetings/{meeting.pk}/")


def test_htmx_reorder_returns_the_agenda_partial(web_as, demo, meeting):
    first = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="First")
    services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Second")
    response = web_as("priya").post(
        f"/meetings/agenda/{first.pk}/move/down/", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and '<div id="agenda"' in body
    assert body.index("Second") < body.index("First")


def test_dragging_posts_the_new_order_and_gets_the_agenda_back(web_as, demo, meeting):
    pm = demo.users["priya"]
    a, b, c = (services.agenda_item_add(actor=pm, meeting=meeting, title=t) for t in "ABC")
    url = f"/meetings/{meeting.pk}/agenda/order/"
    client = web_as("priya")

    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'data-order-url="{url}"' in page and 'draggable="true"' in page
    response = client.post(url, {"item": [c.pk, a.pk, b.pk]}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="agenda"')
    assert body.index(">C<") < body.index(">A<") < body.index(">B<")
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "C",
        "A",
        "B",
    ]


@pytest.mark.parametrize("items", [["A"], ["A", "A", "B", "C"], ["x", "A", "B"]])
def test_an_order_that_does_not_name_every_item_once_is_refused(web_as, demo, meeting, items):
    pm = demo.users["priya"]
    ids = {t: services.agenda_item_add(actor=pm, meeting=meeting, title=t).pk for t in "ABC"}

    response = web_as("priya").post(
        f"/meetings/{meeting.pk}/agenda/order/",
        {"item": [ids.get(i, i) for i in items]},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "A",
        "B",
        "C",
    ]


def test_a_stale_notes_save_shows_both_versions(web_as, demo, meeting):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    services.agenda_item_save_notes(
        actor=demo.users["marco"], item=item, notes="Marco's", version=0
    )
    response = web_as("lena").post(
        f"/meetings/agenda/{item.pk}/notes/", {"notes": "Lena's", "version": 0}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened them" in body
    assert "Marco&#x27;s" in body and "Lena&#x27;s" in body
    htmx = web_as("lena").post(
        f"/meetings/agenda/{item.pk}/notes/", {"notes": "Lena's", "version": 0},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert htmx.status_code == 200 and 'data-testid="notes-conflict"' in htmx.content.decode()


def test_notes_render_safely_on_the_page(web_as, demo, meeting):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    services.agenda_item_save_notes(
        actor=demo.users["marco"], item=item, notes="<script>alert(1)</script> **ok**", version=0
    )
    page = web_as("lena").get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<strong>ok</strong>" in page


def test_downloads_markdown_and_ics(web_as, meeting):
    client = web_as("sofia")
    md = client.get(f"/meetings/{meeting.pk}/notes.md")
    assert md["Content-Type"].startswith("text/markdown")
    assert md.content.decode().startswith(f"# {meeting.title}")
    ics = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.content).walk("VEVENT")


def test_the_series_feed_needs_the_persons_secret(client, demo):
    from datetime import time

    series = services.series_create(
        actor=demo.users["priya"], group=demo.group, weekday=2, start_time=time(9)
    )
    token = services.calendar_token_for(user=demo.users["sofia"]).token
    feed = client.get(f"/meetings/feed/{token}/series-{series.pk}.ics")
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == services.GENERATE_AHEAD
    assert client.get(f"/meetings/feed/wrong/series-{series.pk}.ics").status_code == 404
    services.calendar_token_reset(user=demo.users["sofia"])
    assert client.get(f"/meetings/feed/{token}/series-{series.pk}.ics").status_code == 404


def test_action_items_by_owner_highlight_the_overdue(web_as, demo):
    ActionItem.objects.create(
        working_group=demo.group, title="Late one", owner=demo.users["lena"],
        due_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    ActionItem.objects.create(
        working_group=demo.group, title="Fine one", owner=demo.users["tomas"],
        due_on=timezone.localdate() + timedelta(days=1),
    )  # fmt: skip
    response = web_as("sofia").get(f"/meetings/groups/{demo.group.slug}/action-items/")
    body = response.content.decode()
    assert [o.owner.username for o in response.context["owners"]] == ["lena", "tomas"]
    assert body.count('class="overdue"') == 1


def test_the_dashboard_shows_my_action_items_and_the_next_meeting(web_as, demo, action_item):
    body = web_as("lena").get("/").content.decode()
    assert 'data-testid="my-action-items"' in body and action_item.title in body
    assert 'data-testid="next-meeting"' in body


def test_a_removed_member_no_longer_sees_their_old_groups_action_items(web_as, demo, action_item):
    from apps.accounts.models import Membership

    Membership.objects.filter(user=demo.users["lena"], working_group=demo.group).delete()

    body = web_as("lena").get("/").content.decode()

    assert action_item.title not in body
    assert 'data-testid="my-action-items"' not in body


def _series_form(**overrides) -> dict:
    data = {
        "title": "Growth working group",
        "kind": "working_group",
        "weekday": 2,  # Wednesday
        "start_time": "10:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": 50,
        "starts_on": str(timezone.localdate()),
        "cadence_days": 14,
        "location": "Room 4",
    }
    data.update(overrides)
    return data


def test_the_pm_sets_up_a_series_from_the_meetings_page(web_as, demo):
    from zoneinfo import ZoneInfo

    from apps.meetings.models import MeetingSeries

    client = web_as("priya")
    assert 'data-testid="new-series"' in client.get("/meetings/").content.decode()
    form = client.get(f"/meetings/groups/{demo.group.slug}/series/new/").content.decode()
    assert 'data-testid="series-form"' in form

    response = client.post(f"/meetings/groups/{demo.group.slug}/series/new/", _series_form())

    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    meetings = list(series.meetings.order_by("starts_at"))
    assert len(meetings) >= 2
    berlin = [m.starts_at.astimezone(ZoneInfo("Europe/Berlin")) for m in meetings]
    assert {(t.weekday(), t.hour, t.minute) for t in berlin} == {(2, 10, 0)}
    assert (berlin[1] - berlin[0]).days == 14
    assert meetings[0].duration_minutes == 50 and meetings[0].location == "Room 4"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"kind": "working_session"}, "kind"),
        ({"duration_minutes": 3}, "duration_minutes"),
        ({"cadence_days": 400}, "cadence_days"),
        ({"start_time": "25:00"}, "start_time"),
    ],
)
def test_a_bad_series_is_refused_on_its_field_and_nothing_is_saved(web_as, demo, overrides, field):
    from apps.meetings.models import Meeting, MeetingSeries

    response = web_as("priya").post(
        f"/meetings/groups/{demo.group.slug}/series/new/", _series_form(**overrides)
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_members_are_not_offered_a_new_series(web_as):
    assert 'data-testid="new-series"' not in web_as("lena").get("/meetings/").content.decode()
