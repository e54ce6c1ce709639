"""The statistics API: analyse an experiment's variants, and plan a sample size.

Any signed-in person may call both; nothing is stored. The engine does the work; these
views only validate, translate the engine's errors into 400s, and shape the answer.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .engine import StatsError, analyze, sample_size
from .serializers import (
    AnalysisOutputSerializer,
    AnalyzeInputSerializer,
    SampleSizeInputSerializer,
    SampleSizeOutputSerializer,
    validation_error,
)

INVALID = OpenApiResponse(description="Invalid input; `fields` names each offending field.")

ANALYZE_EXAMPLE = {
    "metric_type": "binomial",
    "method": "frequentist",
    "alpha": 0.05,
    "alternative": "two-sided",
    "correction": "none",
    "expected_split": [0.5, 0.5],
    "variants": [
        {"name": "control", "n": 10000, "sum": 1000, "sum_squares": 1000},
        {"name": "B", "n": 10050, "sum": 1080, "sum_squares": 1080},
    ],
}


class AnalyzeView(APIView):
    @extend_schema(
        operation_id="stats_analyze",
        summary="Analyse an A/B(/n) test from per-variant sufficient statistics",
        description=(
            "The first variant is the control; every other one is compared with it. "
            "`ci_low`/`ci_high` are on the relative lift; fields the method does not "
            "produce are null. A ratio metric (Σy/Σx, e.g. revenue per order) brings "
            "`denominator_sum`, `denominator_sum_squares` and `cross_sum` per variant and "
            "is analysed by the delta method; its means are the ratios."
        ),
        request=AnalyzeInputSerializer,
        responses={200: AnalysisOutputSerializer, 400: INVALID},
        examples=[OpenApiExample("Two arms, binomial", value=ANALYZE_EXAMPLE, request_only=True)],
    )
    def post(self, request):
        serializer = AnalyzeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = analyze(**serializer.validated_data)
        except StatsError as error:
            raise validation_error(error) from None
        return Response(AnalysisOutputSerializer(result.to_dict()).data)


class SampleSizeView(APIView):
    @extend_schema(
        operation_id="stats_sample_size",
        summary="Units per variant, in total, and days needed to detect an effect",
        request=SampleSizeInputSerializer,
        responses={200: SampleSizeOutputSerializer, 400: INVALID},
        examples=[
            OpenApiExample(
                "Conversion rate",
                value={
                    "metric_type": "binomial",
                    "baseline": 0.2,
                    "mde": 0.05,
                    "mde_type": "absolute",
                    "alpha": 0.05,
                    "power": 0.8,
                    "variants": 2,
                    "daily_traffic": 5000,
                    "allocation": 1.0,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = SampleSizeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = sample_size(**serializer.validated_data)
        except StatsError as error:
            raise validation_error(error) from None
        return Response(SampleSizeOutputSerializer(result.to_dict()).data)
