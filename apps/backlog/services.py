"""Changes to the backlog: proposing and editing hypotheses, moving them through the workflow,
scoring them, and the scoring frameworks a working group uses.

Each function takes the acting user, asks the role policy, validates, and writes in one
transaction: a refused or invalid change leaves nothing half-saved. Later apps (meetings,
experiments) move hypotheses along with `hypothesis_transition`.
"""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts import policy
from apps.accounts.models import BusinessUnit, Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action

from . import scoring
from .models import (
    SCOREABLE_STATUSES,
    BacklogSettings,
    Criterion,
    Hypothesis,
    Score,
    ScoreRevision,
    ScoreSummary,
    ScoringFramework,
    StatusChange,
    Tag,
)
from .models import Status as S

# --- setup -------------------------------------------------------------------------------


def _create_criteria(framework: ScoringFramework, criteria: Sequence[Mapping]) -> None:
    Criterion.objects.bulk_create(
        Criterion(framework=framework, position=index, **criterion)
        for index, criterion in enumerate(criteria)
    )


@transaction.atomic
def backlog_setup(*, group: WorkingGroup) -> BacklogSettings:
    """Give a group ICE, RICE and PIE and make ICE its framework; safe to call again."""
    existing = (
        BacklogSettings.objects.select_related("framework").filter(working_group=group).first()
    )
    if existing is not None:
        return existing
    standard = {}
    for name, rule, description, criteria in scoring.STANDARD_FRAMEWORKS:
        framework, created = ScoringFramework.objects.get_or_create(
            working_group=group,
            name=name,
            defaults={"rule": rule, "description": description, "is_standard": True},
        )
        if created:
            _create_criteria(
                framework,
                [
                    dict(
                        key=key,
                        name=label,
                        unit=unit,
                        scale_min=low,
                        scale_max=high,
                        weight=weight,
                        axis=axis,
                        description=text,
                    )
                    for key, label, unit, low, high, weight, axis, text in criteria
                ],
            )
        standard[name] = framework
    try:
        with transaction.atomic():
            return BacklogSettings.objects.create(
                working_group=group, framework=standard[scoring.DEFAULT_FRAMEWORK]
            )
    except IntegrityError:  # a concurrent first visit set the group up already
        return BacklogSettings.objects.select_related("framework").get(working_group=group)


# --- hypotheses --------------------------------------------------------------------------


def _index_for_search(hypothesis: Hypothesis) -> None:
    """Refresh the stored full-text document (PostgreSQL; SQLite searches with icontains)."""
    rows = Hypothesis.objects.filter(pk=hypothesis.pk)
    if connections[rows.db].vendor == "postgresql":
        from .selectors import search_document

        rows.update(search_document=search_document())


_CONTENT_FIELDS = {
    "title",
    "change",
    "metric",
    "direction",
    "expected_effect",
    "rationale",
    "evidence",
    "category",
    "business_unit",
    "effort_weeks",
}
_REQUIRED_TEXT = {
    "title": "A hypothesis needs a short title.",
    "change": "Say what we would change (“If we…”).",
    "metric": "Name the metric we expect to move.",
    "rationale": "Say why we believe it (“…because…”).",
}
MAX_TAGS = 10


def _check_text(changes: Mapping) -> None:
    for field, message in _REQUIRED_TEXT.items():
        if field in changes and not str(changes[field] or "").strip():
            raise ValidationError({field: message})


