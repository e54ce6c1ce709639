"""API for learnings: CRUD, the experiments they rest on, the review steps, and the
prefilled draft for a concluded experiment.

Reads go through `Learning.objects.visible_to`: a learning a person may not read (another
group's, a draft for a stakeholder, one resting on a confidential plan's experiment) is a
404. Writes go through `services/learnings.py`, which asks the role policy.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from apps.accounts.permissions import PolicyViewSetMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.api_fields import VisibleGroupField
from apps.experiments.models import Experiment
from apps.knowledge.learning_templates import prefill, template_for
from apps.knowledge.models import Learning, LearningLink, LinkRole
from apps.knowledge.services import learnings as services

TEXT_MAX = 10_000


@extend_schema_field({"type": "string", "pattern": "^(supports|contradicts)$",
                     "description": "supports or contradicts"})  # fmt: skip
class LinkRoleField(serializers.ChoiceField):
    """supports or contradicts, declared as a pattern: the schema's enum hook would otherwise
    name it after the field, "role", which other choice sets (membership roles) already use."""

    def __init__(self, **kwargs):
        super().__init__(choices=LinkRole.choices, **kwargs)


class LearningLinkSerializer(serializers.ModelSerializer):
    role = LinkRoleField(read_only=True)
    experiment_title = serializers.CharField(source="experiment.title", read_only=True)
    experiment_key = serializers.CharField(source="experiment.key", read_only=True)

    class Meta:
        model = LearningLink
        fields = ["experiment", "experiment_title", "experiment_key", "role", "added_at"]
        read_only_fields = fields


class LearningSerializer(serializers.ModelSerializer):
    links = LearningLinkSerializer(many=True, read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Learning
        fields = [
            "id", "working_group", "title", "changed", "happened", "why", "next_steps", "tags",
            "status", "author", "author_name", "submitted_at", "review_note", "published_by",
            "published_at", "created_at", "updated_at", "links",
        ]  # fmt: skip
        read_only_fields = fields


class LearningLinkInputSerializer(serializers.Serializer):
    experiment = serializers.IntegerField(min_value=1, max_value=2**53)
    role = LinkRoleField(default=LinkRole.SUPPORTS)


def _text(required: bool, max_length: int = TEXT_MAX) -> serializers.CharField:
    return serializers.CharField(required=required, allow_blank=not required,
                                 max_length=max_length, trim_whitespace=True)  # fmt: skip


class LearningUpdateSerializer(serializers.Serializer):
    title = _text(False, 200)
    changed = _text(False)
    happened = _text(False)
    why = _text(False)
    next_steps = _text(False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                 required=False)  # fmt: skip


class LearningInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    title = _text(True, 200)
    changed = _text(True)
    happened = _text(True)
    why = _text(False)
    next_steps = _text(False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                 required=False, default=list)  # fmt: skip
    experiments = LearningLinkInputSerializer(many=True, required=False, default=list)


class LearningTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(s, s.replace("_", " ")) for s in services.STEPS])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class LearningPrefillSerializer(serializers.Serializer):
    experiment = serializers.IntegerField()
    working_group = serializers.IntegerField()
    title = serializers.CharField()
    changed = serializers.CharField(allow_blank=True)
    happened = serializers.CharField(allow_blank=True)
    why = serializers.CharField(allow_blank=True)
    next_steps = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())
    questions = serializers.DictField(child=serializers.CharField(),
                                      help_text="The template's question per field.")  # fmt: skip


def _experiments(user, group_id: int, rows: list[dict], field: str) -> list[tuple[Experiment, str]]:
    """The named experiments; one the person may not read (or of another group) is unknown."""
    ids = [row["experiment"] for row in rows]
    found = {
        e.pk: e
        for e in Experiment.objects.visible_to(user).filter(pk__in=ids, working_group_id=group_id)
    }
    out = []
    for row in rows:
        if row["experiment"] not in found:
            raise DRFValidationError(
                {field: [f"No experiment {row['experiment']} in this working group."]}
            )
        out.append((found[row["experiment"]], row["role"]))
    return out


class LearningViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Learnings of your groups: what changed, what happened, why, what next; the
    experiments that support or contradict them; draft → in review → published."""

    serializer_class = LearningSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "working_group", "author"]
    ordering_fields = ["updated_at", "published_at", "created_at"]
    policy_actions = {
        "transition": Action.READ,  # the service decides: authors submit, reviewers publish
        "links": Action.EDIT,
        "unlink": Action.EDIT,
        "prefill": Action.READ,
    }

    def get_queryset(self):
        links = LearningLink.objects.select_related("experiment").order_by("role", "pk")
        return (
            Learning.objects.visible_to(self.request.user)
            .select_related("author")
            .prefetch_related(Prefetch("links", queryset=links))
            .order_by("-updated_at", "-pk")
        )

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.author_id)

    def _fresh(self, learning: Learning) -> dict:
        return LearningSerializer(self.get_queryset().get(pk=learning.pk),
                                  context=self.get_serializer_context()).data  # fmt: skip

    @extend_schema(request=LearningInputSerializer, responses={201: LearningSerializer})
    def create(self, request):
        serializer = LearningInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = data.pop("working_group")
        linked = _experiments(
            request.user, group.pk, [dict(r) for r in data.pop("experiments")], "experiments"
        )
        learning = services.learning_create(actor=request.user, group=group, experiments=linked,
                                            **data)  # fmt: skip
        return Response(self._fresh(learning), status=status.HTTP_201_CREATED)

    @extend_schema(request=LearningUpdateSerializer, responses={200: LearningSerializer})
    def partial_update(self, request, pk=None):
        learning = self.get_object()
        serializer = LearningUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.learning_update(actor=request.user, learning=learning,
                                 **serializer.validated_data)  # fmt: skip
        return Response(self._fresh(learning))

    def perform_destroy(self, instance):
        services.learning_delete(actor=self.request.user, learning=instance)

    @extend_schema(request=LearningTransitionSerializer, responses={200: LearningSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit (the author), publish, request changes or reopen (the program manager or
        the statistics lead); a request or a reopening says why."""
        learning = self.get_object()
        serializer = LearningTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.learning_transition(actor=request.user, learning=learning,
                                     **serializer.validated_data)  # fmt: skip
        return Response(self._fresh(learning))

    @extend_schema(request=LearningLinkInputSerializer, responses={200: LearningSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        """Rest the learning on an experiment (or change the link's role)."""
        learning = self.get_object()
        serializer = LearningLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        [(experiment, role)] = _experiments(request.user, learning.working_group_id,
                                            [dict(serializer.validated_data)], "experiment")  # fmt: skip
        services.learning_link(actor=request.user, learning=learning, experiment=experiment,
                               role=role)  # fmt: skip
        return Response(self._fresh(learning))

    @extend_schema(request=None, responses={200: LearningSerializer})
    @action(detail=True, methods=["delete"], url_path=r"links/(?P<experiment_pk>\d+)")
    def unlink(self, request, pk=None, experiment_pk=None):
        """Stop resting the learning on an experiment."""
        learning = self.get_object()
        link = LearningLink.objects.filter(learning=learning, experiment_id=experiment_pk).first()
        if link is None:
            raise NotFound("This learning does not rest on that experiment.")
        services.learning_unlink(actor=request.user, learning=learning, experiment=link.experiment)
        return Response(self._fresh(learning))

    @extend_schema(
        parameters=[OpenApiParameter("experiment", OpenApiTypes.INT, required=True,
                                     description="A concluded experiment you may read.")],
        responses={200: LearningPrefillSerializer,
                   404: OpenApiResponse(description="No such experiment, or not visible to you.")},
    )  # fmt: skip
    @action(detail=False, methods=["get"])
    def prefill(self, request):
        """A learning's starting text for an experiment, from its design and results, with
        its type's template questions: what the "Write the learning" form opens with."""
        raw = request.query_params.get("experiment", "")
        if not raw.isdigit() or len(raw) > 15:
            raise DRFValidationError({"experiment": ["An experiment's id: a whole number."]})
        experiment = (
            Experiment.objects.visible_to(request.user)
            .select_related("hypothesis").filter(pk=int(raw)).first()
        )  # fmt: skip
        if experiment is None:
            raise NotFound("No such experiment.")
        template = template_for(experiment.type)
        questions = {name: getattr(template, name)
                     for name in ("changed", "happened", "why", "next_steps")}  # fmt: skip
        return Response({"experiment": experiment.pk, "working_group": experiment.working_group_id,
                         **prefill(experiment), "questions": questions})  # fmt: skip
