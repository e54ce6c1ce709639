"""Action items: an owner, a due date, and who moves them along."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_fields import VisibleGroupField
from apps.meetings import services
from apps.meetings.filters import ActionItemFilter
from apps.meetings.models import ActionItem

from .fields import (
    MeetingField,
    SubjectField,
    SubjectInput,
    UserIdField,
    check_date,
    pop_subject,
)


class ActionItemSerializer(serializers.ModelSerializer):
    subject = SubjectField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, read_only=True)
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
    working_group = VisibleGroupField(required=False)
    meeting = MeetingField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = UserIdField(help_text="Accountable for it; required.")
    assignee = UserIdField(required=False, allow_null=True, help_text="Who does the work.")
    due_on = serializers.DateField(validators=[check_date])

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
    due_on = serializers.DateField(required=False, validators=[check_date])
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
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
        subject = pop_subject(data, group)
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
