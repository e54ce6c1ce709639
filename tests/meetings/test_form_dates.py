"""The meeting pages keep dates within the window every app shares (apps/core/dates.py): a
typed year far out is a form error naming the field, with nothing stored, never an overflow."""

import pytest
from django.utils import timezone

from apps.core.dates import OUT_OF_RANGE
from apps.meetings.models import ActionItem, Meeting, MeetingSeries

pytestmark = pytest.mark.django_db

HORIZON_ERROR = OUT_OF_RANGE


def _series_form(**changes) -> dict:
    return {
        "title": "Growth",
        "kind": "working_group",
        "weekday": "1",
        "start_time": "10:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": "60",
        "starts_on": str(timezone.localdate()),
        **changes,
    }


@pytest.mark.parametrize("starts_on", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_the_series_form_refuses_a_start_beyond_the_horizon(web_as, demo, starts_on):
    response = web_as("priya").post(
        f"/meetings/groups/{demo.group.slug}/series/new/", _series_form(starts_on=starts_on)
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"starts_on": [HORIZON_ERROR]}
    assert not MeetingSeries.objects.exists()


@pytest.mark.parametrize("starts_at", ["0001-01-01T10:00", "9999-12-31T23:59"])
def test_the_working_session_form_refuses_a_start_beyond_the_horizon(
    web_as, demo, action_item, starts_at
):
    before = Meeting.objects.count()

    response = web_as("lena").post(
        f"/meetings/groups/{demo.group.slug}/sessions/new/action-item-{action_item.pk}/",
        {"title": "Pair on it", "starts_at": starts_at, "duration_minutes": "45"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"starts_at": [HORIZON_ERROR]}
    assert Meeting.objects.count() == before


def test_the_action_item_form_refuses_a_due_date_beyond_the_horizon(web_as, demo, meeting):
    response = web_as("priya").post(
        f"/meetings/{meeting.pk}/action-items/",
        {"title": "Someday", "owner": demo.users["lena"].pk, "due_on": "9999-12-31"},
    )

    assert response.status_code == 400
    assert response.context["action_form"].errors == {"due_on": [HORIZON_ERROR]}
    assert not ActionItem.objects.filter(title="Someday").exists()


def test_a_series_within_the_horizon_is_still_set_up(web_as, demo):
    response = web_as("priya").post(
        f"/meetings/groups/{demo.group.slug}/series/new/", _series_form()
    )

    assert response.status_code == 302
    assert MeetingSeries.objects.get().title == "Growth"
