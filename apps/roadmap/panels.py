"""The roadmap's dashboard panels: where plans stand, without anyone having to ask. Each
reads only the plans the person may see."""

import datetime

from django.utils import timezone

from apps.core.dashboard import dashboard_panel

from . import selectors
from .models import Decision, PlanStatus, ResearchPlan

AHEAD_DAYS = 30
ROWS = 6


@dashboard_panel("Decision points ahead", template="roadmap/panels/decision_points.html", order=30)
def decision_points_ahead(user) -> dict | None:
    """Active plans' current decision points that are overdue or due within a month."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=AHEAD_DAYS)
    plans = selectors.timeline_plans(user, selectors.RoadmapFilters(status=PlanStatus.ACTIVE))
    rows = []
    for plan in plans:
        current = plan.current
        if current is None or current.target_date > horizon:
            continue
        state = plan.state(current, today=today)
        rows.append(
            {
                "plan": plan,
                "milestone": current,
                "state": state,
                "label": selectors.STATE_LABELS[state],
            }
        )
    if not rows:
        return None
    rows.sort(key=lambda r: r["milestone"].target_date)
    return {"rows": rows[:ROWS], "more": max(len(rows) - ROWS, 0), "days": AHEAD_DAYS}


@dashboard_panel("Latest decisions", template="roadmap/panels/recent_decisions.html", order=40)
def recent_decisions(user) -> dict | None:
    """The latest decisions taken on the plans the person may see."""
    decisions = list(
        Decision.objects.filter(milestone__plan__in=ResearchPlan.objects.visible_to(user))
        .select_related("milestone__plan", "decided_by")
        .order_by("-decided_at", "-pk")[:ROWS]
    )
    return {"decisions": decisions} if decisions else None
