"""Meetings: holding one, changing, moving and cancelling it, who is invited and who came,
drafting and ordering its agenda, and sharing its notes."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_fields import VisibleGroupField
from apps.meetings import services
from apps.meetings.filters import MeetingFilter
from apps.meetings.models import AgendaItem, Kind, Meeting

from .agenda_items import AgendaItemSerializer
from .fields import (
    SubjectField,
    SubjectInput,
    UserIdField,
    check_datetime,
    duration_field,
    pop_subject,
)
from .notes_dispatches import NotesDispatchSerializer


class AttendeeOut(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    attended = serializers.BooleanField(allow_null=True)


class MeetingSerializer(serializers.ModelSerializer):
    ends_at = serializers.DateTimeField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    status = serializers.ChoiceField(choices=Meeting.Status.choices, read_only=True)
    subject = SubjectField()
    attendees = AttendeeOut(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "working_group",
            "series",
            "occurrence",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "timezone",
            "location",
            "status",
            "moved",
            "cancel_reason",
            "facilitator",
            "note_taker",
            "subject",
            "attendees",
            "agenda_drafted_at",
            "shared_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class MeetingCreateSerializer(SubjectInput):
    working_group = VisibleGroupField()
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.WORKING_SESSION)
    title = serializers.CharField(max_length=160)
    starts_at = serializers.DateTimeField(validators=[check_datetime])
    duration_minutes = duration_field(default=60)
    timezone = serializers.CharField(max_length=64, default="UTC")
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)
    attendees = serializers.ListField(child=UserIdField(), required=False, max_length=200)
    facilitator = UserIdField(required=False, allow_null=True)
    note_taker = UserIdField(required=False, allow_null=True)


class MeetingUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=160)
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)
    facilitator = UserIdField(required=False, allow_null=True)
    note_taker = UserIdField(required=False, allow_null=True)
    duration_minutes = duration_field(required=False)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(validators=[check_datetime])
    duration_minutes = duration_field(required=False)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=240)


class PeopleSerializer(serializers.Serializer):
    users = serializers.ListField(child=UserIdField(), max_length=200)


class PresentSerializer(serializers.Serializer):
    present = serializers.ListField(child=UserIdField(), max_length=200)


class ReorderSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=500
    )


class ShareSerializer(serializers.Serializer):
    confirm_not_held = serializers.BooleanField(
        default=False,
        help_text="Share the notes of a meeting that has not started yet; without it that "
        "is refused with a 400.",
    )


class DraftResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    dropped = serializers.IntegerField()
    items = AgendaItemSerializer(many=True, help_text="The agenda as drafted, in order.")


class MeetingViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "created_at"]
    # Services decide who runs a meeting (the PM, or a working session's organiser).
    policy_actions = {
        "partial_update": Action.READ,
        "move": Action.READ,
        "cancel": Action.READ,
        "reinstate": Action.READ,
        "attendees": Action.READ,
        "attendance": Action.READ,
        "draft_agenda": Action.MANAGE,
        "reorder": Action.MANAGE,
        "share": Action.MANAGE,
    }

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("working_group")
            .prefetch_related("attendees")
            .order_by("starts_at", "pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    def _out(self, meeting: Meeting) -> Response:
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request):
        serializer = MeetingCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("working_group")
        subject = pop_subject(data, group)
        meeting = services.meeting_create(
            actor=request.user,
            group=group,
            timezone_name=data.pop("timezone"),
            subject=subject,
            **data,
        )
        response = self._out(meeting)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingSerializer)
    def partial_update(self, request, pk=None):
        meeting = self.get_object()
        serializer = MeetingUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.meeting_update(actor=request.user, meeting=meeting, **serializer.validated_data)
        return self._out(meeting)

    @extend_schema(request=MoveSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move one meeting; the rest of its series stays where it was."""
        meeting = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_move(actor=request.user, meeting=meeting, **serializer.validated_data)
        return self._out(meeting)

    @extend_schema(request=CancelSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_cancel(actor=request.user, meeting=meeting, **serializer.validated_data)
        return self._out(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        meeting = self.get_object()
        services.meeting_reinstate(actor=request.user, meeting=meeting)
        return self._out(meeting)

    @extend_schema(request=PeopleSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request, pk=None):
        """Replace the invitees (members of the group only)."""
        meeting = self.get_object()
        serializer = PeopleSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.meeting_set_attendees(
            actor=request.user, meeting=meeting, users=serializer.validated_data["users"]
        )
        return self._out(meeting)

    @extend_schema(request=PresentSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who came."""
        meeting = self.get_object()
        serializer = PresentSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.meeting_record_attendance(
            actor=request.user, meeting=meeting, present=serializer.validated_data["present"]
        )
        return self._out(meeting)

    @extend_schema(request=None, responses=DraftResultSerializer)
    @action(detail=True, methods=["post"], url_path="draft-agenda")
    def draft_agenda(self, request, pk=None):
        """Draft or redraft the agenda from the program's state; the PM's edits are kept."""
        meeting = self.get_object()
        result = services.meeting_draft_agenda(actor=request.user, meeting=meeting)
        items = AgendaItem.objects.filter(meeting=meeting, removed=False).order_by("position")
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "dropped": result.dropped,
                "items": AgendaItemSerializer(items, many=True).data,
            }
        )

    @extend_schema(
        request=ReorderSerializer, responses=AgendaItemSerializer(many=True), filters=False
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def reorder(self, request, pk=None):
        """Put the agenda in this order: every item's id, once."""
        meeting = self.get_object()
        serializer = ReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = services.agenda_reorder(
            actor=request.user, meeting=meeting, item_ids=serializer.validated_data["items"]
        )
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(request=ShareSerializer, responses={202: NotesDispatchSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Email the agenda, notes, decisions and action items to attendees and stakeholders
        (a meeting that has not started yet only with `confirm_not_held`).

        The emailing runs as a background job: the answer is 202 with the dispatch, whose
        `url` reports its progress (queued, sending, sent or failed, copies sent of total).
        """
        meeting = self.get_object()
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispatch = services.meeting_share_notes(
            actor=request.user, meeting=meeting, **serializer.validated_data
        )
        dispatch.refresh_from_db()  # without a broker the job has already run
        return Response(NotesDispatchSerializer(dispatch).data, status=status.HTTP_202_ACCEPTED)
