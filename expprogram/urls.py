from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.accounts import api as accounts_api
from apps.accounts import auth_api
from apps.core.views import favicon, healthz

router = DefaultRouter()
router.register("business-units", accounts_api.BusinessUnitViewSet, basename="business-unit")
router.register("working-groups", accounts_api.WorkingGroupViewSet, basename="working-group")
router.register("memberships", accounts_api.MembershipViewSet, basename="membership")
router.register("auth/tokens", auth_api.ApiTokenViewSet, basename="auth-token")

api_v1 = [
    path("auth/token/", auth_api.TokenObtainView.as_view(), name="api-token"),
    path("users/me/", accounts_api.MeView.as_view(), name="api-me"),
    path("stats/", include("apps.stats.api_urls")),
    path("", include("apps.backlog.api_urls")),
    path("", include("apps.meetings.api_urls")),
    path("", include("apps.roadmap.api_urls")),
    path("", include("apps.experiments.api_urls")),
    path("", include("apps.conflicts.api_urls")),
    path("", include("apps.knowledge.api_urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("backlog/", include("apps.backlog.urls")),
    path("meetings/", include("apps.meetings.urls")),
    path("roadmap/", include("apps.roadmap.urls")),
    path("experiments/", include("apps.experiments.urls")),
    path("conflicts/", include("apps.conflicts.urls")),
    path("knowledge/", include("apps.knowledge.urls")),
    path("calculators/", include("apps.stats.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "apps.core.error_pages.permission_denied"
handler404 = "apps.core.error_pages.page_not_found"
handler500 = "apps.core.error_pages.server_error"
