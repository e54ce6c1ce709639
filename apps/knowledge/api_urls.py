"""The knowledge API under /api/v1/ (included with an empty prefix, so paths are full)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import learnings, meta, search

router = SimpleRouter()
router.register("learnings", learnings.LearningViewSet, basename="api-learning")

urlpatterns = [
    path("search/", search.SearchView.as_view(), name="api-search"),
    path("search/similar/", search.SimilarView.as_view(), name="api-search-similar"),
    path("meta-analysis/", meta.MetaAnalysisView.as_view(), name="api-meta-analysis"),
    *router.urls,
]
