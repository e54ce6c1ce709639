"""Role-policy rows for meetings: series, meetings, agenda items, notes, decisions, action
items, and the pages.

`prepare` gives every row next week's working-group meeting (the PM's; every member but the
stakeholders invited), one agenda item on it, an action item Lena owns (Aisha is her
delegate), a decision, the group's series, and Priya's calendar-feed token.
"""

from datetime import time, timedelta

from django.utils import timezone

from tests.policy_table import Row


def prepare(ctx):
    from apps.meetings import services
    from apps.meetings.models import Kind

    if hasattr(ctx, "meeting"):  # the route check prepares once per row
        return
    pm = ctx.users["priya"]
    ctx.series = services.series_create(
        actor=pm, group=ctx.group, weekday=1, start_time=time(10), timezone_name="Europe/Berlin"
    )
    ctx.meeting = services.meeting_create(
        actor=pm,
        group=ctx.group,
        kind=Kind.WORKING_GROUP,
        title="Growth working group",
        starts_at=timezone.now() + timedelta(days=7),
    )
    ctx.agenda_item = services.agenda_item_add(actor=pm, meeting=ctx.meeting, title="Checkout")
    ctx.action_item = services.action_item_create(
        actor=pm,
        group=ctx.group,
        title="Write the design",
        owner=ctx.users["lena"],
        due_on=timezone.localdate() + timedelta(days=3),
        meeting=ctx.meeting,
    )
    ctx.decision = services.decision_record(actor=pm, meeting=ctx.meeting, text="Test it")
    ctx.feed_token = services.calendar_token_for(user=pm).token
    # A queued emailing of the notes (its job runs after a commit that never comes here).
    ctx.notes_dispatch = services.meeting_share_notes(
        actor=pm, meeting=ctx.meeting, confirm_not_held=True
    )


def _soon(days: int = 3) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def series(c) -> dict:
    return {"working_group": c.group.pk, "weekday": 3, "start_time": "14:00", "timezone": "UTC"}


def series_page(c) -> dict:
    return {
        "kind": "working_group",
        "weekday": 2,
        "start_time": "10:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": 60,
        "starts_on": _soon(1)[:10],
    }


def wg_meeting(c) -> dict:
    return {
        "working_group": c.group.pk,
        "kind": "working_group",
        "title": "Extra meeting",
        "starts_at": _soon(),
    }


def session(c) -> dict:
    return {
        "working_group": c.group.pk,
        "title": "Design session",
        "starts_at": _soon(),
        "subject_type": "meetings.actionitem",
        "subject_id": c.action_item.pk,
    }


def action(c) -> dict:
    return {
        "working_group": c.group.pk,
        "title": "Book the surface",
        "owner": c.users["lena"].pk,
        "due_on": timezone.localdate().isoformat(),
    }


MS = "/api/v1/meeting-series/"
ONE_S = MS + "{c.series.pk}/"
M = "/api/v1/meetings/"
ONE_M = M + "{c.meeting.pk}/"
AI = "/api/v1/agenda-items/"
ONE_AI = AI + "{c.agenda_item.pk}/"
D = "/api/v1/decisions/"
A = "/api/v1/action-items/"
ONE_A = A + "{c.action_item.pk}/"
P = "/meetings/"
PM_ = "/meetings/{c.meeting.pk}/"
PI = "/meetings/agenda/{c.agenda_item.pk}/"


def _item_edit(c) -> dict:
    # The page's edit form names the version it was opened at: the item's current one.
    from apps.meetings.models import AgendaItem

    return {"minutes": 9, "version": AgendaItem.objects.get(pk=c.agenda_item.pk).version}


def _pair(path, data=None, page=False, method="post", member="lena", member_status=403, ok=200):
    """A member refused (or allowed) and the program manager allowed."""
    return [
        Row(member, method, path, member_status, data, page=page),
        Row("priya", method, path, ok, data, page=page),
    ]


