"""The backlog API under /api/v1/ (included with an empty prefix, so paths are full)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("hypotheses", api.HypothesisViewSet, basename="hypothesis")
router.register("scoring-frameworks", api.ScoringFrameworkViewSet, basename="scoring-framework")

urlpatterns = [
    path(
        "working-groups/<int:pk>/portfolio/",
        api.PortfolioView.as_view(),
        name="working-group-portfolio",
    ),
    *router.urls,
]
