"""Serializer fields, and an answer, the roadmap's API modules share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from apps.backlog.models import Hypothesis
from apps.core.dates import DATE_HELP, check_date
from apps.roadmap.models import ResearchPlan


@extend_schema_field(OpenApiTypes.INT)
class VisiblePlanField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return ResearchPlan.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)  # used with many=True: the schema wraps it in an array
class VisibleHypothesesField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Hypothesis.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class HypothesisIdField(serializers.PrimaryKeyRelatedField):
    """A linked hypothesis's id, read from a `to_attr` prefetch list (see `milestone_rows`),
    which the schema generator cannot follow back to the model."""


# A working group named in the query or the body, not in the path: the schema would not
# otherwise say that an id can be unknown.
GROUP_NOT_FOUND = OpenApiResponse(description="No working group you can see has that id.")


def date_field(**kwargs) -> serializers.DateField:
    """A date within the window every app shares (apps.core.dates)."""
    return serializers.DateField(help_text=DATE_HELP, validators=[check_date], **kwargs)
