"""Serializer fields every app's API shares, so a rule about what a user may name is kept once."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import WorkingGroup


@extend_schema_field(OpenApiTypes.INT)
class VisibleGroupField(serializers.PrimaryKeyRelatedField):
    """A working group the requesting user may see; any other id is simply unknown.

    "Unknown" rather than "forbidden", so the API does not tell who can guess ids which
    groups exist.
    """

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.context["request"].user)
