"""The roadmap as data for a timeline: the quarters, the portfolio share, and each plan
with its milestones' states."""

from functools import cached_property
from operator import attrgetter

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import WorkingGroup
from apps.roadmap import selectors, timeline
from apps.roadmap.models import Category, PlanStatus

from .fields import GROUP_NOT_FOUND


class RoadmapQuerySerializer(serializers.Serializer):
    working_group = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    business_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class PlainRowSerializer(serializers.Serializer):
    # A serializer for thousands of plain rows, whose declared fields are the contract (the
    # schema and each value's source) and whose output DRF's own path would make 3-4 times
    # slower to build.
    #
    # Each field's source is read with one `attrgetter`, and the value passed through as the
    # JSON renderer writes it: for the field types allowed here (ints, strings, booleans,
    # dates read from rows that already hold those types) that is the same text the field's
    # `to_representation` gives. A nested list of rows goes through its own child.
    # (A comment, not a docstring: the schema would show it on every subclass.)

    PASS_THROUGH = (
        serializers.IntegerField,
        serializers.CharField,
        serializers.BooleanField,
        serializers.DateField,
    )

    @cached_property
    def _readers(self) -> list:
        readers = []
        for field in self._readable_fields:
            get = attrgetter(field.source)
            if isinstance(field, serializers.ListSerializer) and isinstance(
                field.child, PlainRowSerializer
            ):
                readers.append((field.field_name, get, field.child.to_representation))
            elif isinstance(field, self.PASS_THROUGH):
                readers.append((field.field_name, get, None))
            else:
                raise TypeError(f"{type(self).__name__}.{field.field_name}: not a plain field")
        return readers

    def to_representation(self, instance) -> dict:
        row = {}
        for name, get, child in self._readers:
            value = get(instance)
            row[name] = value if child is None else [child(item) for item in value]
        return row


class RoadmapMilestoneSerializer(PlainRowSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    target_date = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    criteria_changed_after_start = serializers.BooleanField()


class RoadmapPlanSerializer(PlainRowSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    working_group = serializers.IntegerField(source="working_group_id")
    category = serializers.CharField()
    status = serializers.CharField()
    business_unit = serializers.IntegerField(source="business_unit_id", allow_null=True)
    owner = serializers.CharField(source="owner_name")
    sponsor = serializers.CharField(source="sponsor_name")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    target_quarter = serializers.CharField()
    confidential = serializers.BooleanField()
    milestones = RoadmapMilestoneSerializer(many=True)


class QuarterSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    current = serializers.BooleanField()


class ShareSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    foundational = serializers.IntegerField()
    product_pct = serializers.IntegerField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)


class RoadmapSerializer(serializers.Serializer):
    today = serializers.DateField()
    quarters = QuarterSerializer(many=True)
    share = ShareSerializer(help_text="Product-focused vs foundational among active plans")
    plans = RoadmapPlanSerializer(many=True)


def roadmap_filters(user, data: dict) -> selectors.RoadmapFilters:
    group = None
    if data.get("working_group"):
        group = get_object_or_404(WorkingGroup.objects.visible_to(user), pk=data["working_group"])
    return selectors.RoadmapFilters(
        group=group,
        category=data.get("category", ""),
        business_unit_id=data.get("business_unit"),
        status=data.get("status", ""),
        q=data.get("q", ""),
    )


class RoadmapView(APIView):
    """The roadmap as data for a timeline: plans by quarter, milestones with their state."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[RoadmapQuerySerializer],
        responses={200: RoadmapSerializer, 404: GROUP_NOT_FOUND},
    )
    def get(self, request):
        query = RoadmapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = roadmap_filters(request.user, query.validated_data)
        plans = selectors.timeline_plans(request.user, filters)
        today = timezone.localdate()
        for plan in plans:
            for milestone in plan.milestones:
                milestone.state = plan.state(milestone, today=today)
        target = filters.group.product_share_target if filters.group else None
        roadmap = {
            "today": today,
            "quarters": timeline.quarter_spans(plans, today),
            "share": selectors.share_of(plans, target),
            "plans": plans,
        }
        return Response(RoadmapSerializer(roadmap).data)
