"""GET /api/v1/meta-analysis/: every figure of the program's meta-analysis page.

Filterable by working group (`group`, its slug), business unit (`business_unit`, its slug)
and quarter (`quarter`, 2025-Q3); a bad filter is a 400 naming it. Counts only the
experiments the person may read.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.knowledge.meta import meta_analysis, parse_filters


class MetaFiltersSerializer(serializers.Serializer):
    group = serializers.CharField(allow_null=True)
    business_unit = serializers.CharField(allow_null=True)
    quarter = serializers.CharField(allow_null=True)


class MetaQuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="2025-Q3")
    concluded = serializers.IntegerField()
    shipped = serializers.IntegerField()
    won = serializers.IntegerField()


class MetaWinRateSerializer(serializers.Serializer):
    wins = serializers.IntegerField(help_text="Shipped with a significant primary improvement.")
    of = serializers.IntegerField(help_text="Concluded experiments with a primary result (no A/A).")
    rate = serializers.FloatField(allow_null=True)


class MetaBinSerializer(serializers.Serializer):
    low = serializers.FloatField(allow_null=True, help_text="Null: the open bin below.")
    high = serializers.FloatField(allow_null=True, help_text="Null: the open bin above.")
    count = serializers.IntegerField()


class MetaHistogramSerializer(serializers.Serializer):
    bin_width = serializers.FloatField()
    bins = MetaBinSerializer(many=True)


class MetaPriorSerializer(serializers.Serializer):
    method = serializers.CharField()
    k = serializers.IntegerField()
    mean = serializers.FloatField(help_text="μ: the mean true lift.")
    mean_std_error = serializers.FloatField()
    tau2 = serializers.FloatField(help_text="τ²: the variance of the true lifts.")
    tau = serializers.FloatField()
    q = serializers.FloatField(help_text="Cochran's Q.")
    i2 = serializers.FloatField(help_text="I²: the share of the spread that is not noise.")
    log_likelihood = serializers.FloatField()
    iterations = serializers.IntegerField()
    converged = serializers.BooleanField()


class MetaImpactItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    lift = serializers.FloatField(help_text="Raw relative lift, in the metric's good direction.")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    shrunk = serializers.FloatField(allow_null=True, help_text="Corrected for the winner's curse.")
    shrunk_low = serializers.FloatField(allow_null=True)
    shrunk_high = serializers.FloatField(allow_null=True)
    factor = serializers.FloatField(allow_null=True, help_text="B: the pull towards the mean.")


class MetaImpactSerializer(serializers.Serializer):
    metric_key = serializers.CharField()
    metric = serializers.CharField()
    experiments = serializers.IntegerField()
    shipped = serializers.IntegerField()
    raw_total = serializers.FloatField()
    corrected_total = serializers.FloatField(allow_null=True)
    prior_scope = serializers.ChoiceField(choices=["metric", "program"], allow_null=True)
    prior = MetaPriorSerializer(allow_null=True, help_text="The metric's own prior, if it has one.")
    items = MetaImpactItemSerializer(many=True)


class MetaMetricMovedSerializer(serializers.Serializer):
    key = serializers.CharField()
    metric = serializers.CharField()
    measured = serializers.IntegerField()
    moved = serializers.IntegerField()
    better = serializers.IntegerField()
    worse = serializers.IntegerField()
    as_primary = serializers.IntegerField()


class MetaExperimentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    metric_key = serializers.CharField()
    metric = serializers.CharField()
    lift = serializers.FloatField()
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField()
    shipped = serializers.BooleanField()
    won = serializers.BooleanField()
    concluded_at = serializers.DateTimeField(allow_null=True)


class MetaAnalysisSerializer(serializers.Serializer):
    filters = MetaFiltersSerializer()
    concluded = serializers.IntegerField()
    analysed = serializers.IntegerField()
    velocity = MetaQuarterSerializer(many=True)
    win_rate = MetaWinRateSerializer()
    histogram = MetaHistogramSerializer()
    program_prior = MetaPriorSerializer(allow_null=True)
    min_experiments = serializers.IntegerField()
    impact = MetaImpactSerializer(many=True)
    metrics_moved = MetaMetricMovedSerializer(many=True)
    experiments = MetaExperimentRowSerializer(many=True)


class MetaAnalysisView(APIView):
    """The program's meta-analysis: velocity, win rate, the lift histogram, the cumulative
    impact per primary metric raw and shrunk (normal–normal empirical Bayes, once six
    experiments exist) with the prior's fit, and how often each metric moved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("group", OpenApiTypes.STR, description="A working group's slug."),
            OpenApiParameter("business_unit", OpenApiTypes.STR,
                             description="A business unit's slug (the hypothesis's)."),
            OpenApiParameter("quarter", OpenApiTypes.STR,
                             description="When the experiments concluded: 2025-Q3."),
        ],
        responses={200: MetaAnalysisSerializer},
    )  # fmt: skip
    def get(self, request):
        try:
            filters = parse_filters(request.user, request.query_params)
        except ValidationError as exc:
            raise DRFValidationError(exc.message_dict) from exc
        return Response(meta_analysis(request.user, filters))
