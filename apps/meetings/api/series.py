"""Meeting series: the slot a working group meets in, and scheduling its next meetings."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_fields import VisibleGroupField
from apps.meetings import services
from apps.meetings.filters import MeetingSeriesFilter
from apps.meetings.models import Kind, Meeting, MeetingSeries

from .fields import LocalTimeField, check_date, duration_field
from .meetings import MeetingSerializer


class MeetingSeriesSerializer(serializers.ModelSerializer):
    cadence = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    start_time = LocalTimeField(read_only=True)

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "working_group",
            "title",
            "kind",
            "weekday",
            "start_time",
            "duration_minutes",
            "timezone",
            "starts_on",
            "cadence_days",
            "cadence",
            "location",
            "active",
            "created_at",
        ]
        read_only_fields = fields


class MeetingSeriesCreateSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=160)
    kind = serializers.ChoiceField(
        choices=[Kind.WORKING_GROUP, Kind.STAKEHOLDER_UPDATE], default=Kind.WORKING_GROUP
    )
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start_time = LocalTimeField()
    duration_minutes = duration_field(default=60)
    timezone = serializers.CharField(max_length=64, default="UTC")
    starts_on = serializers.DateField(required=False, validators=[check_date])
    cadence_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=92
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)


class MeetingSeriesUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=160)
    start_time = LocalTimeField(required=False)
    duration_minutes = duration_field(required=False)
    timezone = serializers.CharField(required=False, max_length=64)
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)
    active = serializers.BooleanField(required=False)


class GenerateSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=26, default=services.GENERATE_AHEAD)


class MeetingSeriesViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingSeriesSerializer
    filterset_class = MeetingSeriesFilter
    ordering_fields = ["created_at"]
    policy_actions = {"partial_update": Action.MANAGE, "generate": Action.MANAGE}

    def get_queryset(self):
        return MeetingSeries.objects.visible_to(self.request.user).select_related("working_group")

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    @extend_schema(request=MeetingSeriesCreateSerializer, responses={201: MeetingSeriesSerializer})
    def create(self, request):
        serializer = MeetingSeriesCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        series = services.series_create(
            actor=request.user,
            group=data.pop("working_group"),
            timezone_name=data.pop("timezone"),
            **data,
        )
        return Response(MeetingSeriesSerializer(series).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingSeriesUpdateSerializer, responses=MeetingSeriesSerializer)
    def partial_update(self, request, pk=None):
        series = self.get_object()
        serializer = MeetingSeriesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        series = services.series_update(
            actor=request.user, series=series, **serializer.validated_data
        )
        return Response(MeetingSeriesSerializer(series).data)

    @extend_schema(
        request=GenerateSerializer, responses=MeetingSerializer(many=True), filters=False
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def generate(self, request, pk=None):
        """Schedule the next meetings of the series (idempotent)."""
        series = self.get_object()
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.series_generate(series=series, count=serializer.validated_data["count"])
        upcoming = Meeting.objects.upcoming().filter(series=series).prefetch_related("attendees")
        return Response(MeetingSerializer(upcoming, many=True).data)
