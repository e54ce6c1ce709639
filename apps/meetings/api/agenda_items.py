"""Agenda items: the PM's edits with their compare-and-set, the order, and the notes'
compare-and-set."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_errors import ConflictSerializer
from apps.meetings import selectors, services
from apps.meetings.filters import AgendaItemFilter
from apps.meetings.markup import render_markdown
from apps.meetings.models import AgendaItem

from .fields import MeetingField, SubjectField, UserIdField, timebox_field


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
    minutes = timebox_field(default=5)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    presenter = UserIdField(required=False, allow_null=True)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AgendaItemUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=240)
    minutes = timebox_field(required=False)
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
    direction = serializers.ChoiceField(choices=services.MOVE_DIRECTIONS)


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, max_length=100_000, trim_whitespace=False)
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The notes_version you started editing from."
    )


class NotesConflictSerializer(ConflictSerializer):
    current = AgendaItemSerializer()
    yours = serializers.CharField(help_text="The notes you sent.")


class AgendaItemConflictSerializer(ConflictSerializer):
    current = AgendaItemSerializer()
    yours = serializers.DictField(help_text="The fields you sent, as you sent them.")


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
            409: OpenApiResponse(
                AgendaItemConflictSerializer, description="Saved by someone else since `version`."
            ),
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

    @extend_schema(
        request=MoveItemSerializer, responses=AgendaItemSerializer(many=True), filters=False
    )
    @action(detail=True, methods=["post"], pagination_class=None)
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
