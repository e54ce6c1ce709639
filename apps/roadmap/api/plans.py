"""API for research plans, milestones and the decisions taken at them.

Input serializers check shapes; the services apply the role policy and the roadmap's rules.
Reads go through `ResearchPlan.objects.visible_to`, so a plan a person may not see — in
another group, a draft or a confidential plan for a stakeholder — is a 404, never a 403.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import PolicyTarget
from apps.backlog.models import Hypothesis
from apps.core.api_errors import ConflictSerializer
from apps.core.api_fields import VisibleGroupField
from apps.roadmap import selectors, services
from apps.roadmap.filters import DecisionFilter, MilestoneFilter, PlanFilter
from apps.roadmap.models import (
    Category,
    CriteriaRevision,
    Decision,
    Milestone,
    Outcome,
    PlanStatus,
    ResearchPlan,
)

from .fields import HypothesisIdField, VisibleHypothesesField, VisiblePlanField, date_field

# --- input serializers -------------------------------------------------------------------


class PlanInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    title = serializers.CharField(max_length=160)
    goal = serializers.CharField(max_length=4000)
    value_path = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    feature_teams = serializers.ListField(
        child=serializers.CharField(max_length=80),
        max_length=services.MAX_FEATURE_TEAMS,
        required=False,
    )
    category = serializers.ChoiceField(choices=Category.choices, default=Category.PRODUCT)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    sponsor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    start_date = date_field()
    end_date = date_field()
    kill_criteria = serializers.CharField(max_length=4000)
    confidential = serializers.BooleanField(default=False)
    hypotheses = VisibleHypothesesField(many=True, required=False)


class PlanUpdateSerializer(PlanInputSerializer):
    working_group = None  # a plan stays in its group
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The version you started editing from: if someone saved the plan since, "
        "nothing is saved and the answer is 409 with the saved plan.",
    )


class TransitionInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[PlanStatus.ACTIVE, PlanStatus.PAUSED],
        help_text="active (activate or resume) or paused; plans conclude by decision.",
    )


class MilestoneInputSerializer(serializers.Serializer):
    plan = VisiblePlanField()
    title = serializers.CharField(max_length=160)
    question = serializers.CharField(max_length=4000)
    target_date = date_field()
    decision_criteria = serializers.CharField(max_length=8000)
    hypotheses = VisibleHypothesesField(many=True, required=False)


class MilestoneUpdateSerializer(MilestoneInputSerializer):
    plan = None  # a milestone stays in its plan
    reason = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="Why the criteria change; required once the milestone has started.",
    )


class DecideInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField(max_length=8000, allow_blank=True)
    learned = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    decided_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text="Who took the decision; you, when left out.",
    )


# --- output serializers ------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="milestone.plan_id", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "plan",
            "milestone",
            "outcome",
            "rationale",
            "learned",
            "decided_by",
            "decided_by_name",
            "recorded_by",
            "decided_at",
            "meeting",
        ]
        read_only_fields = fields


class CriteriaRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriteriaRevision
        fields = ["id", "criteria", "previous", "author", "at", "after_start", "reason"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(
        help_text="upcoming, due, overdue, not_reached, or the decision's outcome"
    )
    # Declared nested serializers (not a method building one per row): DRF builds their
    # fields once per response instead of once per milestone.
    decision = DecisionSerializer(source="decision_or_none", read_only=True, allow_null=True)
    hypotheses = HypothesisIdField(source="hypothesis_list", many=True, read_only=True)
    criteria_history = CriteriaRevisionSerializer(source="criteria_list", many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "plan",
            "position",
            "title",
            "question",
            "target_date",
            "decision_criteria",
            "registered_at",
            "criteria_changed_after_start",
            "criteria_history",
            "hypotheses",
            "state",
            "decision",
        ]
        read_only_fields = fields

    def get_state(self, milestone) -> str:
        return selectors.milestone_state(
            milestone,
            today=timezone.localdate(),
            due_within=milestone.plan.working_group.cadence_days,
        )


class MilestoneSummarySerializer(serializers.Serializer):
    """A milestone as the plan list shows it; its criteria, links and history are on the
    plan's own page (`GET /plans/{id}/`) and under `/milestones/`."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    target_date = serializers.DateField()
    state = serializers.SerializerMethodField(
        help_text="upcoming, due, overdue, not_reached, or the decision's outcome"
    )

    def get_state(self, milestone) -> str:
        return selectors.milestone_state(
            milestone,
            today=self.context["today"],
            due_within=milestone.plan.working_group.cadence_days,
        )


