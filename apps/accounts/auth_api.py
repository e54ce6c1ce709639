"""API sign-in: exchange a password for a named, expiring token; list and revoke tokens."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import tokens
from .lockout import locked_out_message
from .models import ApiToken


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=tokens.MAX_LIFETIME_DAYS,
        help_text=f"Lifetime in days (default {tokens.DEFAULT_LIFETIME_DAYS}).",
    )
    expires_at = serializers.DateTimeField(required=False)


class TokenCreatedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, never stored.")
    id = serializers.IntegerField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_by",
            "state",
        ]
        read_only_fields = fields

    def get_state(self, token) -> str:
        return tokens.token_state(token)


class TokenListQuerySerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class TokenObtainView(APIView):
    """Exchange a username and password for a new API token, named and expiring."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenCreatedSerializer,
            400: OpenApiResponse(description="Missing or invalid field"),
            401: OpenApiResponse(description="Wrong credentials"),
            429: OpenApiResponse(description="Too many attempts: throttled or locked out"),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Through the auth backends, so django-axes counts the failures and locks out.
        user = authenticate(
            request=request._request, username=data["username"], password=data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            raise LockedOut(locked_out_message(request._request))
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
        # A token is a sign-in: this sets last_login and lets axes reset the failure count.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        token, key = tokens.api_token_create(
            actor=user,
            name=data.get("name", ""),
            expires_at=data.get("expires_at"),
            expires_in_days=data.get("expires_in_days"),
        )
        return Response(
            {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
        )

    def get_authenticate_header(self, request):
        # 401 (not 403) for wrong credentials needs a WWW-Authenticate header.
        return "Token"


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's tokens (an admin may pass ?user=); DELETE revokes, the row stays listed."""

    serializer_class = ApiTokenSerializer
    filter_backends: list = []

    def _owner_id(self) -> int | None:
        query = TokenListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("user")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return ApiToken.objects.none()
        if self.action == "list":
            return tokens.tokens_visible_to(self.request.user, owner_id=self._owner_id())
        # Someone else's token is not found rather than forbidden, unless you are an admin.
        if tokens.is_token_admin(self.request.user):
            return ApiToken.objects.all()
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(parameters=[TokenListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_destroy(self, instance):
        tokens.api_token_revoke(actor=self.request.user, token=instance)
