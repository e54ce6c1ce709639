"""A working group's standard frameworks and its settings, which every backlog read assumes.

A new group is set up as it is created (`signals.py`); the groups older than the backlog
were set up by migration 0002, which runs this same code on its historical models.
"""

from collections.abc import Mapping, Sequence

from django.apps import apps as live_apps
from django.db import IntegrityError, transaction

from apps.accounts.models import WorkingGroup
from apps.backlog import scoring
from apps.backlog.models import BacklogSettings, Criterion, ScoringFramework


def create_criteria(
    framework: ScoringFramework, criteria: Sequence[Mapping], *, model: type = Criterion
) -> None:
    """Save a framework's criteria in the order given; `model` may be a migration's own."""
    model.objects.bulk_create(
        model(framework=framework, position=index, **criterion)
        for index, criterion in enumerate(criteria)
    )


def backlog_setup(*, group: WorkingGroup) -> BacklogSettings:
    """Give a group ICE, RICE and PIE and make ICE its framework; safe to call again."""
    return set_up_group(group.pk)


@transaction.atomic
def set_up_group(group_id: int, *, apps=live_apps):
    """`backlog_setup` by group id, over a model registry: the live one, or a migration's.

    Only fields that exist since migration 0001 are used here, so migration 0002 can run it
    on its historical models. Idempotent: what a group has already is kept.
    """
    framework_model = apps.get_model("backlog", "ScoringFramework")
    criterion_model = apps.get_model("backlog", "Criterion")
    settings_model = apps.get_model("backlog", "BacklogSettings")
    existing = (
        settings_model.objects.select_related("framework").filter(working_group_id=group_id).first()
    )
    if existing is not None:
        return existing
    standard = {}
    for name, rule, description, criteria in scoring.STANDARD_FRAMEWORKS:
        framework, created = framework_model.objects.get_or_create(
            working_group_id=group_id,
            name=name,
            defaults={"rule": rule, "description": description, "is_standard": True},
        )
        if created:
            create_criteria(
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
                model=criterion_model,
            )
        standard[name] = framework
    try:
        with transaction.atomic():
            return settings_model.objects.create(
                working_group_id=group_id, framework=standard[scoring.DEFAULT_FRAMEWORK]
            )
    except IntegrityError:  # a concurrent call set the group up already
        return settings_model.objects.select_related("framework").get(working_group_id=group_id)