def _check_owner(group: WorkingGroup, owner: User) -> None:
    role = (
        Membership.objects.filter(working_group=group, user=owner)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or role == Role.STAKEHOLDER:
        raise ValidationError(
            {
                "owner": f"{owner.username} cannot own it: the owner must be a member of "
                f"{group.name} who may edit items (not a stakeholder)."
            }
        )


def _tags_for(group: WorkingGroup, names: Iterable[str]) -> list[Tag]:
    names = [n.strip() for n in names if n and n.strip()]
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags per hypothesis."})
    tags, seen = [], set()
    for name in names:
        slug = slugify(name)[:40]
        if not slug:
            raise ValidationError({"tags": f"Tag {name!r} needs at least one letter or digit."})
        if slug in seen:
            continue
        seen.add(slug)
        tag, _ = Tag.objects.get_or_create(
            working_group=group, slug=slug, defaults={"name": name[:40]}
        )
        tags.append(tag)
    return tags


@transaction.atomic
def hypothesis_propose(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    change: str,
    metric: str,
    rationale: str,
    direction: str = "increase",
    expected_effect: float | None = None,
    evidence: str = "",
    category: str = "product",
    business_unit: BusinessUnit | None = None,
    owner: User | None = None,
    tags: Iterable[str] = (),
    effort_weeks: float | None = None,
) -> Hypothesis:
    """Save a new hypothesis as `proposed`; the proposer owns it unless they name an owner."""
    policy.require(actor, group, Action.CREATE)
    backlog_setup(group=group)  # a group older than the backlog gets its frameworks now
    fields = dict(
        title=title.strip(),
        change=change.strip(),
        metric=metric.strip(),
        rationale=rationale.strip(),
        direction=direction,
        expected_effect=expected_effect,
        evidence=evidence.strip(),
        category=category,
        business_unit=business_unit,
        effort_weeks=effort_weeks,
    )
    _check_text(fields)
    owner = owner or actor
    if owner.pk != actor.pk:
        _check_owner(group, owner)
    now = timezone.now()
    hypothesis = Hypothesis(
        working_group=group,
        proposer=actor,
        owner=owner,
        status=S.PROPOSED,
        status_changed_at=now,
        **fields,
    )
    hypothesis.full_clean(exclude=["working_group", "proposer", "owner", "business_unit"])
    hypothesis.save()
    hypothesis.tags.set(_tags_for(group, tags))
    _index_for_search(hypothesis)
    StatusChange.objects.create(
        hypothesis=hypothesis, from_status="", to_status=S.PROPOSED, actor=actor, at=now
    )
    return hypothesis


@transaction.atomic
def hypothesis_update(*, actor: User, hypothesis: Hypothesis, **changes) -> Hypothesis:
    """The owner, their delegate or the program manager edits the statement and its facts."""
    group = hypothesis.working_group
    policy.require(actor, group, Action.EDIT, owner_id=hypothesis.owner_id)
    unknown = set(changes) - _CONTENT_FIELDS - {"owner", "tags"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: "This field cannot be changed here."})
    _check_text(changes)
    tags = changes.pop("tags", None)
    owner = changes.pop("owner", None)
    if owner is not None and owner.pk != hypothesis.owner_id:
        _check_owner(group, owner)
        hypothesis.owner = owner
        changes["owner"] = owner
    for field, value in changes.items():
        setattr(hypothesis, field, value.strip() if isinstance(value, str) else value)
    hypothesis.full_clean(exclude=["working_group", "proposer", "owner", "business_unit"])
    hypothesis.save(update_fields=[*changes, "updated_at"])
    if tags is not None:
        hypothesis.tags.set(_tags_for(group, tags))
    _index_for_search(hypothesis)
    return hypothesis


@transaction.atomic
def hypothesis_delete(*, actor: User, hypothesis: Hypothesis) -> None:
    """Withdraw a proposal nobody acted on; later it is rejected or parked, never deleted."""
    policy.require(actor, hypothesis.working_group, Action.EDIT, owner_id=hypothesis.owner_id)
    if hypothesis.status != S.PROPOSED:
        raise ValidationError(
            {
                "status": f"Only a proposed hypothesis can be deleted; this one is "
                f"{hypothesis.get_status_display().lower()}. Reject or park it instead."
            }
        )
    hypothesis.delete()


