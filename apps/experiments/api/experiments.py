"""API for experiments: the design, its lifecycle and checklist, and its results.

Reads go through `Experiment.objects.visible_to`, so an experiment a person may not see (in
another group, or tied to a confidential plan they may not read) is a 404, never a 403.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.experiments import selectors, services
from apps.experiments.checklist import run_checklist
from apps.experiments.models import Experiment, ExperimentMetric, Snapshot, SnapshotSource
from apps.experiments.services import MetricSpec, VariantSpec
from apps.experiments.uploads import read_results_csv

from .serializers import (
    ExperimentInputSerializer,
    ExperimentSerializer,
    ExperimentTransitionSerializer,
    ExperimentUpdateSerializer,
    PushInputSerializer,
    SnapshotSerializer,
    UploadInputSerializer,
)


class LaunchCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    # A declared field named like Field.label: DRF pops declared fields off the class.
    label = serializers.CharField()  # type: ignore[assignment]
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    checks = LaunchCheckSerializer(many=True)
    sizing = serializers.DictField()


class PullQueuedSerializer(serializers.Serializer):
    snapshot = SnapshotSerializer()
    state_url = serializers.URLField()


def _design_parts(data: dict) -> dict:
    """The serializer's nested parts as the services take them."""
    parts: dict[str, list] = {}
    if "variants" in data:
        parts["variants"] = [VariantSpec(**v) for v in data.pop("variants")]
    if "metrics" in data:
        parts["metrics"] = [MetricSpec(**m) for m in data.pop("metrics")]
    if "surfaces" in data:
        parts["surfaces"] = data.pop("surfaces")
    if "audience" in data:
        data["audience"] = [dict(c) for c in data["audience"]]
    return parts


class ExperimentViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Experiments of your groups: design, lifecycle, checklist and results."""

    serializer_class = ExperimentSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "type", "working_group", "hypothesis", "owner"]
    ordering_fields = ["created_at", "planned_start", "key"]
    policy_actions = {
        "transition": Action.READ,  # the service decides per step (review is the lead's)
        "checklist": Action.READ,
        "results": Action.READ,
        "refresh": Action.CREATE,
        "push": Action.EDIT,
        "upload": Action.EDIT,
    }

    def get_queryset(self):
        return (
            Experiment.objects.visible_to(self.request.user)
            .prefetch_related(
                "variants",
                "surfaces",
                Prefetch("metric_links", ExperimentMetric.objects.select_related("metric")),
            )
            .order_by("-created_at", "-pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.owner_id)

    def _fresh(self, exp: Experiment) -> dict:
        return ExperimentSerializer(
            self.get_queryset().get(pk=exp.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=ExperimentInputSerializer, responses={201: ExperimentSerializer})
    def create(self, request):
        serializer = ExperimentInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parts = _design_parts(data)
        exp = services.experiment_create(
            actor=request.user, hypothesis=data.pop("hypothesis"), **parts, **data
        )
        return Response(self._fresh(exp), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ExperimentUpdateSerializer,
        responses={200: ExperimentSerializer,
                   409: OpenApiResponse(description="Saved by someone else since `version`.")},
    )  # fmt: skip
    def partial_update(self, request, pk=None):
        exp = self.get_object()
        serializer = ExperimentUpdateSerializer(data=request.data, partial=True,
                                                context={"request": request})  # fmt: skip
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parts = _design_parts(data)
        try:
            services.experiment_update(actor=request.user, experiment=exp, **parts, **data)
        except services.ExperimentConflict:
            return Response(
                {"status": 409, "code": "conflict",
                 "detail": "This experiment changed since you opened it; nothing was saved.",
                 "current": self._fresh(exp)},
                status=status.HTTP_409_CONFLICT,
            )  # fmt: skip
        return Response(self._fresh(exp))

    @extend_schema(request=ExperimentTransitionSerializer, responses={200: ExperimentSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit, approve, request changes, start, stop, conclude or reset."""
        exp = self.get_object()
        serializer = ExperimentTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.experiment_transition(actor=request.user, experiment=exp,
                                       **serializer.validated_data)  # fmt: skip
        return Response(self._fresh(exp))

    @extend_schema(responses={200: ChecklistSerializer})
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        """The pre-launch checklist as it stands now, with the sample size and duration."""
        exp = self.get_object()
        results = run_checklist(exp)
        return Response({
            "ready": all(r.passed for r in results),
            "checks": [r.to_dict() for r in results],
            "sizing": services.experiment_sizing(exp).to_dict(),
        })  # fmt: skip

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Everything the results page shows: decision summary, SRM, each metric's lift per
        arm, guardrails, segments with Simpson's flag, the cumulative effect, sample progress
        and the latest pull's state."""
        exp = self.get_object()
        return Response(selectors.results_summary(exp, user=request.user))

    @extend_schema(request=None, responses={202: PullQueuedSerializer})
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        """Queue a pull now; poll `state_url` until its status is done or failed."""
        exp = self.get_object()
        snapshot = services.experiment_refresh(actor=request.user, experiment=exp)
        return _queued(request, snapshot)

    @extend_schema(request=PushInputSerializer, responses={201: SnapshotSerializer})
    @action(detail=True, methods=["post"])
    def push(self, request, pk=None):
        """Push per-variant sufficient statistics; they are validated whole and analysed."""
        exp = self.get_object()
        serializer = PushInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = [dict(row) for row in serializer.validated_data["rows"]]
        snapshot = services.snapshot_store(actor=request.user, experiment=exp, rows=rows,
                                           source=SnapshotSource.PUSH)  # fmt: skip
        return Response(SnapshotSerializer(snapshot, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    @extend_schema(request={"multipart/form-data": UploadInputSerializer},
                   responses={201: SnapshotSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, pk=None):
        """Upload results as CSV (aggregates or per-unit rows); a bad row stores nothing."""
        exp = self.get_object()
        serializer = UploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = read_results_csv(serializer.validated_data["file"])
        snapshot = services.snapshot_store(actor=request.user, experiment=exp, rows=rows,
                                           source=SnapshotSource.UPLOAD)  # fmt: skip
        return Response(SnapshotSerializer(snapshot, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip


def _queued(request, snapshot: Snapshot) -> Response:
    url = reverse("api-snapshot-detail", args=[snapshot.pk], request=request)
    return Response(
        {"snapshot": SnapshotSerializer(snapshot, context={"request": request}).data,
         "state_url": url},
        status=status.HTTP_202_ACCEPTED, headers={"Location": url},
    )  # fmt: skip


class SnapshotViewSet(
    PolicyViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Snapshots of the experiments you may read, newest first; one is the state URL a
    refresh answers with."""

    serializer_class = SnapshotSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["experiment", "status", "valid", "source"]

    def get_queryset(self):
        visible = Experiment.objects.visible_to(self.request.user)
        return Snapshot.objects.filter(experiment__in=visible).select_related("experiment")

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.experiment.working_group_id)
