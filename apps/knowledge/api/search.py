"""GET /api/v1/search/ and /api/v1/search/similar/: search the knowledge base.

Open to everyone signed in; each person finds only what they may read (the index's
visibility rule), and the facet counts count only that. Bad input is a 400 naming the
field; odd but valid input (punctuation, emoji, SQL, unbalanced quotes) is a normal,
possibly empty, result.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.knowledge import selectors
from apps.knowledge.models.search import Kind
from apps.knowledge.search import FACETS
from apps.knowledge.search.params import PAGE_SIZE, SearchParams, SimilarParams


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    id = serializers.IntegerField(source="object_id", help_text="The item's own id (its kind's).")
    item = serializers.IntegerField(source="id", help_text="The search index row's id.")
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: the text escaped, matches in <mark>.")
    score = serializers.FloatField()
    # A plain string: a second "outcome" enum beside the roadmap decisions' would collide.
    outcome = serializers.CharField(
        allow_blank=True,
        help_text="won, lost, flat or inconclusive; blank: no concluded result.",
    )
    lift = serializers.FloatField(
        allow_null=True, help_text="The primary metric's relative lift (0.021 = +2.1 %)."
    )
    lift_low = serializers.FloatField(allow_null=True)
    lift_high = serializers.FloatField(allow_null=True)
    url = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    surfaces = serializers.ListField(child=serializers.CharField())
    metrics = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    year = serializers.IntegerField(allow_null=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True)
    outcome = FacetValueSerializer(many=True)
    status = FacetValueSerializer(many=True)
    business_unit = FacetValueSerializer(many=True)
    surface = FacetValueSerializer(many=True)
    metric = FacetValueSerializer(many=True)
    tag = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField()
    more = serializers.BooleanField(
        help_text="More items matched than `total`: the newest of them were ranked and counted."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    mode = serializers.ChoiceField(
        choices=["lexical", "blended"], help_text="blended: lexical and semantic similarity."
    )
    results = HitSerializer(many=True)
    facets = FacetsSerializer()


class SimilarResponseSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["lexical", "blended"])
    results = HitSerializer(many=True)


def _mode() -> str:
    from apps.knowledge.search.engine import semantic_on

    return "blended" if semantic_on() else "lexical"


class SearchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="search",
        parameters=[SearchParams],
        responses={200: SearchResponseSerializer},
        summary="Search hypotheses, experiments, learnings, plans and decisions",
    )
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = params.validated_data["page"]
        results = selectors.search_for(
            request.user, params.validated_data.get("q"), params.filters(), page=page
        )
        body = {
            "query": results.query,
            "total": results.total,
            "more": results.more,
            "page": page,
            "page_size": PAGE_SIZE,
            "mode": results.mode,
            "results": HitSerializer(results.hits, many=True).data,
            "facets": {
                name: FacetValueSerializer(results.facets.get(name, []), many=True).data
                for name in FACETS
            },
        }
        return Response(body)


class SimilarView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="search_similar",
        parameters=[SimilarParams],
        responses={200: SimilarResponseSerializer},
        summary="The past hypotheses, experiments and learnings most like a text",
    )
    def get(self, request):
        params = SimilarParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        hits = selectors.similar_for(request.user, data.get("text", ""), k=data["k"])
        return Response({"mode": _mode(), "results": HitSerializer(hits, many=True).data})
