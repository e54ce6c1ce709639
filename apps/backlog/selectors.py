"""Reads for the backlog: the ranked list, text search, and the portfolio balance.

Ranking joins each hypothesis to its `ScoreSummary` in the group's current framework (kept
by the score service), so a page of the ranking is one indexed query whatever the number of
hypotheses and scorers, after one query for each group's prior (below).

The rank is a Bayesian average, so that one enthusiastic score cannot top items that many
members scored: with n members' mean s̄ and the group's mean μ over every score in the
framework,

    adjusted score = (m·μ + n·s̄) / (m + n),   m = PRIOR_WEIGHT = 3 pseudo-scorers

An item with one score of 7.67 in a group whose scores average 5 ranks at 5.67; with five
members at 7 it ranks at 6.25. Where the group does not count proposers' self-scores, n, s̄
and μ leave out the proposer's score of their own hypothesis. The program manager's pins
come first, in the default order.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

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

# The Bayesian average's weight of the group's mean, in pseudo-scorers (module docstring).
PRIOR_WEIGHT = 3
# The ranking's default order: pins first, then the adjusted score.
DEFAULT_ORDER = ["-pinned", "-adjusted_score"]

# What the ranking may be ordered by; unscored hypotheses always sort last.
RANK_ORDERINGS = (
    "pinned",
    "adjusted_score",
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


@dataclass(frozen=True)
class RankingPrior:
    """What one framework's ranking needs beyond each item's summary."""

    proposer_scores_count: bool
    mean: float | None  # the group's mean score, over the scores that count


def ranking_priors(framework_ids: list[int]) -> dict[int, RankingPrior]:
    """Framework id → its group's self-score setting and mean score, in one query."""

    def summed(expression, name):
        return Subquery(
            ScoreSummary.objects.filter(framework_id=OuterRef("framework_id"))
            .order_by()
            .values("framework_id")
            .annotate(**{name: Sum(expression)})
            .values(name),
            output_field=FloatField(),
        )

    rows = (
        BacklogSettings.objects.filter(framework_id__in=framework_ids)
        .annotate(
            all_total=summed(F("mean") * F("scorer_count"), "t"),
            all_count=summed(F("scorer_count"), "n"),
            peer_total=summed(F("peer_mean") * F("peer_count"), "t"),
            peer_count=summed(F("peer_count"), "n"),
        )
        .values_list(
            "framework_id",
            "proposer_scores_count",
            "all_total",
            "all_count",
            "peer_total",
            "peer_count",
        )
    )
    priors = {}
    for framework_id, counts_self, all_total, all_count, peer_total, peer_count in rows:
        total, count = (all_total, all_count) if counts_self else (peer_total, peer_count)
        priors[framework_id] = RankingPrior(
            proposer_scores_count=counts_self, mean=total / count if count else None
        )
    return priors


def ranked(queryset: QuerySet, *, framework_ids: list[int], viewer: User) -> QuerySet:
    """Annotate hypotheses with their current-framework aggregate and the viewer's own score.

    `score` and `scorer_count` are the members' mean and number over the scores that count
    (the group may leave out proposers' self-scores); `adjusted_score` is the Bayesian
    average the ranking sorts by (module docstring); `pinned` and `pin_*` the program
    manager's pin. Frameworks belong to one group, so at most one summary per hypothesis
    matches. Related rows are the caller's to select: the API needs none, the page its
    owners and units.
    """
    mine = Score.objects.filter(
        hypothesis=OuterRef("pk"), scorer_id=viewer.pk, framework_id__in=framework_ids
    )
    priors = ranking_priors(framework_ids)
    peers_only = [pk for pk, prior in priors.items() if not prior.proposer_scores_count]
    count, mean = Coalesce(F("current__scorer_count"), Value(0)), F("current__mean")
    if peers_only:
        only = Q(current__framework_id__in=peers_only)
        count = Case(When(only, then=Coalesce(F("current__peer_count"), Value(0))), default=count)
        mean = Case(When(only, then=F("current__peer_mean")), default=mean)
    group_mean = Case(
        *(
            When(current__framework_id=pk, then=Value(prior.mean))
            for pk, prior in priors.items()
            if prior.mean is not None
        ),
        default=Value(None),
        output_field=FloatField(),
    )
    weight = Value(float(PRIOR_WEIGHT))
    pinned_by = F("pin__pinned_by__username")
    return (
        queryset.annotate(
            current=FilteredRelation(
                "summaries", condition=Q(summaries__framework_id__in=framework_ids)
            )
        )
        .annotate(
            score=mean,
            scorer_count=count,
        )
        .annotate(
            adjusted_score=ExpressionWrapper(
                (weight * Coalesce(group_mean, F("score")) + F("scorer_count") * F("score"))
                / (weight + F("scorer_count")),
                output_field=FloatField(),
            ),
            pinned=ExpressionWrapper(Q(pin__pinned_at__isnull=False), output_field=BooleanField()),
            pin_reason=F("pin__reason"),
            pinned_by_id=F("pin__pinned_by"),
            pinned_at=F("pin__pinned_at"),
            pinned_by_name=Coalesce(
                NullIf(
                    Trim(
                        Concat(
                            F("pin__pinned_by__first_name"),
                            Value(" "),
                            F("pin__pinned_by__last_name"),
                        )
                    ),
                    Value(""),
                ),
                pinned_by,
            ),
            score_median=F("current__median"),
            spread=F("current__spread"),
            discuss=Coalesce(F("current__discuss"), Value(False)),
            impact=F("current__impact"),
            effort=F("current__effort"),
            scored_by_me=Exists(mine),
        )
        .defer("search_document")
        # A plain list per row: rendering 50 rows' tags then creates no managers.
        .prefetch_related(Prefetch("tags", to_attr="tag_list"))
    )


def order_ranked(queryset: QuerySet, terms: list[str] | None = None) -> QuerySet:
    """Order by the given terms ("-adjusted_score"…), nulls last either way, newest first on
    ties; by default pins first, then the adjusted score."""
    expressions = []
    for term in terms or DEFAULT_ORDER:
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