# The workflow. Decisions about the backlog (accept, park, reject, revive) are the program
# manager's; moving accepted work through delivery is for whoever may edit the hypothesis.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.PARKED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.DESIGNING, S.PARKED, S.REJECTED}),
    S.DESIGNING: frozenset({S.RUNNING}),
    S.RUNNING: frozenset({S.ANALYZING}),
    S.ANALYZING: frozenset({S.CONCLUDED}),
    S.PARKED: frozenset({S.PROPOSED}),
    S.REJECTED: frozenset(),
    S.CONCLUDED: frozenset(),
}
DECISIONS = frozenset({S.ACCEPTED, S.PARKED, S.REJECTED})
REASON_REQUIRED = frozenset({S.PARKED, S.REJECTED})


def allowed_transitions(hypothesis: Hypothesis) -> list[str]:
    return sorted(TRANSITIONS[hypothesis.status], key=list(S.values).index)


def transition_action(from_status: str, to_status: str) -> Action:
    """The policy action a step needs: MANAGE for backlog decisions, EDIT for delivery."""
    if to_status in DECISIONS or from_status == S.PARKED:
        return Action.MANAGE
    return Action.EDIT


@transaction.atomic
def hypothesis_transition(
    *, actor: User, hypothesis: Hypothesis, to_status: str, reason: str = ""
) -> Hypothesis:
    """Move a hypothesis one allowed step along the workflow and record who, when and why."""
    # Lock the row: two people acting at once must not both move it from the same status.
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    group_id = locked.working_group_id
    policy.require(actor, group_id, Action.READ)
    if to_status not in S.values:
        raise ValidationError(
            {"to_status": f"Unknown status {to_status!r}; choose one of: {', '.join(S.values)}."}
        )
    allowed = TRANSITIONS[locked.status]
    if to_status not in allowed:
        names = ", ".join(allowed_transitions(locked)) or "none (it is final)"
        raise ValidationError(
            {
                "to_status": f"A {locked.status} hypothesis cannot move to {to_status}; "
                f"allowed: {names}."
            }
        )
    action = transition_action(locked.status, to_status)
    if not policy.allows(actor, group_id, action, owner_id=locked.owner_id):
        raise PermissionDenied(
            "Only the program manager accepts, parks, rejects or revives hypotheses."
            if action is Action.MANAGE
            else "Only the owner, their delegate or the program manager moves it along."
        )
    reason = reason.strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": f"Say why the hypothesis is {to_status}."})
    now = timezone.now()
    StatusChange.objects.create(
        hypothesis=locked,
        from_status=locked.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        at=now,
    )
    locked.status = to_status
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    hypothesis.status, hypothesis.status_changed_at = locked.status, locked.status_changed_at
    return locked


# --- scores ------------------------------------------------------------------------------


def _refresh_summary(hypothesis: Hypothesis, framework: ScoringFramework) -> ScoreSummary:
    rows = list(
        Score.objects.filter(hypothesis=hypothesis, framework=framework).values_list(
            "total", "normalised", "impact", "effort"
        )
    )
    agg = scoring.aggregate(rows)
    summary, _ = ScoreSummary.objects.update_or_create(
        hypothesis=hypothesis,
        framework=framework,
        defaults=dict(
            scorer_count=agg.scorer_count,
            mean=agg.mean,
            median=agg.median,
            spread=agg.spread,
            discuss=agg.discuss,
            impact=agg.impact,
            effort=agg.effort,
        ),
    )
    return summary


