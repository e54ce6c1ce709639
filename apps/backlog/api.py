"""API for hypotheses, their scores and workflow, scoring frameworks and the portfolio balance."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
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
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_fields import VisibleGroupField

from . import selectors, services
from .filters import HypothesisFilter, RankOrderingFilter
from .models import (
    EXPECTED_EFFECT_MAX,
    BacklogSettings,
    Category,
    Criterion,
    Direction,
    Hypothesis,
    ScoreSummary,
    ScoringFramework,
    Status,
    StatusChange,
    expected_effect_problem,
)

# --- serializers -------------------------------------------------------------------------


# Statuses in responses are plain strings: the schema names the Status choice set once,
# on the transition's `to_status`, instead of once per field that reports a status.
_STATUS_HELP = "One of: " + ", ".join(Status.values)


class HypothesisInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    title = serializers.CharField(max_length=160)
    change = serializers.CharField(max_length=4000, help_text="If we… (the change)")
    metric = serializers.CharField(max_length=120)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INCREASE)
    expected_effect = serializers.FloatField(
        min_value=0,
        max_value=EXPECTED_EFFECT_MAX["increase"],
        required=False,
        allow_null=True,
        help_text="Expected relative change of the metric in the stated direction, in "
        "percent: above 0, at most 1000 when it rises and 100 when it falls.",
        # Validators %-format their messages, hence the doubled percent signs.
        error_messages={
            "min_value": str(expected_effect_problem(-1.0, None)).replace("%", "%%"),
            "max_value": "A metric is expected to move by at most 1,000 %% (100 %% when it falls).",
        },
    )
    rationale = serializers.CharField(max_length=4000, help_text="…because (the reason)")
    evidence = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, default=Category.PRODUCT)
    business_unit = serializers.PrimaryKeyRelatedField(
        queryset=BusinessUnit.objects.all(), required=False, allow_null=True
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=services.MAX_TAGS, required=False
    )
    effort_weeks = serializers.FloatField(
        min_value=0,
        max_value=10000,
        required=False,
        allow_null=True,
        help_text="Estimated effort in person-weeks.",
    )

    def validate(self, attrs):
        problem = expected_effect_problem(attrs.get("expected_effect"), attrs.get("direction"))
        if problem:
            raise serializers.ValidationError({"expected_effect": problem})
        return attrs


class HypothesisUpdateSerializer(HypothesisInputSerializer):
    working_group = None  # a hypothesis stays in its group


class HypothesisPinSerializer(serializers.Serializer):
    reason = serializers.CharField()
    pinned_by = serializers.IntegerField(help_text="User id of the program manager who pinned it")
    pinned_by_name = serializers.CharField()
    pinned_at = serializers.DateTimeField()


class HypothesisPinInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text="Why it is pinned: shown to everyone beside the ranking."
    )


class HypothesisSerializer(serializers.ModelSerializer):
    statement = serializers.CharField(read_only=True)
    # The ranked queryset prefetches tags into a list (`tag_list`); a tag reads as its name.
    tags = serializers.ListField(child=serializers.CharField(), source="tag_list", read_only=True)
    score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Mean of the members' scores that count (the group may leave out the "
        "proposer's own)",
    )
    adjusted_score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=f"What the ranking sorts by: (m·μ + n·score) / (m + n), the mean pulled "
        f"toward the group's mean μ by m = {selectors.PRIOR_WEIGHT} pseudo-scorers",
    )
    pinned = serializers.BooleanField(read_only=True, help_text="Pinned items rank first")
    pin = serializers.SerializerMethodField()
    score_median = serializers.FloatField(read_only=True, allow_null=True)
    spread = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Range of normalised member scores, 0–1"
    )
    discuss = serializers.BooleanField(read_only=True)
    scorer_count = serializers.IntegerField(
        read_only=True, help_text="Members whose scores count in `score`"
    )
    scored_by_me = serializers.BooleanField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_STATUS_HELP)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Hypothesis
        fields = [
            "id",
            "working_group",
            "title",
            "statement",
            "change",
            "metric",
            "direction",
            "expected_effect",
            "rationale",
            "evidence",
            "category",
            "business_unit",
            "proposer",
            "owner",
            "tags",
            "effort_weeks",
            "status",
            "status_changed_at",
            "allowed_transitions",
            "score",
            "adjusted_score",
            "score_median",
            "spread",
            "discuss",
            "scorer_count",
            "scored_by_me",
            "pinned",
            "pin",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, hypothesis) -> list[str]:
        return services.allowed_transitions(hypothesis)

    @extend_schema_field(HypothesisPinSerializer(allow_null=True))
    def get_pin(self, hypothesis) -> dict | None:
        if not hypothesis.pinned:
            return None
        return HypothesisPinSerializer(
            {
                "reason": hypothesis.pin_reason,
                "pinned_by": hypothesis.pinned_by_id,
                "pinned_by_name": hypothesis.pinned_by_name,
                "pinned_at": hypothesis.pinned_at,
            }
        ).data


class HypothesisTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class HypothesisStatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="Empty when proposed")
    to_status = serializers.CharField(read_only=True, help_text=_STATUS_HELP)

    class Meta:
        model = StatusChange
        fields = ["id", "from_status", "to_status", "actor", "reason", "at"]


class HypothesisScoreInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Criterion key → value on its scale, for every criterion of the group's "
        "current framework.",
    )
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class HypothesisScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hypothesis = serializers.IntegerField(source="hypothesis_id")
    framework = serializers.IntegerField(source="framework_id")
    scorer = serializers.IntegerField(source="scorer_id")
    values = serializers.DictField(child=serializers.FloatField())
    total = serializers.FloatField()
    normalised = serializers.FloatField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class HypothesisScoreSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreSummary
        fields = ["framework", "scorer_count", "mean", "median", "spread", "discuss", "updated_at"]


class HypothesisScoresSerializer(serializers.Serializer):
    current_framework = serializers.IntegerField()
    summaries = HypothesisScoreSummarySerializer(many=True)
    scores = HypothesisScoreSerializer(many=True)


class HypothesisScoreSubmittedSerializer(serializers.Serializer):
    score = HypothesisScoreSerializer()
    summary = HypothesisScoreSummarySerializer()


class ScoringCriterionSerializer(serializers.ModelSerializer):
    key = serializers.CharField(max_length=40, required=False, allow_blank=True)
    scale_min = serializers.FloatField()
    scale_max = serializers.FloatField()
    weight = serializers.FloatField(default=1.0)

    class Meta:
        model = Criterion
        fields = ["key", "name", "unit", "description", "scale_min", "scale_max", "weight", "axis"]


class ScoringFrameworkSerializer(serializers.ModelSerializer):
    criteria = ScoringCriterionSerializer(many=True, read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    score_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ScoringFramework
        fields = [
            "id",
            "working_group",
            "name",
            "description",
            "rule",
            "is_standard",
            "is_current",
            "score_count",
            "criteria",
            "created_at",
        ]
        read_only_fields = fields


class ScoringFrameworkInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rule = serializers.ChoiceField(
        choices=ScoringFramework.Rule.choices, default=ScoringFramework.Rule.SUM
    )
    # How many criteria is the service's rule, so the error names `criteria` itself.
    criteria = ScoringCriterionSerializer(many=True)


class ScoringFrameworkUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rule = serializers.ChoiceField(choices=ScoringFramework.Rule.choices, required=False)
    criteria = ScoringCriterionSerializer(many=True, required=False)


class PortfolioBalanceSerializer(serializers.Serializer):
    working_group = serializers.IntegerField()
    target = serializers.IntegerField(help_text="Target share of product-focused work, %")
    committed_count = serializers.IntegerField(help_text="Accepted, designing and running")
    product_count = serializers.IntegerField()
    foundational_count = serializers.IntegerField()
    share_by_count = serializers.FloatField(allow_null=True)
    effort_known_count = serializers.IntegerField()
    product_effort_weeks = serializers.FloatField()
    foundational_effort_weeks = serializers.FloatField()
    share_by_effort = serializers.FloatField(allow_null=True)
    drift_threshold = serializers.IntegerField()
    warning = serializers.BooleanField()
    message = serializers.CharField()


# --- views -------------------------------------------------------------------------------


class HypothesisViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The ranked backlog: hypotheses of your groups, pinned first, then by adjusted score
    (`?ordering=-pinned,-adjusted_score`, the default; `?ordering=-score` for the raw mean)."""

    serializer_class = HypothesisSerializer
    filterset_class = HypothesisFilter
    filter_backends = [DjangoFilterBackend, RankOrderingFilter]
    ordering_fields = list(selectors.RANK_ORDERINGS)
    ordering = list(selectors.DEFAULT_ORDER)
    # Scoring and moving along the workflow have their own rules: the service decides.
    policy_actions = {
        "scores": Action.READ,
        "transition": Action.READ,
        "history": Action.READ,
        "pin": Action.READ,
    }

    def get_queryset(self):
        user = self.request.user
        return selectors.ranked(
            Hypothesis.objects.visible_to(user),
            framework_ids=selectors.current_framework_ids(user),
            viewer=user,
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.owner_id)

    def _fresh(self, hypothesis: Hypothesis) -> dict:
        return HypothesisSerializer(self.get_queryset().get(pk=hypothesis.pk)).data

    @extend_schema(request=HypothesisInputSerializer, responses={201: HypothesisSerializer})
    def create(self, request):
        serializer = HypothesisInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        hypothesis = services.hypothesis_propose(
            actor=request.user, group=data.pop("working_group"), **data
        )
        return Response(self._fresh(hypothesis), status=status.HTTP_201_CREATED)

    @extend_schema(request=HypothesisUpdateSerializer, responses=HypothesisSerializer)
    def partial_update(self, request, pk=None):
        hypothesis = self.get_object()
        serializer = HypothesisUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        services.hypothesis_update(
            actor=request.user,
            hypothesis=Hypothesis.objects.get(pk=hypothesis.pk),
            **serializer.validated_data,
        )
        return Response(self._fresh(hypothesis))

    def perform_destroy(self, instance):
        services.hypothesis_delete(actor=self.request.user, hypothesis=instance)

    @extend_schema(
        request=HypothesisTransitionSerializer,
        responses={
            200: HypothesisSerializer,
            400: OpenApiResponse(description="A transition the workflow forbids, or no reason"),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the hypothesis one allowed step; parking and rejecting need a reason."""
        hypothesis = self.get_object()
        serializer = HypothesisTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.hypothesis_transition(
            actor=request.user, hypothesis=hypothesis, **serializer.validated_data
        )
        return Response(self._fresh(hypothesis))

    @extend_schema(
        methods=["POST"],
        request=HypothesisPinInputSerializer,
        responses={200: HypothesisSerializer, 400: OpenApiResponse(description="No reason")},
    )
    @extend_schema(methods=["DELETE"], request=None, responses={200: HypothesisSerializer})
    @action(detail=True, methods=["post", "delete"])
    def pin(self, request, pk=None):
        """POST: the program manager pins it to the top of the ranking, with a reason.
        DELETE: unpin it."""
        hypothesis = self.get_object()
        if request.method == "DELETE":
            services.hypothesis_unpin(actor=request.user, hypothesis=hypothesis)
        else:
            serializer = HypothesisPinInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.hypothesis_pin(
                actor=request.user, hypothesis=hypothesis, **serializer.validated_data
            )
        return Response(self._fresh(hypothesis))

    @extend_schema(responses=HypothesisStatusChangeSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every status change: who, when, from, to and why."""
        hypothesis = self.get_object()
        changes = StatusChange.objects.filter(hypothesis=hypothesis).order_by("at", "pk")
        return Response(HypothesisStatusChangeSerializer(changes, many=True).data)

    @extend_schema(methods=["GET"], responses=HypothesisScoresSerializer)
    @extend_schema(
        methods=["POST"],
        request=HypothesisScoreInputSerializer,
        responses={
            200: HypothesisScoreSubmittedSerializer,
            201: HypothesisScoreSubmittedSerializer,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def scores(self, request, pk=None):
        """GET: members' scores and summaries. POST: your score on the current framework."""
        hypothesis = self.get_object()
        if request.method == "POST":
            serializer = HypothesisScoreInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            score, created = services.score_submit(
                actor=request.user, hypothesis=hypothesis, **serializer.validated_data
            )
            summary = ScoreSummary.objects.get(hypothesis=hypothesis, framework=score.framework_id)
            return Response(
                {
                    "score": HypothesisScoreSerializer(score).data,
                    "summary": HypothesisScoreSummarySerializer(summary).data,
                },
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )
        settings = selectors.backlog_settings(hypothesis.working_group)
        return Response(
            HypothesisScoresSerializer(
                {
                    "current_framework": settings.framework_id,
                    "summaries": list(selectors.summaries_for(hypothesis).values()),
                    "scores": selectors.scores_for(hypothesis),
                }
            ).data
        )


class ScoringFrameworkViewSet(PolicyViewSetMixin, viewsets.ModelViewSet):
    """ICE, RICE, PIE and custom weighted frameworks of your groups."""

    serializer_class = ScoringFrameworkSerializer
    filterset_fields = ["working_group", "is_standard"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    policy_actions = {
        "partial_update": Action.MANAGE,
        "destroy": Action.MANAGE,
        "activate": Action.MANAGE,
    }

    def get_queryset(self):
        groups = WorkingGroup.objects.visible_to(self.request.user)
        return (
            ScoringFramework.objects.filter(working_group__in=groups)
            .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
            .annotate(
                score_count=Count("scores"),
                is_current=Exists(BacklogSettings.objects.filter(framework=OuterRef("pk"))),
            )
            .order_by("working_group_id", "-is_standard", "name", "pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    def _fresh(self, framework: ScoringFramework) -> dict:
        return ScoringFrameworkSerializer(self.get_queryset().get(pk=framework.pk)).data

    @extend_schema(
        request=ScoringFrameworkInputSerializer, responses={201: ScoringFrameworkSerializer}
    )
    def create(self, request):
        serializer = ScoringFrameworkInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        framework = services.framework_create(
            actor=request.user, group=data.pop("working_group"), **data
        )
        return Response(self._fresh(framework), status=status.HTTP_201_CREATED)

    @extend_schema(request=ScoringFrameworkUpdateSerializer, responses=ScoringFrameworkSerializer)
    def partial_update(self, request, pk=None):
        framework = self.get_object()
        serializer = ScoringFrameworkUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.framework_update(
            actor=request.user, framework=framework, **serializer.validated_data
        )
        return Response(self._fresh(framework))

    @extend_schema(responses={204: None, 400: OpenApiResponse(description="In use")})
    def destroy(self, request, pk=None):
        services.framework_delete(actor=request.user, framework=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ScoringFrameworkSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make this the group's framework; earlier scores stay with their framework."""
        framework = self.get_object()
        services.framework_choose(actor=request.user, framework=framework)
        return Response(self._fresh(framework))


class PortfolioView(APIView):
    """Product-focused vs foundational share of committed work, against the group's target."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=PortfolioBalanceSerializer,
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
    )
    def get(self, request, pk: int):
        group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
        p = selectors.portfolio(group)
        return Response(
            PortfolioBalanceSerializer(
                {
                    "working_group": group.pk,
                    "target": p.target,
                    "committed_count": p.count,
                    "product_count": p.product_count,
                    "foundational_count": p.foundational_count,
                    "share_by_count": p.share_by_count,
                    "effort_known_count": p.effort_known,
                    "product_effort_weeks": p.product_effort,
                    "foundational_effort_weeks": p.foundational_effort,
                    "share_by_effort": p.share_by_effort,
                    "drift_threshold": p.DRIFT,
                    "warning": bool(p.drifts),
                    "message": p.warning,
                }
            ).data
        )
