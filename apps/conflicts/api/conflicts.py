"""API for conflicts: the list with its filters, one conflict, the statistics lead's
acknowledgement, and what an experiment's launch would face now.

Reads go through `Conflict.objects.visible_to`: a conflict with an experiment the person
may not read (another group, a confidential plan) is a 404, never a 403, and never counted.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.conflicts import selectors, services
from apps.conflicts.models import Conflict, ConflictStatus, Kind, Severity
from apps.experiments.models import Experiment

from .serializers import (
    AcknowledgeInputSerializer,
    CheckConflictsSerializer,
    ConflictSerializer,
    finding_data,
)


class ConflictFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ConflictStatus.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    working_group = django_filters.NumberFilter(field_name="working_group_id")
    surface = django_filters.NumberFilter(method="on_surface", label="Surface id")
    layer = django_filters.NumberFilter(method="in_layer", label="Layer id")
    experiment = django_filters.NumberFilter(method="about", label="Experiment id")

    class Meta:
        model = Conflict
        fields = ["status", "kind", "severity", "working_group"]

    def on_surface(self, qs, name, value):
        on = Experiment.surfaces.through.objects.filter(surface_id=value)
        return qs.filter(
            Exists(on.filter(experiment_id=OuterRef("experiment_a_id")))
            | Exists(on.filter(experiment_id=OuterRef("experiment_b_id")))
        )

    def in_layer(self, qs, name, value):
        return qs.filter(
            Q(layer_id=value) | Q(experiment_a__layer_id=value) | Q(experiment_b__layer_id=value)
        )

    def about(self, qs, name, value):
        return qs.involving(value)


class ConflictViewSet(
    PolicyViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Conflicts between experiments of your groups: what collides, why, and what to do."""

    serializer_class = ConflictSerializer
    lookup_value_regex = r"\d+"
    filterset_class = ConflictFilter
    ordering_fields = ["opened_at", "overlap_share", "window_start"]
    # The service asks for Action.REVIEW itself, so a member gets its words, not a 404.
    policy_actions = {"acknowledge": Action.READ}

    def get_queryset(self):
        return selectors.conflicts_for(self.request.user, selectors.ConflictFilters(status=None))

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    @extend_schema(request=AcknowledgeInputSerializer, responses={200: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The statistics lead lets a launch go ahead despite this conflict, saying why."""
        conflict = self.get_object()
        serializer = AcknowledgeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.conflict_acknowledge(actor=request.user, conflict=conflict,
                                      reason=serializer.validated_data["reason"])  # fmt: skip
        fresh = selectors.conflict_for(request.user, conflict.pk)
        return Response(ConflictSerializer(fresh, context=self.get_serializer_context()).data)


class ExperimentConflictCheckViewSet(PolicyViewSetMixin, viewsets.GenericViewSet):
    """What an experiment's launch would face now (registered under /experiments/)."""

    serializer_class = CheckConflictsSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    pagination_class = None
    policy_actions = {"check_conflicts": Action.READ}

    def get_queryset(self):
        return Experiment.objects.visible_to(self.request.user)

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id)

    @extend_schema(request=None, responses={200: CheckConflictsSerializer})
    @action(detail=True, methods=["post"], url_path="check-conflicts", url_name="check-conflicts")
    def check_conflicts(self, request, pk=None):
        """Compare the experiment with every other in review, approved or running, as they
        stand now; nothing is saved. A conflict with an experiment you may not read is
        listed without naming it."""
        exp = self.get_object()
        findings = services.conflicts_preview(experiment=exp)
        ids = {i for f in findings for i in (f.a, f.b) if i is not None}
        readable = set(
            Experiment.objects.visible_to(request.user).filter(pk__in=ids)
            .values_list("pk", flat=True)
        )  # fmt: skip
        acknowledged = set(
            Conflict.objects.filter(
                identity__in=[services.identity_of(f) for f in findings],
                status=ConflictStatus.ACKNOWLEDGED,
            ).values_list("identity", flat=True)
        )
        rows = []
        for f in findings:
            data = finding_data(f, services.identity_of(f) in acknowledged)
            if not {i for i in (f.a, f.b) if i is not None} <= readable:
                data.update(
                    experiment_a=exp.pk, experiment_b=None, figures={},
                    explanation="This experiment collides with an experiment of a confidential "
                    "plan that you may not read.",
                    remedy="Ask the group's statistics lead, who sees both.",
                )  # fmt: skip
            rows.append(data)
        blocking = sum(1 for r in rows if r["severity"] == Severity.BLOCKING
                       and not r["acknowledged"])  # fmt: skip
        body = {"experiment": exp.pk, "blocking": blocking, "conflicts": rows}
        return Response(CheckConflictsSerializer(body).data)
