"""The meetings app's dashboard panels."""

from django.utils import timezone

from apps.core.dashboard import dashboard_panel

from . import selectors


@dashboard_panel("My action items", template="meetings/panels/my_action_items.html", order=20)
def my_action_items(user) -> dict | None:
    items = selectors.my_open_action_items(user)
    if not items:
        return None
    today = timezone.localdate()
    return {
        "rows": [{"item": item, "overdue": item.is_overdue(today)} for item in items],
        "user": user,
    }


@dashboard_panel("Meeting prep", template="meetings/panels/meeting_prep.html", order=11)
def meeting_prep(user) -> dict | None:
    """For whoever runs a working group: what the next meeting will have to cover."""
    prep = selectors.meeting_prep(user)
    if prep is None:
        return None
    return {"prep": prep, "shown": selectors.PREP_TITLES}


@dashboard_panel("Next meeting", template="meetings/panels/next_meeting.html", order=10)
def next_meeting(user) -> dict | None:
    meeting = selectors.next_meeting_for(user)
    if meeting is None:
        return None
    return {"meeting": meeting}
