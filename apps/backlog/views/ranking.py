"""The ranked backlog of one group, with its impact/effort scatter and portfolio balance.

Inline scoring (`hypotheses.ScoreView`) re-renders the ranking partial built here.
"""

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.backlog import selectors
from apps.backlog.filters import PageFilter
from apps.backlog.models import SCOREABLE_STATUSES, Hypothesis

PAGE_SIZE = 50
# The default sort is the fair ranking: pins first, then the adjusted score (selectors).
RANKING = "-adjusted_score"
SORTS = [
    (RANKING, "Ranking: pinned, then adjusted score"),
    ("-score", "Members' mean, best first"),
    ("-spread", "Disagreement first"),
    ("scorer_count", "Fewest scorers first"),
    ("-created_at", "Newest first"),
    ("title", "Title"),
]


def backlog_url(group: WorkingGroup, query: str = "") -> str:
    params = QueryDict(query, mutable=True)
    params["group"] = group.slug
    return f"{reverse('backlog:index')}?{params.urlencode()}"


PLOT_W, PLOT_H, PLOT_M = 560, 380, 58
TICKS = (0, 0.25, 0.5, 0.75, 1)


def _axis(criteria: list, axis: str) -> dict:
    """An axis's title and tick labels on the framework's own scale.

    One criterion feeding the axis: ticks in its units (an ease criterion runs backwards on
    the effort axis). Several: the mean position on their scales, 0–100 %.
    """
    feeding = [c for c in criteria if c.axis == axis]
    if axis == "effort":
        feeding += [c for c in criteria if c.axis == "ease"]
    if len(feeding) == 1:
        c = feeding[0]
        span = c.scale_max - c.scale_min
        backwards = c.axis == "ease"
        values = [c.scale_max - t * span if backwards else c.scale_min + t * span for t in TICKS]
        unit = f" ({c.unit})" if c.unit else ""
        name = "" if c.name.lower() == axis else f": {c.name}"
        title = f"{axis.title()}{name}{unit} ({c.scale_label})"
        if backwards:
            title = f"Effort: {c.name}{unit} ({c.scale_label}), reversed (high ease = low effort)"
        return {"title": title, "labels": [f"{v:,.3g}" for v in values]}
    names = ", ".join(c.name for c in feeding)
    return {
        "title": f"{axis.title()}: mean position on the scales of {names}",
        "labels": [f"{t:.0%}" for t in TICKS],
    }


def _plot(rows: list[Hypothesis]) -> list[dict]:
    """Impact (up) against effort (right), both as positions 0–1 on the framework's scales.

    The plot shows the rows of the table (same filters, same page), so the two read together
    and the plot costs no query of its own. Links and labels are made here, not per point in
    the template, which would reverse a URL and localise numbers for every point.
    """
    inner_w, inner_h = PLOT_W - 1.5 * PLOT_M, PLOT_H - 1.5 * PLOT_M
    link = reverse("backlog:hypothesis", args=[0]).removesuffix("0/")
    return [
        {
            "href": f"{link}{p.pk}/",
            "label": f"{p.title} — adjusted score {p.adjusted_score:.2f}"
            if p.adjusted_score is not None
            else p.title,
            "category": p.category,
            # Strings, so the template does not localise 300 numbers on every render.
            "x": f"{PLOT_M + p.effort * inner_w:.1f}",
            "y": f"{PLOT_H - PLOT_M - p.impact * inner_h:.1f}",
        }
        for p in rows
        if p.impact is not None and p.effort is not None
    ]


def _frame(points: list[dict], criteria: list) -> dict:
    """The plot's points with the coordinates of its frame, quadrants, ticks and labels."""
    left, top, right, bottom = PLOT_M, PLOT_M / 2, PLOT_W - PLOT_M / 2, PLOT_H - PLOT_M
    x_axis, y_axis = _axis(criteria, "effort"), _axis(criteria, "impact")
    return {
        "points": points,
        "tick_bottom": bottom + 5,
        "tick_left": left - 5,
        "x_title": x_axis["title"],
        "y_title": y_axis["title"],
        "x_ticks": [
            {"at": f"{left + t * (right - left):.1f}", "label": label}
            for t, label in zip(TICKS, x_axis["labels"], strict=True)
        ],
        "y_ticks": [
            {"at": f"{bottom - t * (bottom - top):.1f}", "label": label}
            for t, label in zip(TICKS, y_axis["labels"], strict=True)
        ],
        "w": PLOT_W,
        "h": PLOT_H,
        "left": left,
        "top": top,
        "right": right,
        "bottom": bottom,
        "inner_w": right - left,
        "inner_h": bottom - top,
        "mid_x": (left + right) / 2,
        "mid_y": (top + bottom) / 2,
        "half_w": (right - left) / 2,
        "half_h": (bottom - top) / 2,
    }


def ranking_context(request, group: WorkingGroup, params: QueryDict, highlight=None) -> dict:
    """The ranked table, its filters and the scatter for one group, in a constant few queries."""
    user = request.user
    settings = selectors.backlog_settings(group)
    framework = settings.framework
    base = selectors.ranked(
        Hypothesis.objects.filter(working_group=group)
        .select_related("owner", "business_unit")
        .defer("change", "rationale", "evidence"),  # the rows show title and metric only
        framework_ids=[framework.pk],
        viewer=user,
    )
    filters = PageFilter(params, queryset=base, group=group, request=request)
    sort = params.get("sort", RANKING)
    if sort not in dict(SORTS):
        sort = RANKING
    ranked = selectors.order_ranked(
        filters.qs, selectors.DEFAULT_ORDER if sort == RANKING else [sort]
    )
    page = Paginator(ranked, PAGE_SIZE).get_page(params.get("page"))
    page.object_list = list(page.object_list)
    query = params.copy()
    query.pop("page", None)
    return {
        "group": group,
        "settings": settings,
        "framework": framework,
        "filters": filters,
        "sort": sort,
        "sorts": SORTS,
        "page": page,
        # Row links are built from this prefix: reversing two URLs for each of 50 rows
        # costs more than the rest of the row.
        "backlog_root": reverse("backlog:index"),
        "query": query.urlencode(),
        "can_score": policy.allows(user, group, Action.CREATE),
        "scoreable": SCOREABLE_STATUSES,
        "highlight": highlight,
        "plot": _frame(_plot(page.object_list), list(framework.criteria.all())),
        "portfolio": selectors.portfolio(group),
        "can_manage": policy.allows(user, group, Action.MANAGE),
        "prior_weight": selectors.PRIOR_WEIGHT,
        "pin_errors": {},
    }


class BacklogView(PolicyRequiredMixin, TemplateView):
    """The ranked backlog of one of your groups (`?group=<slug>`, else your first)."""

    template_name = "backlog/index.html"

    def get_policy_target(self) -> PolicyTarget:
        groups = list(WorkingGroup.objects.visible_to(self.request.user).order_by("name"))
        slug = self.request.GET.get("group")
        if slug:
            self.group = next((g for g in groups if g.slug == slug), None)
            if self.group is None:
                raise Http404("No such working group.")
        else:
            self.group = groups[0] if groups else None
        self.groups = groups
        return PolicyTarget(group=self.group)

    def get(self, request, *args, **kwargs):
        if self.group is None:
            return render(request, "backlog/no_group.html")
        context = ranking_context(request, self.group, request.GET)
        if request.htmx and request.htmx.target == "ranking":
            return render(request, "backlog/_ranking.html", context)
        context.update(groups=self.groups, can_create=context["can_score"])
        return render(request, self.template_name, context)