ROWS: list[Row] = [
    # --- series
    Row(None, "get", MS, 401),
    Row("sofia", "get", MS, 200),
    Row("sofia", "get", ONE_S, 200),
    Row("outsider", "get", ONE_S, 404),
    Row("sofia", "post", MS, 403, series),
    *_pair(MS, series, ok=201),
    *_pair(ONE_S, lambda c: {"title": "Growth WG"}, method="patch"),
    *_pair(ONE_S + "generate/", lambda c: {"count": 2}),
    # --- meetings
    Row(None, "get", M, 401),
    Row("sofia", "get", M, 200),
    Row("sofia", "get", ONE_M, 200),
    Row("outsider", "get", ONE_M, 404),
    *_pair(M, wg_meeting, ok=201),
    Row("sofia", "post", M, 403, session),
    Row("lena", "post", M, 201, session),
    *_pair(ONE_M, lambda c: {"location": "Room Ada"}, method="patch"),
    *_pair(ONE_M + "move/", lambda c: {"starts_at": _soon(8)}),
    *_pair(ONE_M + "cancel/", lambda c: {"reason": "Offsite"}),
    *_pair(ONE_M + "reinstate/"),
    *_pair(ONE_M + "attendees/", lambda c: {"users": [c.users["lena"].pk]}),
    Row("priya", "post", ONE_M + "attendees/", 400, lambda c: {"users": [c.outsider.pk]}),
    *_pair(ONE_M + "attendance/", lambda c: {"present": [c.users["lena"].pk]}),
    Row("sofia", "post", ONE_M + "draft-agenda/", 403),
    *_pair(ONE_M + "draft-agenda/"),
    *_pair(ONE_M + "reorder/", lambda c: {"items": [c.agenda_item.pk]}),
    *_pair(ONE_M + "share/", lambda c: {"confirm_not_held": True}, ok=202),
    Row("priya", "post", ONE_M + "share/", 400),  # next week's meeting: confirm it first
    Row(None, "get", "/api/v1/notes-dispatches/{c.notes_dispatch.pk}/", 401),
    Row("sofia", "get", "/api/v1/notes-dispatches/{c.notes_dispatch.pk}/", 403),
    Row("lena", "get", "/api/v1/notes-dispatches/{c.notes_dispatch.pk}/", 403),
    Row("outsider", "get", "/api/v1/notes-dispatches/{c.notes_dispatch.pk}/", 404),
    Row("priya", "get", "/api/v1/notes-dispatches/{c.notes_dispatch.pk}/", 200),
    # --- agenda items
    Row(None, "get", AI, 401),
    Row("sofia", "get", AI, 200),
    Row("sofia", "get", ONE_AI, 200),
    Row("outsider", "get", ONE_AI, 404),
    *_pair(AI, lambda c: {"meeting": c.meeting.pk, "title": "Q3 planning"}, ok=201),
    *_pair(ONE_AI, lambda c: {"minutes": 12}, method="patch"),
    *_pair(ONE_AI, method="delete", ok=204),
    *_pair(ONE_AI + "move/", lambda c: {"direction": "down"}),
    Row("sofia", "put", ONE_AI + "notes/", 403, lambda c: {"notes": "x", "version": 0}),
    Row("lena", "put", ONE_AI + "notes/", 200, lambda c: {"notes": "x", "version": 0}),
    Row("priya", "put", ONE_AI + "notes/", 200, lambda c: {"notes": "x", "version": 0}),
    # --- decisions
    Row(None, "get", D, 401),
    Row("sofia", "get", D, 200),
    Row("sofia", "get", D + "{c.decision.pk}/", 200),
    Row("outsider", "get", D + "{c.decision.pk}/", 404),
    Row("sofia", "post", D, 403, lambda c: {"meeting": c.meeting.pk, "text": "x"}),
    Row("lena", "post", D, 201, lambda c: {"meeting": c.meeting.pk, "text": "x"}),
    Row("priya", "post", D, 201, lambda c: {"meeting": c.meeting.pk, "text": "x"}),
    # --- action items
    Row(None, "get", A, 401),
    Row("sofia", "get", A, 200),
    Row("sofia", "get", ONE_A, 200),
    Row("outsider", "get", ONE_A, 404),
    Row("sofia", "post", A, 403, action),
    Row("lena", "post", A, 201, action),
    Row("tomas", "patch", ONE_A, 403, lambda c: {"status": "done"}),
    Row("sofia", "patch", ONE_A, 403, lambda c: {"status": "done"}),
    Row("aisha", "patch", ONE_A, 200, lambda c: {"status": "in_progress"}),
    Row("priya", "patch", ONE_A, 200, lambda c: {"status": "done"}),
    # --- pages
    Row(None, "get", P + "groups/{c.group.slug}/series/new/", 302, page=True),
    Row("outsider", "get", P + "groups/{c.group.slug}/series/new/", 404, page=True),
    Row("lena", "get", P + "groups/{c.group.slug}/series/new/", 403, page=True),
    Row("priya", "get", P + "groups/{c.group.slug}/series/new/", 200, page=True),
    Row("lena", "post", P + "groups/{c.group.slug}/series/new/", 403, series_page, page=True),
    Row("priya", "post", P + "groups/{c.group.slug}/series/new/", 302, series_page, page=True),
    Row(None, "get", P, 302, page=True),
    Row("sofia", "get", P, 200, page=True),
    Row(None, "post", P + "calendar-token/", 302, page=True),
    Row("sofia", "post", P + "calendar-token/", 302, page=True),
    Row(None, "get", PM_, 302, page=True),
    Row("sofia", "get", PM_, 200, page=True),
    Row("outsider", "get", PM_, 404, page=True),
    Row("sofia", "post", PM_ + "draft/", 403, page=True),
    *_pair(PM_ + "draft/", page=True, ok=302),
    *_pair(PM_ + "draft/", page=True, method="get"),
    Row("sofia", "get", PM_ + "share/", 403, page=True),
    *_pair(PM_ + "share/", page=True, method="get"),
    *_pair(PM_ + "share/", lambda c: {"confirm_not_held": "on"}, page=True, ok=302),
    Row("priya", "post", PM_ + "share/", 400, page=True),  # not held yet, not confirmed
    Row(None, "get", P + "notes-dispatches/{c.notes_dispatch.pk}/", 302, page=True),
    Row("sofia", "get", P + "notes-dispatches/{c.notes_dispatch.pk}/", 403, page=True),
    Row("outsider", "get", P + "notes-dispatches/{c.notes_dispatch.pk}/", 404, page=True),
    Row("priya", "get", P + "notes-dispatches/{c.notes_dispatch.pk}/", 302, page=True),
    *_pair(PM_ + "attendance/", lambda c: {"present": [c.users["lena"].pk]}, page=True, ok=302),
    *_pair(PM_ + "agenda/", lambda c: {"title": "Q3", "minutes": 5}, page=True, ok=302),
    *_pair(PM_ + "agenda/order/", lambda c: {"item": [c.agenda_item.pk]}, page=True, ok=302),
    Row("sofia", "post", PM_ + "decisions/", 403, lambda c: {"text": "x"}, page=True),
    Row("priya", "post", PM_ + "decisions/", 302, lambda c: {"text": "x"}, page=True),
    Row("sofia", "post", PM_ + "action-items/", 403, action, page=True),
    Row(
        "lena",
        "post",
        PM_ + "action-items/",
        302,
        lambda c: {**action(c), "owner": c.users["lena"].pk},
        page=True,
    ),
    Row(None, "get", PM_ + "notes.md", 302, page=True),
    Row("sofia", "get", PM_ + "notes.md", 200, page=True),
    Row("outsider", "get", PM_ + "notes.md", 404, page=True),
    Row("sofia", "get", PM_ + "meeting.ics", 200, page=True),
    Row("outsider", "get", PM_ + "meeting.ics", 404, page=True),
    *_pair(PI + "move/down/", page=True, ok=302),
    *_pair(PI + "edit/", page=True, method="get"),
    *_pair(PI + "edit/", lambda c: {**_item_edit(c), "title": "Checkout flow"}, page=True, ok=302),
    *_pair(PI + "remove/", page=True, ok=302),
    Row("sofia", "post", PI + "notes/", 403, lambda c: {"notes": "x", "version": 0}, page=True),
    Row("lena", "post", PI + "notes/", 302, lambda c: {"notes": "x", "version": 0}, page=True),
    Row("priya", "post", PI + "notes/", 302, lambda c: {"notes": "x", "version": 0}, page=True),
    Row(
        "tomas",
        "post",
        P + "action-items/{c.action_item.pk}/status/",
        403,
        lambda c: {"status": "done"},
        page=True,
    ),
    Row(
        "lena",
        "post",
        P + "action-items/{c.action_item.pk}/status/",
        302,
        lambda c: {"status": "done"},
        page=True,
    ),
    Row(None, "get", P + "groups/{c.group.slug}/action-items/", 302, page=True),
    Row("sofia", "get", P + "groups/{c.group.slug}/action-items/", 200, page=True),
    Row("outsider", "get", P + "groups/{c.group.slug}/action-items/", 404, page=True),
    Row(
        "sofia",
        "get",
        P + "groups/{c.group.slug}/sessions/new/action-item-{c.action_item.pk}/",
        403,
        page=True,
    ),
    Row(
        "lena",
        "get",
        P + "groups/{c.group.slug}/sessions/new/action-item-{c.action_item.pk}/",
        200,
        page=True,
    ),
    Row(
        "lena",
        "post",
        P + "groups/{c.group.slug}/sessions/new/action-item-{c.action_item.pk}/",
        302,
        lambda c: {
            "title": "Design session",
            "starts_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
        },
        page=True,
    ),
    *_pair(P + "series/{c.series.pk}/generate/", page=True, ok=302),
    # The feed authenticates by the secret in its URL: no session needed, a wrong one is 404.
    Row(None, "get", P + "feed/{c.feed_token}/series-{c.series.pk}.ics", 200, page=True),
    Row(None, "get", P + "feed/not-the-token/series-{c.series.pk}.ics", 404, page=True),
]