@transaction.atomic
def score_submit(
    *, actor: User, hypothesis: Hypothesis, values: Mapping, comment: str = ""
) -> tuple[Score, bool]:
    """Score a hypothesis on the group's current framework, or update one's earlier score.

    Returns the score and whether it is new. Every save adds a revision, so the history of
    a member's score is kept, and refreshes the hypothesis's summary in the same transaction.
    """
    group_id = hypothesis.working_group_id
    policy.require(actor, group_id, Action.CREATE)
    # Lock the hypothesis: members scoring it at once queue here, and each recomputes the
    # summary after the previous one committed, so every score counts in the aggregate.
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    if locked.status not in SCOREABLE_STATUSES:
        raise ValidationError(
            {
                "status": f"A {locked.status} hypothesis is no longer scored; members score "
                f"{', '.join(SCOREABLE_STATUSES)} ones."
            }
        )
    settings = backlog_setup(group=locked.working_group)
    framework = settings.framework
    criteria = list(framework.criteria.all())
    try:
        computed = scoring.compute(framework.rule, criteria, values)
    except scoring.ScoreError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    clean = computed.values
    comment = comment.strip()
    score, created = Score.objects.update_or_create(
        hypothesis=locked,
        framework=framework,
        scorer=actor,
        defaults=dict(
            values=clean,
            total=computed.total,
            normalised=computed.normalised,
            impact=computed.impact,
            effort=computed.effort,
            comment=comment,
        ),
    )
    ScoreRevision.objects.create(
        score=score, values=clean, total=computed.total, comment=comment, recorded_at=timezone.now()
    )
    _refresh_summary(locked, framework)
    return score, created


# --- frameworks --------------------------------------------------------------------------

_CRITERION_FIELDS = (
    "key",
    "name",
    "unit",
    "description",
    "scale_min",
    "scale_max",
    "weight",
    "axis",
)


def _check_criteria(rule: str, criteria: Sequence[Mapping]) -> list[dict]:
    """The rules a framework's criteria follow; errors name the criterion and field."""
    if rule not in ScoringFramework.Rule.values:
        raise ValidationError(
            {
                "rule": f"Unknown rule {rule!r}; choose one of: "
                f"{', '.join(ScoringFramework.Rule.values)}."
            }
        )
    if not criteria:
        raise ValidationError({"criteria": "A framework needs at least one criterion."})
    if len(criteria) > scoring.MAX_CRITERIA:
        raise ValidationError(
            {"criteria": f"A framework has at most {scoring.MAX_CRITERIA} criteria."}
        )
    clean, keys = [], set()
    for index, raw in enumerate(criteria):
        at = f"criteria.{index}"
        item = {field: raw[field] for field in _CRITERION_FIELDS if field in raw}
        item["name"] = str(item.get("name", "")).strip()
        if not item["name"]:
            raise ValidationError({f"{at}.name": "Each criterion needs a name."})
        item["key"] = slugify(item.get("key") or item["name"]).replace("-", "_")[:40]
        if not item["key"]:
            raise ValidationError({f"{at}.key": "The key needs at least one letter or digit."})
        if item["key"] in keys:
            raise ValidationError({f"{at}.key": f"Two criteria share the key {item['key']!r}."})
        keys.add(item["key"])
        low, high = item.get("scale_min"), item.get("scale_max")
        if low is None or high is None:
            raise ValidationError({f"{at}.scale_min": "Each criterion needs a scale min and max."})
        for field, value in (("scale_min", low), ("scale_max", high)):
            if abs(value) > scoring.SCALE_LIMIT:
                raise ValidationError(
                    {f"{at}.{field}": f"Keep scales within ±{scoring.SCALE_LIMIT:g}."}
                )
        if high <= low:
            raise ValidationError(
                {f"{at}.scale_max": f"The scale max must be above its min ({low:g})."}
            )
        weight = item.setdefault("weight", 1.0)
        if weight == 0 or abs(weight) > scoring.WEIGHT_LIMIT:
            raise ValidationError(
                {
                    f"{at}.weight": f"A weight is non-zero and within ±{scoring.WEIGHT_LIMIT:g}; "
                    "use a negative weight for a cost."
                }
            )
        if rule == ScoringFramework.Rule.PRODUCT and low < 0:
            raise ValidationError(
                {
                    f"{at}.scale_min": "A product framework multiplies its criteria: "
                    "scales start at 0 or above."
                }
            )
        if item.get("axis", "") not in Criterion.Axis.values:
            raise ValidationError({f"{at}.axis": "Choose impact, effort, ease or none."})
        clean.append(item)
    return clean


