"""Decisions recorded in meetings, each read through the one rule of who reads what."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import PolicyTarget
from apps.meetings import selectors, services
from apps.meetings.filters import DecisionFilter
from apps.meetings.models import AgendaItem, Meeting

from .fields import MeetingField, SubjectField, SubjectInput, pop_subject

NO_SUCH_ITEM = "No such agenda item in this meeting."


class MeetingDecisionSerializer(serializers.Serializer):
    """A decision as the requester may read it (`selectors.present_decisions`): one they
    may not read is `withheld`, with neutral text and an empty payload."""

    id = serializers.IntegerField(read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    agenda_item = serializers.IntegerField(source="agenda_item_id", read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    subject = SubjectField()
    kind = serializers.CharField(read_only=True)
    payload = serializers.DictField(read_only=True)
    withheld = serializers.BooleanField(read_only=True)
    applied_at = serializers.DateTimeField(read_only=True, allow_null=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AgendaItemField(serializers.PrimaryKeyRelatedField):
    """An item on the agenda of a meeting the requester may see."""

    default_error_messages = {"does_not_exist": NO_SUCH_ITEM}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", AgendaItem.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.context["request"].user)
        return AgendaItem.objects.filter(meeting__in=visible, removed=False)


class MeetingDecisionCreateSerializer(SubjectInput):
    meeting = MeetingField()
    agenda_item = AgendaItemField(required=False, allow_null=True)
    text = serializers.CharField(max_length=10_000)
    kind = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text='e.g. "hypothesis.transition"'
    )
    payload = serializers.DictField(required=False)
    request_key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Unique per decision (or send an Idempotency-Key header): a retry with "
        "the same key returns the decision already recorded and records nothing new.",
    )

    def validate(self, attrs):
        item = attrs.get("agenda_item")
        if item is not None and item.meeting_id != attrs["meeting"].pk:
            # Word for word the answer for an id that does not exist.
            raise serializers.ValidationError({"agenda_item": [NO_SUCH_ITEM]})
        return attrs


class DecisionViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingDecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.decisions_for(self.request.user).order_by("created_at", "pk")

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.meeting.working_group_id)

    def _presented(self, decisions) -> list:
        # Every decision leaves through the one rule of who reads what.
        return selectors.present_decisions(decisions, self.request.user)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self._presented(page if page is not None else queryset)
        data = MeetingDecisionSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, pk=None):
        (decision,) = self._presented([self.get_object()])
        return Response(MeetingDecisionSerializer(decision).data)

    @extend_schema(
        request=MeetingDecisionCreateSerializer, responses={201: MeetingDecisionSerializer}
    )
    def create(self, request):
        """Record a decision; with a `kind` it is applied in the same transaction."""
        serializer = MeetingDecisionCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        subject = pop_subject(data, meeting.working_group)
        data.setdefault("request_key", request.headers.get("Idempotency-Key", ""))
        decision = services.decision_record(
            actor=request.user, meeting=meeting, subject=subject, **data
        )
        (shown,) = self._presented([decision])
        return Response(MeetingDecisionSerializer(shown).data, status=status.HTTP_201_CREATED)
