from datetime import timedelta

import factory
from django.utils import timezone

from apps.meetings.models import ActionItem, AgendaItem, Kind, Meeting
from tests.accounts.factories import UserFactory, WorkingGroupFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting written straight to the table, for reads; writes go through services."""

    class Meta:
        model = Meeting

    working_group = factory.SubFactory(WorkingGroupFactory)
    kind = Kind.WORKING_GROUP
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    timezone = "UTC"
    facilitator = factory.SelfAttribute("working_group.program_manager")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: n)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    working_group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