def _check_name(group: WorkingGroup, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A framework needs a name."})
    taken = ScoringFramework.objects.filter(working_group=group, name__iexact=name)
    if taken.exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": f"{group.name} already has a framework named {name!r}."})
    return name


@transaction.atomic
def framework_create(
    *,
    actor: User,
    group: WorkingGroup,
    name: str,
    criteria: Sequence[Mapping],
    rule: str = ScoringFramework.Rule.SUM,
    description: str = "",
) -> ScoringFramework:
    """A custom framework for the group: named criteria, each with a scale and a weight."""
    policy.require(actor, group, Action.MANAGE)
    backlog_setup(group=group)
    name = _check_name(group, name)
    clean = _check_criteria(rule, criteria)
    framework = ScoringFramework.objects.create(
        working_group=group,
        name=name,
        rule=rule,
        description=description.strip(),
        created_by=actor,
    )
    _create_criteria(framework, clean)
    return framework


def _require_framework_editor(actor: User, framework: ScoringFramework) -> None:
    policy.require(actor, framework.working_group_id, Action.MANAGE)
    if framework.is_standard:
        # Every group relies on ICE, RICE and PIE meaning the same thing.
        policy.require(actor, framework.working_group_id, Action.CONFIGURE)


@transaction.atomic
def framework_update(
    *,
    actor: User,
    framework: ScoringFramework,
    name: str | None = None,
    description: str | None = None,
    rule: str | None = None,
    criteria: Sequence[Mapping] | None = None,
) -> ScoringFramework:
    """Rename or redescribe a framework; its formula changes only while nobody scored in it."""
    _require_framework_editor(actor, framework)
    framework = ScoringFramework.objects.select_for_update().get(pk=framework.pk)
    changed = []
    if name is not None:
        framework.name = _check_name(framework.working_group, name, exclude_pk=framework.pk)
        changed.append("name")
    if description is not None:
        framework.description = description.strip()
        changed.append("description")
    if rule is not None or criteria is not None:
        used = framework.scores.count()
        if used:
            raise ValidationError(
                {
                    "criteria" if criteria is not None else "rule": f"{used} scores were given in "
                    f"{framework.name}; its formula cannot change under them. Create a new "
                    "framework instead."
                }
            )
        new_rule = rule if rule is not None else framework.rule
        current = [
            {field: getattr(c, field) for field in _CRITERION_FIELDS}
            for c in framework.criteria.all()
        ]
        clean = _check_criteria(new_rule, criteria if criteria is not None else current)
        if rule is not None:
            framework.rule = rule
            changed.append("rule")
        if criteria is not None:
            framework.criteria.all().delete()
            _create_criteria(framework, clean)
    if changed:
        framework.save(update_fields=changed)
    return framework


@transaction.atomic
def framework_delete(*, actor: User, framework: ScoringFramework) -> None:
    """Refused while the framework is in use: chosen by the group, or holding scores."""
    _require_framework_editor(actor, framework)
    if framework.is_standard:
        raise ValidationError(
            {"framework": f"{framework.name} is a standard framework; every group keeps it."}
        )
    if BacklogSettings.objects.filter(framework=framework).exists():
        raise ValidationError(
            {
                "framework": f"{framework.name} is the group's current framework; choose "
                "another framework before deleting it."
            }
        )
    used = framework.scores.count()
    if used:
        raise ValidationError(
            {
                "framework": f"{framework.name} is in use: {used} scores were given in it, "
                "and deleting it would lose them."
            }
        )
    framework.delete()


@transaction.atomic
def framework_choose(*, actor: User, framework: ScoringFramework) -> BacklogSettings:
    """Make a framework the group's current one. Old scores stay with their framework;
    the ranking now uses the new one, so members see everything as "not yet scored by you".
    """
    group = framework.working_group
    policy.require(actor, group, Action.MANAGE)
    settings = BacklogSettings.objects.select_for_update().get(pk=backlog_setup(group=group).pk)
    if settings.framework_id != framework.pk:
        settings.framework = framework
        settings.framework_changed_at = timezone.now()
        settings.framework_changed_by = actor
        settings.save(update_fields=["framework", "framework_changed_at", "framework_changed_by"])
    return settings
