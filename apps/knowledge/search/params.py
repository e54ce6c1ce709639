"""What a search request may ask: the query, one value per facet, and a page.

One definition for the page and the API (DRF serializers validate both): a bad value is a
400 naming the field and the rule in the API, and a message beside the box on the page.
"""

from rest_framework import serializers

from apps.knowledge.models.search import Kind, Outcome

from .results import MAX_FILTER_CHARS, Filters

# A query may be pasted text; longer than this is refused, shorter is cut to what is read.
MAX_QUERY_INPUT = 4000
PAGE_SIZE = 20
MAX_PAGE = 50


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_INPUT, trim_whitespace=True,
        help_text='Words, "a phrase", OR, -exclude. Empty: the newest items.',
    )  # fmt: skip
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    status = serializers.CharField(required=False, allow_blank=True, max_length=20)
    business_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    surface = serializers.CharField(required=False, allow_blank=True, max_length=MAX_FILTER_CHARS)
    metric = serializers.CharField(required=False, allow_blank=True, max_length=MAX_FILTER_CHARS)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=MAX_FILTER_CHARS)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)

    def validate(self, attrs):
        for name in ("q", "status", "surface", "metric", "tag"):
            if "\x00" in attrs.get(name, ""):
                raise serializers.ValidationError({name: "Null characters are not allowed."})
        return attrs

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(
            kind=data.get("kind", ""), outcome=data.get("outcome", ""),
            status=data.get("status", ""), business_unit=data.get("business_unit"),
            surface=data.get("surface", ""), metric=data.get("metric", ""),
            tag=data.get("tag", ""), year=data.get("year"),
        )  # fmt: skip


class SimilarParams(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_INPUT, trim_whitespace=True,
        help_text="A draft's title and statement.",
    )  # fmt: skip
    k = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)

    def validate_text(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError("Null characters are not allowed.")
        return value
