"""The scoring frameworks a working group defines, and the one it currently scores with."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.backlog import scoring
from apps.backlog.models import BacklogSettings, Criterion, ScoringFramework

from .setup import create_criteria

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
    name = _check_name(group, name)
    clean = _check_criteria(rule, criteria)
    framework = ScoringFramework.objects.create(
        working_group=group,
        name=name,
        rule=rule,
        description=description.strip(),
        created_by=actor,
    )
    create_criteria(framework, clean)
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
            create_criteria(framework, clean)
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
    settings = BacklogSettings.objects.select_for_update().get(working_group=group)
    if settings.framework_id != framework.pk:
        settings.framework = framework
        settings.framework_changed_at = timezone.now()
        settings.framework_changed_by = actor
        settings.save(update_fields=["framework", "framework_changed_at", "framework_changed_by"])
    return settings
