"""The roadmap's plan list as table rows, built in Python like the timeline's SVG rows.

The list under the timeline has a row per plan the person may see, hundreds of them; at
~25 template variables a row, Django's template engine would spend more on it than the
rest of the page together. Every text from the database is escaped here.
"""

from html import escape

from django.utils.safestring import SafeString

from .selectors import TimelinePlan
from .timeline import CATEGORY_LABELS, STATUS_LABELS, plan_href


def _next_decision(plan: TimelinePlan) -> str:
    current = plan.current
    if current is None or plan.is_closed:
        return '<span class="muted">—</span>'
    day = current.target_date
    return f'{escape(current.title)} <span class="muted small">· {day.day} {day:%b %Y}</span>'


def plan_rows(plans: list[TimelinePlan]) -> SafeString:
    href = plan_href()
    out = []
    for plan in plans:
        badge = (
            ' <span class="badge confidential" title="Visible to the sponsor\'s business unit '
            'only">confidential</span>'
            if plan.confidential
            else ""
        )
        where = escape(plan.group_name)
        if plan.unit_name:
            where += f" · {escape(plan.unit_name)}"
        status = "Shipped" if plan.shipped else STATUS_LABELS[plan.status]
        out.append(
            "<tr>"
            f'<td class="what"><a href="{href(plan.id)}">'
            f"<strong>{escape(plan.title)}</strong></a>{badge}"
            f'<div class="muted small">{where}</div></td>'
            f'<td><span class="badge cat-{plan.category}">{CATEGORY_LABELS[plan.category]}'
            "</span></td>"
            f'<td><span class="badge plan-{plan.status}">{status}</span></td>'
            f"<td>{escape(plan.sponsor_name)}</td>"
            f"<td>{plan.target_quarter}</td>"
            f"<td>{_next_decision(plan)}</td>"
            "</tr>"
        )
    return SafeString("\n".join(out))
