"""The meetings API: series, meetings, agenda items (with reorder and notes), decisions and
action items. Serializers check shapes; the services decide and write."""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User, WorkingGroup
from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget

from . import selectors, services
from .dates import check_within_horizon
from .filters import (
    ActionItemFilter,
    AgendaItemFilter,
    DecisionFilter,
    MeetingFilter,
    MeetingSeriesFilter,
)
from .markup import render_markdown
from .models import ActionItem, AgendaItem, Kind, Meeting, MeetingSeries
from .subjects import resolve_subject


def _check_date(value: date) -> date:
    # DRF turns Django's ValidationError into a 400 on the field, as the pages do.
    return check_within_horizon(value)


def _check_datetime(value: datetime) -> datetime:
    _check_date(value.date())
    return value


class InlineChoiceField(serializers.ChoiceField):
    """A choice field the schema describes with a pattern rather than a named enum:
    `status`, `kind` and `direction` mean different things in different apps, and enums of
    one name with different values collide in the generated schema."""


class InlineChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InlineChoiceField

    def map_serializer_field(self, auto_schema, direction):
        values = [str(v) for v in self.target.choices]
        return {
            "type": "string",
            "pattern": f"^({'|'.join(values)})$",
            "description": f"One of: {', '.join(values)}.",
        }


class UserIdField(serializers.PrimaryKeyRelatedField):
    """A person who shares a working group with the requester; anyone else is "not found",
    as an id that does not exist (a service's "not a member" names only people you see)."""

    default_error_messages = {"does_not_exist": "No such person."}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", User.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request") if self.context else None
        if request is None:
            return User.objects.none()
        groups = WorkingGroup.objects.visible_to(request.user)
        return User.objects.filter(memberships__working_group__in=groups).distinct()


class MeetingField(serializers.PrimaryKeyRelatedField):
    """A meeting the requester may see; another group's meeting is "not found", word for
    word as an id that does not exist."""

    default_error_messages = {"does_not_exist": "No such meeting."}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Meeting.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return Meeting.objects.visible_to(self.context["request"].user)


class GroupField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", WorkingGroup.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        # A group you cannot see is "not found", as everywhere else.
        return WorkingGroup.objects.visible_to(self.context["request"].user)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"type": {"type": "string"}, "id": {"type": "integer"}},
    }
)
class SubjectField(serializers.Field):
    """Output only: {"type": "backlog.hypothesis", "id": 12} or null."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if obj.subject_type_id is None:
            return None
        ct = ContentType.objects.get_for_id(obj.subject_type_id)
        return {"type": f"{ct.app_label}.{ct.model}", "id": obj.subject_id}


class SubjectInput(serializers.Serializer):
    subject_type = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text='e.g. "backlog.hypothesis"'
    )
    subject_id = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                          max_value=2**63 - 1)  # fmt: skip


def _subject(data: dict, group: WorkingGroup):
    return resolve_subject(data.pop("subject_type", ""), data.pop("subject_id", None), group)


# --- series ------------------------------------------------------------------------------


class MeetingSeriesSerializer(serializers.ModelSerializer):
    cadence = serializers.IntegerField(read_only=True)
    kind = InlineChoiceField(choices=Kind.choices, read_only=True)

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
    working_group = GroupField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=160)
    kind = InlineChoiceField(
        choices=[Kind.WORKING_GROUP, Kind.STAKEHOLDER_UPDATE], default=Kind.WORKING_GROUP
    )
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start_time = serializers.TimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, default=60)
    timezone = serializers.CharField(max_length=64, default="UTC")
    starts_on = serializers.DateField(required=False, validators=[_check_date])
    cadence_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=92
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)


class MeetingSeriesUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=160)
    start_time = serializers.TimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=5, max_value=480)
    timezone = serializers.CharField(required=False, max_length=64)
    location = serializers.CharField(required=False, allow_blank=True, max_length=240)
    active = serializers.BooleanField(required=False)


class GenerateSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=26, default=services.GENERATE_AHEAD)


class AttendeeOut(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    attended = serializers.BooleanField(allow_null=True)


class MeetingSerializer(serializers.ModelSerializer):
    ends_at = serializers.DateTimeField(read_only=True)
    kind = InlineChoiceField(choices=Kind.choices, read_only=True)
    status = InlineChoiceField(choices=Meeting.Status.choices, read_only=True)
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

    @extend_schema(request=GenerateSerializer, responses=MeetingSerializer(many=True))
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Schedule the next meetings of the series (idempotent)."""
        series = self.get_object()
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.series_generate(series=series, count=serializer.validated_data["count"])
        upcoming = Meeting.objects.upcoming().filter(series=series).prefetch_related("attendees")
        return Response(MeetingSerializer(upcoming, many=True).data)


