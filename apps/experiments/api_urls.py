"""The experiments API under /api/v1/ (included with an empty prefix, so paths are full)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("experiments", api.ExperimentViewSet, basename="api-experiment")
router.register("snapshots", api.SnapshotViewSet, basename="api-snapshot")
router.register("metrics", api.MetricViewSet, basename="api-metric")
router.register("data-sources", api.DataSourceViewSet, basename="api-data-source")

urlpatterns = router.urls
