"""The meetings app's dashboard panels (registered in MeetingsConfig.ready)."""

from django.utils import timezone

from . import selectors


def my_action_items(user) -> dict | None:
    items = selectors.my_open_action_items(user)
    if not items:
        return None
    today = timezone.localdate()
    return {
        "rows": [{"item": item, "overdue": item.is_overdue(today)} for item in items],
        "user": user,
    }


def next_meeting(user) -> dict | None:
    meeting = selectors.next_meeting_for(user)
    if meeting is None:
        return None
    return {"meeting": meeting}
