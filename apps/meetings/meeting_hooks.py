"""The agenda sources the meetings app brings itself: action items due and any other
business. Features (the backlog, the roadmap) bring theirs in their own meeting_hooks.py.
"""

from django.urls import reverse
from django.utils import timezone

from .agenda import CLOSING_KEY
from .hooks import AgendaCandidate, AgendaContext, agenda_source
from .models import ActionItem


@agenda_source("meetings.action_items", order=80, heading="Action items due")
def action_items_due(ctx: AgendaContext):
    """One item per owner: their open items overdue or due before the next meeting."""
    rows = (
        ActionItem.objects.open()
        .filter(working_group=ctx.group, due_on__lt=ctx.until.date())
        .order_by("owner_id", "due_on", "pk")
        .values_list(
            "owner_id",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "title",
            "due_on",
        )
    )
    # Overdue as of today, when the agenda is drafted; "due" runs until the next meeting.
    today = timezone.localdate()
    owners: dict[int, dict] = {}
    for owner_id, first, last, username, title, due_on in rows:
        entry = owners.setdefault(
            owner_id,
            {"name": f"{first} {last}".strip() or username, "titles": [], "n": 0, "overdue": 0},
        )
        entry["n"] += 1
        entry["overdue"] += due_on < today
        if len(entry["titles"]) < 5:
            flag = " (overdue)" if due_on < today else ""
            entry["titles"].append(f"- {title}, due {due_on:%d %b}{flag}")
    url = reverse("meetings:action-items", args=[ctx.group.slug])
    for owner_id, entry in sorted(owners.items(), key=lambda kv: kv[1]["name"]):
        more = entry["n"] - len(entry["titles"])
        detail = "\n".join(entry["titles"] + ([f"- …and {more} more"] if more else []))
        overdue = f", {entry['overdue']} overdue" if entry["overdue"] else ""
        yield AgendaCandidate(
            key=f"action-items:owner:{owner_id}",
            title=f"Action items — {entry['name']}: {entry['n']} due{overdue}",
            minutes=min(2 + entry["n"], 6),
            presenter_id=owner_id,
            url=f"{url}?owner={owner_id}",
            detail=detail,
        )


@agenda_source("meetings.aob", order=1000, heading="Any other business")
def any_other_business(ctx: AgendaContext):
    yield AgendaCandidate(key=CLOSING_KEY, title="Any other business", minutes=5)
