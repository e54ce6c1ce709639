"""The stakeholder update over the API: read it, email it, follow the emailing."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import WorkingGroup
from apps.roadmap import selectors, services, updates
from apps.roadmap.models import INTRODUCTION_MAX_CHARS, UpdateDispatch

from .fields import GROUP_NOT_FOUND, date_field


class UpdateQuerySerializer(serializers.Serializer):
    working_group = serializers.IntegerField(min_value=1, max_value=2**62)
    since = date_field()
    until = date_field()

    def validate(self, data):
        try:
            services.check_update_range(data["since"], data["until"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return data


class _PlanMilestoneSerializer(serializers.Serializer):
    # The plan and milestone an update line is about, as each such line names them (a
    # comment: a docstring would show in the schema on every subclass).

    plan = serializers.IntegerField(source="plan.pk")
    plan_title = serializers.CharField(source="plan.title")
    milestone = serializers.IntegerField(source="milestone.pk")
    milestone_title = serializers.CharField(source="milestone.title")


class UpdateEntrySerializer(_PlanMilestoneSerializer):
    outcome = serializers.CharField(source="decision.outcome")
    rationale = serializers.CharField(source="decision.rationale")
    learned = serializers.CharField(source="decision.learned")
    decided_at = serializers.DateTimeField(source="decision.decided_at")
    decided_by = serializers.CharField(source="decision.decided_by.display_name")


class NextStepSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    plan_title = serializers.CharField(source="plan.title")
    status = serializers.CharField(source="plan.status")
    milestone = serializers.IntegerField(source="milestone.pk", allow_null=True, default=None)
    milestone_title = serializers.CharField(source="milestone.title", default="")
    question = serializers.CharField(source="milestone.question", default="")
    target_date = serializers.DateField(
        source="milestone.target_date", allow_null=True, default=None
    )


class AtRiskSerializer(_PlanMilestoneSerializer):
    target_date = serializers.DateField(source="milestone.target_date")
    days_overdue = serializers.IntegerField()


class StakeholderUpdateSerializer(serializers.Serializer):
    working_group = serializers.IntegerField(source="group.pk")
    since = serializers.DateField()
    until = serializers.DateField()
    decided = UpdateEntrySerializer(many=True)
    learned = UpdateEntrySerializer(many=True)
    next = NextStepSerializer(many=True)
    at_risk = AtRiskSerializer(many=True)
    markdown = serializers.CharField()


class DispatchSerializer(serializers.ModelSerializer):
    sent = serializers.IntegerField(read_only=True, help_text="Copies sent so far")
    url = serializers.SerializerMethodField(help_text="Where to follow its progress")

    class Meta:
        model = UpdateDispatch
        fields = [
            "id",
            "working_group",
            "since",
            "until",
            "introduction",
            "status",
            "total",
            "sent",
            "error",
            "created_at",
            "finished_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, dispatch) -> str:
        return reverse("stakeholder-update-dispatch", args=[dispatch.pk])


class UpdateSendSerializer(UpdateQuerySerializer):
    introduction = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=INTRODUCTION_MAX_CHARS,
        help_text="The program manager's words above the update, in every copy.",
    )


def _read_query(request, params, serializer=UpdateQuerySerializer) -> tuple[WorkingGroup, dict]:
    """The group (a 404 unless the person sees it) and the checked range."""
    query = serializer(data=params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    visible = WorkingGroup.objects.visible_to(request.user)
    return get_object_or_404(visible, pk=data["working_group"]), data


class StakeholderUpdateView(APIView):
    """What was decided and learned in a date range, what is next, which plans are at risk."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[UpdateQuerySerializer],
        responses={200: StakeholderUpdateSerializer, 404: GROUP_NOT_FOUND},
    )
    def get(self, request):
        group, data = _read_query(request, request.query_params)
        update = selectors.stakeholder_update(request.user, group, data["since"], data["until"])
        update_data = StakeholderUpdateSerializer(
            {
                "group": group,
                "since": update.since,
                "until": update.until,
                "decided": update.decided,
                "learned": update.learned,
                "next": update.next,
                "at_risk": update.at_risk,
                "markdown": updates.as_markdown(update, base_url=request.build_absolute_uri("/")),
            }
        ).data
        return Response(update_data)


class StakeholderUpdateSendView(APIView):
    """Email the update to the group's stakeholders (program manager only).

    The emailing runs as a background job: the answer is 202 with the dispatch, whose `url`
    reports its progress (queued, sending, sent or failed, copies sent of total).
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=UpdateSendSerializer, responses={202: DispatchSerializer, 404: GROUP_NOT_FOUND}
    )
    def post(self, request):
        group, data = _read_query(request, request.data, UpdateSendSerializer)
        dispatch = services.stakeholder_update_send(
            actor=request.user, group=group, since=data["since"], until=data["until"],
            introduction=data["introduction"],
        )  # fmt: skip
        dispatch.refresh_from_db()  # without a broker the job has already run
        return Response(DispatchSerializer(dispatch).data, status=status.HTTP_202_ACCEPTED)


class StakeholderUpdateDispatchView(APIView):
    """The progress of one emailing of the stakeholder update (program manager only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DispatchSerializer)
    def get(self, request, pk: int):
        return Response(DispatchSerializer(selectors.dispatch_for(request.user, pk)).data)
