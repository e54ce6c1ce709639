"""API for the signed-in user, business units, working groups and memberships."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import BusinessUnit, Membership, Role, User, WorkingGroup
from .permissions import PolicyViewSetMixin
from .policy import Action, PolicyTarget, role_in

# --- serializers -------------------------------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "display_name"]
        read_only_fields = ["id", "username"]


class UserUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class BusinessUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessUnit
        fields = ["id", "name", "slug", "kind", "description"]
        read_only_fields = ["id", "slug"]
        # Uniqueness is the service's rule (case-insensitive); keep one message for it.
        extra_kwargs = {"name": {"validators": []}}


class WorkingGroupSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "id",
            "name",
            "slug",
            "goal",
            "cadence_days",
            "program_manager",
            "product_share_target",
            "created_at",
            "my_role",
        ]
        read_only_fields = ["id", "slug", "created_at", "my_role"]

    def get_my_role(self, group) -> str | None:
        return role_in(self.context["request"].user, group)


class MembershipSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False, default=Role.MEMBER)

    class Meta:
        model = Membership
        fields = ["id", "user", "working_group", "role", "business_unit", "delegate", "created_at"]
        read_only_fields = ["id", "created_at"]
        # Duplicate memberships are refused by the service with a message naming `user`.
        validators = []


class MembershipUpdateSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)

    class Meta:
        model = Membership
        fields = ["role", "business_unit", "delegate"]


# --- views -------------------------------------------------------------------------------


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = UserUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


class BusinessUnitViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BusinessUnitSerializer
    queryset = BusinessUnit.objects.all()
    filterset_fields = ["kind"]
    ordering_fields = ["name"]
    policy_actions = {"update": Action.CONFIGURE, "partial_update": Action.CONFIGURE}

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=None)

    def perform_create(self, serializer):
        serializer.instance = services.business_unit_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.business_unit_update(
            actor=self.request.user, unit=serializer.instance, **serializer.validated_data
        )


class WorkingGroupViewSet(
    PolicyViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WorkingGroupSerializer
    ordering_fields = ["name", "created_at"]
    policy_actions = {"update": Action.MANAGE, "partial_update": Action.MANAGE}

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user).select_related("program_manager")

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.working_group_create(
            actor=self.request.user,
            name=data["name"],
            goal=data["goal"],
            program_manager=data["program_manager"],
            cadence_days=data.get("cadence_days", 14),
            product_share_target=data.get("product_share_target", 70),
        )

    def perform_update(self, serializer):
        serializer.instance = services.working_group_update(
            actor=self.request.user, group=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        group = self.get_object()
        memberships = Membership.objects.for_group(group)
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)


class MembershipViewSet(PolicyViewSetMixin, viewsets.ModelViewSet):
    filterset_fields = ["working_group", "role", "business_unit", "user"]
    ordering_fields = ["created_at", "role"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Permission for changes depends on which fields change: the service asks the policy.
    policy_actions = {"partial_update": Action.READ, "destroy": Action.MANAGE}

    def get_queryset(self):
        return Membership.objects.visible_to(self.request.user).select_related(
            "user", "working_group", "business_unit", "delegate"
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return MembershipUpdateSerializer
        return MembershipSerializer

    def policy_target(self, obj) -> PolicyTarget:
        return PolicyTarget(group=obj.working_group_id, owner_id=obj.user_id)

    def create(self, request, *args, **kwargs):
        serializer = MembershipSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.membership_add(
            actor=request.user,
            group=data["working_group"],
            user=data["user"],
            role=data.get("role", Role.MEMBER),
            business_unit=data.get("business_unit"),
            delegate=data.get("delegate"),
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        serializer = MembershipUpdateSerializer(membership, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_update(
            actor=request.user, membership=membership, **serializer.validated_data
        )
        return Response(MembershipSerializer(membership).data)

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.membership_remove(actor=self.request.user, membership=instance)
