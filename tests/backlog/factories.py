import factory
from django.utils import timezone

from apps.backlog.models import Category, Hypothesis, Status
from tests.accounts.factories import UserFactory, WorkingGroupFactory


class HypothesisFactory(factory.django.DjangoModelFactory):
    """A hypothesis written straight to the table, for reads; writes go through services."""

    class Meta:
        model = Hypothesis

    working_group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Hypothesis {n}")
    change = "show delivery dates on product pages"
    metric = "checkout conversion"
    rationale = "customers say dates are easier to trust than speeds"
    category = Category.PRODUCT
    proposer = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("proposer")
    status = Status.PROPOSED
    status_changed_at = factory.LazyFunction(timezone.now)