class PlanSerializer(serializers.ModelSerializer):
    target_quarter = serializers.CharField(read_only=True)
    feature_teams = serializers.ListField(child=serializers.CharField(), read_only=True)
    hypotheses = HypothesisIdField(source="hypothesis_list", many=True, read_only=True)
    milestones = MilestoneSerializer(source="ordered_milestones", many=True, read_only=True)
    current_milestone = serializers.IntegerField(
        source="current_milestone_id", read_only=True, allow_null=True
    )
    latest_decision = DecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ResearchPlan
        fields = [
            "id",
            "working_group",
            "title",
            "goal",
            "value_path",
            "feature_teams",
            "category",
            "owner",
            "sponsor",
            "business_unit",
            "status",
            "start_date",
            "end_date",
            "target_quarter",
            "kill_criteria",
            "confidential",
            "version",
            "revision_open",
            "hypotheses",
            "current_milestone",
            "latest_decision",
            "milestones",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields


class PlanConflictSerializer(ConflictSerializer):
    current = PlanSerializer()
    yours = serializers.DictField(help_text="The fields you sent, as you sent them.")


class PlanListSerializer(PlanSerializer):
    """A plan in the list: its milestones summarised (position, title, date, state)."""

    milestones = MilestoneSummarySerializer(source="ordered_milestones", many=True, read_only=True)


def milestone_rows():
    """Milestones with decision, decider, hypothesis ids and criteria history.

    The lists go to plain attributes (`to_attr`): Django then builds no related manager
    per milestone, which for a page of 50 plans was 900 querysets and most of its cost.
    """
    return Milestone.objects.select_related("decision__decided_by").prefetch_related(
        Prefetch("hypotheses", queryset=Hypothesis.objects.only("pk"), to_attr="hypothesis_list"),
        Prefetch("criteria_revisions", to_attr="criteria_list"),
    )


# --- views -------------------------------------------------------------------------------


class PlanViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Research plans of your groups, each with its milestones and latest decision.

    The list summarises each milestone (position, title, date, state); one plan
    (`GET /plans/{id}/`) gives them whole, with criteria, linked hypotheses and history.
    """

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["start_date", "end_date", "title", "created_at"]
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return PlanListSerializer if self.action == "list" else PlanSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        if self.action == "list":
            milestones = Milestone.objects.select_related("decision__decided_by")
        else:
            milestones = milestone_rows()
        return (
            ResearchPlan.objects.visible_to(self.request.user)
            .select_related("working_group")
            .prefetch_related(
                Prefetch(
                    "hypotheses", queryset=Hypothesis.objects.only("pk"), to_attr="hypothesis_list"
                ),
                Prefetch(
                    "milestones",
                    queryset=milestones.order_by("position", "pk"),
                    to_attr="milestone_list",
                ),
            )
            .order_by("start_date", "pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.owner_id)

    def _fresh(self, plan: ResearchPlan) -> dict:
        return PlanSerializer(self.get_queryset().get(pk=plan.pk)).data

    @extend_schema(request=PlanInputSerializer, responses={201: PlanSerializer})
    def create(self, request):
        serializer = PlanInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = services.plan_create(actor=request.user, group=data.pop("working_group"), **data)
        return Response(self._fresh(plan), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanUpdateSerializer,
        responses={
            200: PlanSerializer,
            409: OpenApiResponse(
                PlanConflictSerializer, description="Saved by someone else since `version`."
            ),
        },
    )
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        serializer = PlanUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        try:
            services.plan_update(actor=request.user, plan=plan, **serializer.validated_data)
        except services.PlanConflict:
            return Response(
                {
                    "status": 409,
                    "code": "conflict",
                    "detail": "This plan changed since you opened it; nothing was saved. Send "
                    "your changes again with the current version to apply them.",
                    "current": self._fresh(plan),
                    "yours": {name: request.data.get(name) for name in serializer.validated_data},
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self._fresh(plan))

    @extend_schema(
        request=TransitionInputSerializer,
        responses={200: PlanSerializer, 400: OpenApiResponse(description="Not allowed now")},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Activate, pause or resume the plan; it concludes or is abandoned by a decision."""
        plan = self.get_object()
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.plan_transition(actor=request.user, plan=plan, **serializer.validated_data)
        return Response(self._fresh(plan))


class MilestoneViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Decision points: a question, criteria written before the data, a target date."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["target_date", "position"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        plans = ResearchPlan.objects.visible_to(self.request.user)
        return (
            milestone_rows()
            .filter(plan__in=plans)
            .select_related("plan__working_group")
            .order_by("plan_id", "position")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.plan.working_group_id, owner_id=obj.plan.owner_id)

    def _fresh(self, milestone: Milestone) -> dict:
        return MilestoneSerializer(self.get_queryset().get(pk=milestone.pk)).data

    @extend_schema(request=MilestoneInputSerializer, responses={201: MilestoneSerializer})
    def create(self, request):
        serializer = MilestoneInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        milestone = services.milestone_add(actor=request.user, **serializer.validated_data)
        return Response(self._fresh(milestone), status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneUpdateSerializer, responses=MilestoneSerializer)
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        serializer = MilestoneUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        services.milestone_update(
            actor=request.user, milestone=milestone, **serializer.validated_data
        )
        return Response(self._fresh(milestone))

    def perform_destroy(self, instance):
        services.milestone_remove(actor=self.request.user, milestone=instance)

    @extend_schema(
        request=DecideInputSerializer,
        responses={
            201: DecisionSerializer,
            400: OpenApiResponse(description="Not the current milestone, no rationale, …"),
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record continue, pivot, abandon or ship at the plan's current decision point."""
        milestone = self.get_object()
        serializer = DecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.milestone_decide(
            actor=request.user, milestone=milestone, **serializer.validated_data
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions taken at milestones, newest first."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["decided_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        plans = ResearchPlan.objects.visible_to(self.request.user)
        return (
            Decision.objects.filter(milestone__plan__in=plans)
            .select_related("milestone__plan", "decided_by")
            .order_by("-decided_at", "-pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        plan = obj.milestone.plan
        return PolicyTarget(group=plan.working_group_id, owner_id=plan.owner_id)
