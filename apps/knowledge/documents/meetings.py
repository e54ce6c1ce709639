"""Decisions recorded in meetings, with the meeting and the agenda item they belong to.

A decision about a research plan, a milestone or an experiment is as hidden as its subject.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.knowledge.indexing import Document, Visibility, register
from apps.knowledge.models.search import Kind
from apps.meetings.models import Decision

from .access import of_experiment, of_group, of_plan
from .text import join


def _subject_visibility(decision: Decision) -> Visibility | None:
    if decision.subject_type_id is None or decision.subject_id is None:
        return None
    label = ContentType.objects.get_for_id(decision.subject_type_id).model
    model = ContentType.objects.get_for_id(decision.subject_type_id).model_class()
    subject = model._default_manager.filter(pk=decision.subject_id).first() if model else None
    if subject is None:
        return None
    if label == "researchplan":
        return of_plan(subject)
    if label == "milestone":
        return of_plan(subject.plan)  # type: ignore[attr-defined]
    if label == "experiment":
        return of_experiment(subject)
    return None


def build(decision: Decision) -> Document:
    meeting = decision.meeting
    item = decision.agenda_item
    return Document(
        title=decision.text.splitlines()[0][:200] if decision.text.strip() else meeting.title,
        url=reverse("meetings:detail", args=[meeting.pk]) + f"#decision-{decision.pk}",
        visibility=of_group(meeting.working_group_id).narrowed(_subject_visibility(decision)),
        statement=item.title if item else "",
        text_c=decision.text,
        body=join(meeting.title, item.detail if item else ""),
        status=decision.kind,
        year=meeting.starts_at.year,
        happened_at=decision.created_at,
    )


register(
    Kind.MEETING_DECISION,
    Decision,
    build,
    queryset=lambda qs: qs.select_related("meeting", "agenda_item"),
)
