"""API for research plans, milestones, decisions, the roadmap timeline and stakeholder updates.

Input serializers check shapes; the services apply the role policy and the roadmap's rules.
Reads go through `ResearchPlan.objects.visible_to`, so a plan a person may not see — in
another group, a draft or a confidential plan for a stakeholder — is a 404, never a 403.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import BusinessUnit, User, WorkingGroup
from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import PolicyTarget
from apps.backlog.models import Hypothesis

from . import selectors, services, timeline, updates
from .dates import DATE_HELP, check_bounds
from .models import (
    Category,
    CriteriaRevision,
    Decision,
    Milestone,
    Outcome,
    PlanStatus,
    ResearchPlan,
    UpdateDispatch,
)

# --- fields ------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleGroupField(serializers.PrimaryKeyRelatedField):
    """A working group the requesting user belongs to; any other id is simply unknown."""

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisiblePlanField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return ResearchPlan.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)  # used with many=True: the schema wraps it in an array
class VisibleHypothesesField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Hypothesis.objects.visible_to(self.context["request"].user)


def _date_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(help_text=DATE_HELP, **kwargs)


def _check_bounds(data: dict, *names: str) -> None:
    for name in names:
        try:
            check_bounds(data.get(name))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({name: exc.messages}) from None


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
    start_date = _date_field()
    end_date = _date_field()
    kill_criteria = serializers.CharField(max_length=4000)
    confidential = serializers.BooleanField(default=False)
    hypotheses = VisibleHypothesesField(many=True, required=False)

    def validate(self, data):
        _check_bounds(data, "start_date", "end_date")
        return data


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
    target_date = _date_field()
    decision_criteria = serializers.CharField(max_length=8000)
    hypotheses = VisibleHypothesesField(many=True, required=False)

    def validate(self, data):
        _check_bounds(data, "target_date")
        return data


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


@extend_schema_field(OpenApiTypes.INT)
class HypothesisIdField(serializers.PrimaryKeyRelatedField):
    """A linked hypothesis's id, read from a `to_attr` prefetch list (see `_milestone_rows`),
    which the schema generator cannot follow back to the model."""


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


class PlanListSerializer(PlanSerializer):
    """A plan in the list: its milestones summarised (position, title, date, state)."""

    milestones = MilestoneSummarySerializer(source="ordered_milestones", many=True, read_only=True)


# --- filters -----------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    working_group = django_filters.ModelChoiceFilter(queryset=WorkingGroup.objects.all())
    category = django_filters.ChoiceFilter(choices=Category.choices)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    business_unit = django_filters.ModelChoiceFilter(queryset=BusinessUnit.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    sponsor = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    q = django_filters.CharFilter(method="filter_text", max_length=200, label="Text search")

    class Meta:
        model = ResearchPlan
        fields = ["working_group", "category", "status", "business_unit", "owner", "sponsor"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(title__icontains=value) | queryset.filter(goal__icontains=value)


class MilestoneFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", min_value=1, max_value=2**62)

    class Meta:
        model = Milestone
        fields = ["plan"]


class DecisionFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(
        field_name="milestone__plan_id", min_value=1, max_value=2**62
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    working_group = django_filters.NumberFilter(
        field_name="milestone__plan__working_group_id", min_value=1, max_value=2**62
    )

    class Meta:
        model = Decision
        fields = ["plan", "outcome", "working_group"]


def _milestone_rows():
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
            milestones = _milestone_rows()
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
            409: OpenApiResponse(description="Saved by someone else since `version`."),
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
            _milestone_rows()
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


# --- roadmap -----------------------------------------------------------------------------


class RoadmapQuerySerializer(serializers.Serializer):
    working_group = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    business_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class RoadmapMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    target_date = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    criteria_changed_after_start = serializers.BooleanField()


class RoadmapPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    working_group = serializers.IntegerField()
    category = serializers.CharField()
    status = serializers.CharField()
    business_unit = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField()
    sponsor = serializers.CharField()
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

    @extend_schema(parameters=[RoadmapQuerySerializer], responses=RoadmapSerializer)
    def get(self, request):
        query = RoadmapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = roadmap_filters(request.user, query.validated_data)
        plans = selectors.timeline_plans(request.user, filters)
        today = timezone.localdate()
        first, count = timeline.window_for(plans, today)
        quarters = []
        for i in range(count):
            start = timeline.add_quarters(first, i)
            end = timeline.add_quarters(first, i + 1) - datetime.timedelta(days=1)
            quarters.append(
                {
                    "label": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                    "start": start,
                    "end": end,
                    "current": start <= today <= end,
                }
            )
        target = filters.group.product_share_target if filters.group else None
        share = selectors.share_of(plans, target)
        rows = []
        for plan in plans:
            milestones = []
            for m in plan.milestones:
                state = plan.state(m, today=today)
                milestones.append(
                    {
                        "id": m.id,
                        "title": m.title,
                        "target_date": m.target_date,
                        "state": state,
                        "state_label": selectors.STATE_LABELS[state],
                        "criteria_changed_after_start": m.criteria_changed_after_start,
                    }
                )
            rows.append(
                {
                    "id": plan.id,
                    "title": plan.title,
                    "working_group": plan.working_group_id,
                    "category": plan.category,
                    "status": plan.status,
                    "business_unit": plan.business_unit_id,
                    "owner": plan.owner_name,
                    "sponsor": plan.sponsor_name,
                    "start_date": plan.start_date,
                    "end_date": plan.end_date,
                    "target_quarter": plan.target_quarter,
                    "confidential": plan.confidential,
                    "milestones": milestones,
                }
            )
        body = {
            "today": today,
            "quarters": quarters,
            "share": {
                "product": share.product,
                "foundational": share.foundational,
                "product_pct": share.product_pct,
                "target": share.target,
            },
            "plans": rows,
        }
        # RoadmapSerializer documents the shape; the rows are already plain data, and
        # passing 2,400 milestones through DRF fields would cost more than building them.
        return Response(body)


# --- stakeholder updates -----------------------------------------------------------------


class UpdateQuerySerializer(serializers.Serializer):
    working_group = serializers.IntegerField(min_value=1, max_value=2**62)
    since = _date_field()
    until = _date_field()

    def validate(self, data):
        _check_bounds(data, "since", "until")
        try:
            services.check_update_range(data["since"], data["until"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return data


class UpdateEntrySerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    plan_title = serializers.CharField(source="plan.title")
    milestone = serializers.IntegerField(source="milestone.pk")
    milestone_title = serializers.CharField(source="milestone.title")
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
    target_date = serializers.DateField(source="milestone.target_date", default=None)


class AtRiskSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    plan_title = serializers.CharField(source="plan.title")
    milestone = serializers.IntegerField(source="milestone.pk")
    milestone_title = serializers.CharField(source="milestone.title")
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


class StakeholderUpdateView(APIView):
    """What was decided and learned in a date range, what is next, which plans are at risk."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[UpdateQuerySerializer], responses=StakeholderUpdateSerializer)
    def get(self, request):
        query = UpdateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        group = get_object_or_404(
            WorkingGroup.objects.visible_to(request.user), pk=data["working_group"]
        )
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

    @extend_schema(request=UpdateQuerySerializer, responses={202: DispatchSerializer})
    def post(self, request):
        query = UpdateQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        group = get_object_or_404(
            WorkingGroup.objects.visible_to(request.user), pk=data["working_group"]
        )
        dispatch = services.stakeholder_update_send(
            actor=request.user, group=group, since=data["since"], until=data["until"]
        )
        dispatch.refresh_from_db()  # without a broker the job has already run
        return Response(DispatchSerializer(dispatch).data, status=status.HTTP_202_ACCEPTED)


class StakeholderUpdateDispatchView(APIView):
    """The progress of one emailing of the stakeholder update (program manager only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DispatchSerializer)
    def get(self, request, pk: int):
        return Response(DispatchSerializer(selectors.dispatch_for(request.user, pk)).data)
