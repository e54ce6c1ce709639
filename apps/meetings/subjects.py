"""What a working session, decision or action item is about: any model of the group's program.

Subjects are stored generically (content type + id) so later apps' models (experiments,
milestones) need no migration here. In the API a subject is `"app_label.model"` and an id;
it must belong to the same working group.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from apps.accounts.models import WorkingGroup


def subject_label(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def group_id_of(obj) -> int | None:
    """The working group a subject belongs to: its own, or its plan's (milestones)."""
    if hasattr(obj, "working_group_id"):
        return obj.working_group_id
    plan = getattr(obj, "plan", None)
    return getattr(plan, "working_group_id", None)


def _model_for(label: str) -> type[models.Model]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        model = None
    fields = {f.name for f in model._meta.get_fields()} if model else set()
    if model is None or not ({"working_group", "plan"} & fields):
        raise ValidationError(
            {"subject_type": f"Unknown subject type {label!r}; use e.g. backlog.hypothesis."}
        )
    return model


def resolve_subject(label: str | None, pk, group: WorkingGroup):
    """The subject instance for (label, pk) in `group`, or None when no subject was given."""
    if not label and pk in (None, ""):
        return None
    if not label or pk in (None, ""):
        raise ValidationError(
            {"subject_type": "Give both subject_type and subject_id, or neither."}
        )
    model = _model_for(label)
    # Another group's object gets the answer of one that does not exist, word for word.
    missing = ValidationError({"subject_id": f"No {label} with id {pk} in this working group."})
    try:
        obj = model._default_manager.get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise missing from None
    if group_id_of(obj) != group.pk:
        raise missing
    return obj


def check_subject(obj, group: WorkingGroup) -> None:
    if obj is not None and group_id_of(obj) != group.pk:
        raise ValidationError({"subject": "What this is about belongs to another working group."})


def subject_fields(obj) -> dict:
    """subject_type / subject_id values for a model instance (or clear them for None)."""
    if obj is None:
        return {"subject_type": None, "subject_id": None}
    return {"subject_type": ContentType.objects.get_for_model(obj), "subject_id": obj.pk}
