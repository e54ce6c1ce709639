"""Reads for the backlog: the ranked list, text search, and the portfolio balance.

Ranking joins each hypothesis to its `ScoreSummary` in the group's current framework (kept
by the score service), so a page of the ranking is one indexed query whatever the number of
hypotheses and scorers.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from apps.accounts.models import User, WorkingGroup

from .models import (
    COMMITTED_STATUSES,
    BacklogSettings,
    Category,
    Criterion,
    Hypothesis,
    Score,
    ScoreSummary,
    ScoringFramework,
    StatusChange,
)

# What the ranking may be ordered by; unscored hypotheses always sort last.
RANK_ORDERINGS = (
    "score",
    "score_median",
    "spread",
    "scorer_count",
    "created_at",
    "status_changed_at",
    "title",
)


def backlog_settings(group: WorkingGroup | int) -> BacklogSettings:
    """The group's settings with its current framework.

    Every group has them: a new group is set up as it is created (`signals.py`), and the
    groups older than the backlog were set up by migration 0002.
    """
    return BacklogSettings.objects.select_related("framework").get(working_group=group)


def current_frameworks(user: User) -> dict[int, int]:
    """Group id → current framework id, for every group the user can see, in one query."""
    groups = WorkingGroup.objects.visible_to(user)
    return dict(
        BacklogSettings.objects.filter(working_group__in=groups).values_list(
            "working_group_id", "framework_id"
        )
    )


def current_framework_ids(user: User) -> list[int]:
    return list(current_frameworks(user).values())


def ranked(queryset: QuerySet, *, framework_ids: list[int], viewer: User) -> QuerySet:
    """Annotate hypotheses with their current-framework aggregate and the viewer's own score.

    Frameworks belong to one group, so at most one summary per hypothesis matches. Related
    rows are the caller's to select: the API needs none, the page its owners and units.
    """
    mine = Score.objects.filter(
        hypothesis=OuterRef("pk"), scorer_id=viewer.pk, framework_id__in=framework_ids
    )
    return (
        queryset.annotate(
            current=FilteredRelation(
                "summaries", condition=Q(summaries__framework_id__in=framework_ids)
            )
        )
        .annotate(
            score=F("current__mean"),
            score_median=F("current__median"),
            spread=F("current__spread"),
            discuss=Coalesce(F("current__discuss"), Value(False)),
            scorer_count=Coalesce(F("current__scorer_count"), Value(0)),
            impact=F("current__impact"),
            effort=F("current__effort"),
            scored_by_me=Exists(mine),
        )
        .defer("search_document")
        # A plain list per row: rendering 50 rows' tags then creates no managers.
        .prefetch_related(Prefetch("tags", to_attr="tag_list"))
    )


def order_ranked(queryset: QuerySet, terms: list[str] | None = None) -> QuerySet:
    """Order by the given terms ("-score"…), nulls last either way, newest first on ties."""
    expressions = []
    for term in terms or ["-score"]:
        name = term.lstrip("-")
        if name not in RANK_ORDERINGS:
            continue
        field = F(name)
        expressions.append(
            field.desc(nulls_last=True) if term.startswith("-") else field.asc(nulls_last=True)
        )
    return queryset.order_by(*expressions, "-created_at", "-pk")


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Text search over the statement: PostgreSQL full text over the stored, GIN-indexed
    document (websearch syntax, so any typed text is a valid query), or icontains on SQLite.
    """
    text = text.strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        return queryset.filter(search_document=query)
    condition = Q()
    for field in ("title", "change", "metric", "rationale", "evidence"):
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def hypothesis_detail(pk: int, user: User) -> Hypothesis:
    """One hypothesis the user may see, with its history; raises DoesNotExist otherwise."""
    return (
        Hypothesis.objects.visible_to(user)
        .select_related("working_group", "owner", "proposer", "business_unit")
        .defer("search_document")
        .prefetch_related(
            "tags",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def scores_for(hypothesis: Hypothesis) -> QuerySet:
    """Every member's score of the hypothesis, newest framework first, with its framework."""
    return (
        Score.objects.filter(hypothesis=hypothesis)
        .select_related("scorer", "framework")
        .order_by("-framework__created_at", "framework_id", "-updated_at")
    )


def summaries_for(hypothesis: Hypothesis) -> dict[int, ScoreSummary]:
    return {s.framework_id: s for s in ScoreSummary.objects.filter(hypothesis=hypothesis)}


def frameworks_for(group: WorkingGroup) -> QuerySet:
    return (
        ScoringFramework.objects.filter(working_group=group)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .annotate(score_count=Count("scores"))
        .order_by("-is_standard", "name", "pk")
    )


@dataclass(frozen=True)
class Portfolio:
    """Product-focused share of committed work, by count and by known effort, vs the target."""

    target: int
    product_count: int
    foundational_count: int
    product_effort: float
    foundational_effort: float
    effort_known: int

    DRIFT = 10  # points from the target before the page warns

    @property
    def count(self) -> int:
        return self.product_count + self.foundational_count

    @property
    def share_by_count(self) -> float | None:
        return 100 * self.product_count / self.count if self.count else None

    @property
    def share_by_effort(self) -> float | None:
        effort = self.product_effort + self.foundational_effort
        return 100 * self.product_effort / effort if effort else None

    @property
    def drifts(self) -> list[str]:
        out = []
        for label, share in (("count", self.share_by_count), ("effort", self.share_by_effort)):
            if share is not None and abs(share - self.target) > self.DRIFT:
                out.append(label)
        return out

    @property
    def warning(self) -> str:
        if not self.drifts:
            return ""
        parts = []
        if "count" in self.drifts:
            parts.append(f"{self.share_by_count:.0f} % by count")
        if "effort" in self.drifts:
            parts.append(f"{self.share_by_effort:.0f} % by effort")
        return (
            f"Product-focused work is {' and '.join(parts)}, more than {self.DRIFT} points "
            f"from the {self.target} % target."
        )


def portfolio(group: WorkingGroup) -> Portfolio:
    """Balance of accepted, designing and running hypotheses, in one aggregate query."""
    rows = {
        row["category"]: row
        for row in Hypothesis.objects.filter(working_group=group, status__in=COMMITTED_STATUSES)
        .values("category")
        .annotate(n=Count("pk"), effort=Sum("effort_weeks"), known=Count("effort_weeks"))
        .order_by()
    }
    empty = {"n": 0, "effort": None, "known": 0}
    product = rows.get(Category.PRODUCT, empty)
    foundational = rows.get(Category.FOUNDATIONAL, empty)
    return Portfolio(
        target=group.product_share_target,
        product_count=product["n"],
        foundational_count=foundational["n"],
        product_effort=product["effort"] or 0.0,
        foundational_effort=foundational["effort"] or 0.0,
        effort_known=product["known"] + foundational["known"],
    )
