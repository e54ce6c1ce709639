"""API for the metric library and the data sources it reads.

Data sources are configuration: only admins of a group list, read or change them, and a
source's config names environment variables, never secrets. Metrics are read by every
member of the group and written by members.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import Role
from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.experiments import services
from apps.experiments.models import DataSource, Metric

from .serializers import (
    DataSourceInputSerializer,
    DataSourceSerializer,
    DataSourceUpdateSerializer,
    MetricInputSerializer,
    MetricSerializer,
    MetricUpdateSerializer,
)


class MetricViewSet(
    PolicyViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The metric library: reusable definitions computed in the data source."""

    serializer_class = MetricSerializer
    queryset = Metric.objects.none()  # the schema's model; requests use get_queryset
    lookup_value_regex = r"\d+"
    filterset_fields = ["working_group", "data_source", "kind"]

    def get_queryset(self):
        return Metric.objects.filter(working_group__memberships__user=self.request.user).order_by(
            "name", "pk"
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.owner_id)

    @extend_schema(request=MetricInputSerializer, responses={201: MetricSerializer})
    def create(self, request):
        serializer = MetricInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        metric = services.metric_create(
            actor=request.user, group=data.pop("working_group"), source=data.pop("data_source"),
            **data,
        )  # fmt: skip
        return Response(MetricSerializer(metric).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MetricUpdateSerializer, responses={200: MetricSerializer})
    def partial_update(self, request, pk=None):
        metric = self.get_object()
        serializer = MetricUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        metric = services.metric_update(actor=request.user, metric=metric,
                                        **serializer.validated_data)  # fmt: skip
        return Response(MetricSerializer(metric).data)


class DataSourceViewSet(
    PolicyViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Data sources of the groups you administer (admins only)."""

    serializer_class = DataSourceSerializer
    queryset = DataSource.objects.none()  # the schema's model; requests use get_queryset
    lookup_value_regex = r"\d+"
    policy_actions = {"list": Action.CONFIGURE, "retrieve": Action.CONFIGURE,
                      "measure_traffic": Action.CONFIGURE}  # fmt: skip

    def get_queryset(self):
        user = self.request.user
        sources = DataSource.objects.order_by("name", "pk")
        if user.is_superuser:
            return sources
        return sources.filter(
            working_group__memberships__user=user, working_group__memberships__role=Role.ADMIN
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    @extend_schema(request=DataSourceInputSerializer, responses={201: DataSourceSerializer})
    def create(self, request):
        serializer = DataSourceInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        source = services.data_source_create(actor=request.user,
                                             group=data.pop("working_group"), **data)  # fmt: skip
        return Response(DataSourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DataSourceUpdateSerializer, responses={200: DataSourceSerializer})
    def partial_update(self, request, pk=None):
        source = self.get_object()
        serializer = DataSourceUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        source = services.data_source_update(actor=request.user, source=source,
                                             **serializer.validated_data)  # fmt: skip
        return Response(DataSourceSerializer(source).data)

    @extend_schema(request=None, responses={200: DataSourceSerializer})
    @action(detail=True, methods=["post"], url_path="measure-traffic")
    def measure_traffic(self, request, pk=None):
        """Measure units first exposed per day over the last 28 days on this source."""
        source = self.get_object()
        source = services.traffic_measure(actor=request.user, source=source)
        return Response(DataSourceSerializer(source).data)