# --- meetings ----------------------------------------------------------------------------


class MeetingCreateSerializer(SubjectInput):
    working_group = GroupField()
    kind = InlineChoiceField(choices=Kind.choices, default=Kind.WORKING_SESSION)
    title = serializers.CharField(max_length=160)
    starts_at = serializers.DateTimeField(validators=[_check_datetime])
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, default=60)
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
    duration_minutes = serializers.IntegerField(required=False, min_value=5, max_value=480)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(validators=[_check_datetime])
    duration_minutes = serializers.IntegerField(required=False, min_value=5, max_value=480)


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


class DraftResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    dropped = serializers.IntegerField()
    items = serializers.ListField(child=serializers.DictField())


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
        subject = _subject(data, group)
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

    @extend_schema(request=ReorderSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """Put the agenda in this order: every item's id, once."""
        meeting = self.get_object()
        serializer = ReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = services.agenda_reorder(
            actor=request.user, meeting=meeting, item_ids=serializer.validated_data["items"]
        )
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ShareResult", {"recipients": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Email the agenda, notes, decisions and action items to attendees and stakeholders."""
        meeting = self.get_object()
        count = services.meeting_share_notes(actor=request.user, meeting=meeting)
        return Response({"recipients": count})


# --- agenda items ------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    subject = SubjectField()
    notes_html = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "key",
            "source",
            "heading",
            "position",
            "title",
            "detail",
            "minutes",
            "suggested_minutes",
            "presenter",
            "url",
            "subject",
            "edited",
            "version",
            "notes",
            "notes_html",
            "notes_version",
            "notes_updated_by",
            "notes_updated_at",
        ]
        read_only_fields = fields

    def get_notes_html(self, item) -> str:
        return render_markdown(item.notes)


class AgendaItemCreateSerializer(serializers.Serializer):
    meeting = MeetingField()
    title = serializers.CharField(max_length=240)
    minutes = serializers.IntegerField(min_value=1, max_value=480, default=5)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    presenter = UserIdField(required=False, allow_null=True)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AgendaItemUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=240)
    minutes = serializers.IntegerField(required=False, min_value=1, max_value=480)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    presenter = UserIdField(required=False, allow_null=True)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The version you started editing from: if someone saved the item since, "
        "nothing is saved and the answer is 409 with both versions.",
    )


class MoveItemSerializer(serializers.Serializer):
    direction = InlineChoiceField(choices=["up", "down"])


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, max_length=100_000, trim_whitespace=False)
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The notes_version you started editing from."
    )


class NotesConflictSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    current = AgendaItemSerializer()
    yours = serializers.CharField()


class AgendaItemViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = ["position"]
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]
    policy_actions = {
        "partial_update": Action.MANAGE,
        "destroy": Action.MANAGE,
        "move": Action.MANAGE,
        "notes": Action.READ,  # the service knows who writes this meeting's notes
    }

    def get_queryset(self):
        return (
            AgendaItem.objects.filter(
                meeting__working_group__in=WorkingGroup.objects.visible_to(self.request.user),
                removed=False,
            )
            .select_related("meeting")
            .order_by("meeting_id", "position", "pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.meeting.working_group_id)

    def list(self, request):
        # Items about what the requester may not read go out under a neutral title.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = selectors.present_agenda(list(page if page is not None else queryset), request.user)
        data = AgendaItemSerializer(items, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, pk=None):
        (item,) = selectors.present_agenda([self.get_object()], request.user)
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=AgendaItemCreateSerializer, responses={201: AgendaItemSerializer})
    def create(self, request):
        serializer = AgendaItemCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_add(actor=request.user, **serializer.validated_data)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AgendaItemUpdateSerializer,
        responses={
            200: AgendaItemSerializer,
            409: OpenApiResponse(description="Saved by someone else since `version`."),
        },
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        serializer = AgendaItemUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            item = services.agenda_item_update(
                actor=request.user, item=item, **serializer.validated_data
            )
        except services.AgendaItemConflict as conflict:
            return Response(
                {
                    "status": 409,
                    "code": "conflict",
                    "detail": "This agenda item changed since you opened it; nothing was "
                    "saved. Send your changes again with the current version to apply them.",
                    "current": AgendaItemSerializer(conflict.item).data,
                    "yours": {name: request.data.get(name) for name in conflict.yours},
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(AgendaItemSerializer(item).data)

    def destroy(self, request, pk=None):
        """Take the item off the agenda; a redraft will not bring it back."""
        services.agenda_item_remove(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveItemSerializer, responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Swap with the item above or below."""
        item = self.get_object()
        serializer = MoveItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = services.agenda_item_move(
            actor=request.user, item=item, direction=serializer.validated_data["direction"]
        )
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(
        request=NotesSerializer,
        responses={
            200: AgendaItemSerializer,
            409: OpenApiResponse(
                NotesConflictSerializer, description="Saved by someone else since `version`."
            ),
        },
    )
    @action(detail=True, methods=["put"])
    def notes(self, request, pk=None):
        """Save the notes if nobody saved since `version`; otherwise 409 with both versions."""
        (item,) = selectors.present_agenda([self.get_object()], request.user)
        if getattr(item, "withheld", False):
            raise PermissionDenied(selectors.WITHHELD_NOTES)
        serializer = NotesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            item = services.agenda_item_save_notes(
                actor=request.user, item=item, **serializer.validated_data
            )
        except services.NotesConflict as conflict:
            return Response(
                {
                    "status": 409,
                    "code": "conflict",
                    "detail": "These notes changed since you opened them; merge and save again "
                    "with the current version.",
                    "current": AgendaItemSerializer(
                        selectors.present_agenda([conflict.item], request.user)[0]
                    ).data,
                    "yours": conflict.yours,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(AgendaItemSerializer(item).data)


# --- decisions ---------------------------------------------------------------------------

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
        subject = _subject(data, meeting.working_group)
        data.setdefault("request_key", request.headers.get("Idempotency-Key", ""))
        decision = services.decision_record(
            actor=request.user, meeting=meeting, subject=subject, **data
        )
        (shown,) = self._presented([decision])
        return Response(MeetingDecisionSerializer(shown).data, status=status.HTTP_201_CREATED)


# --- action items ------------------------------------------------------------------------


class ActionItemSerializer(serializers.ModelSerializer):
    subject = SubjectField()
    status = InlineChoiceField(choices=ActionItem.Status.choices, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "working_group",
            "title",
            "description",
            "owner",
            "assignee",
            "due_on",
            "status",
            "blocked_reason",
            "overdue",
            "meeting",
            "subject",
            "created_by",
            "created_at",
            "updated_at",
            "done_at",
        ]
        read_only_fields = fields

    def get_overdue(self, item) -> bool:
        return item.is_overdue()


class ActionItemCreateSerializer(SubjectInput):
    working_group = GroupField(required=False)
    meeting = MeetingField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = UserIdField(help_text="Accountable for it; required.")
    assignee = UserIdField(required=False, allow_null=True, help_text="Who does the work.")
    due_on = serializers.DateField(validators=[_check_date])

    def validate(self, attrs):
        meeting = attrs.get("meeting")
        if meeting is not None:
            attrs.setdefault("working_group", meeting.working_group)
        if "working_group" not in attrs:
            raise serializers.ValidationError(
                {"working_group": "Name the working group (or the meeting it came from)."}
            )
        return attrs


class ActionItemUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = UserIdField(required=False)
    assignee = UserIdField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, validators=[_check_date])
    status = InlineChoiceField(choices=ActionItem.Status.choices, required=False)
    blocked_reason = serializers.CharField(required=False, allow_blank=True, max_length=240)


class ActionItemViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    ordering_fields = ["due_on", "created_at", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Owner, delegate, assignee or PM: the service decides.
    policy_actions = {"partial_update": Action.READ}

    def get_queryset(self):
        return ActionItem.objects.visible_to(self.request.user).order_by("due_on", "pk")

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.owner_id)

    @extend_schema(request=ActionItemCreateSerializer, responses={201: ActionItemSerializer})
    def create(self, request):
        serializer = ActionItemCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("working_group")
        subject = _subject(data, group)
        item = services.action_item_create(actor=request.user, group=group, subject=subject, **data)
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionItemUpdateSerializer, responses=ActionItemSerializer)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        serializer = ActionItemUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        item = services.action_item_update(
            actor=request.user, item=item, **serializer.validated_data
        )
        return Response(ActionItemSerializer(item).data)
