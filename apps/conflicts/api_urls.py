"""The conflicts API under /api/v1/ (included with an empty prefix, so paths are full).

`POST /api/v1/experiments/{id}/check-conflicts/` lives here, on a viewset of this app's
own: the experiments app must not import conflicts.
"""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("conflicts", api.ConflictViewSet, basename="api-conflict")
router.register(
    "experiments", api.ExperimentConflictCheckViewSet, basename="api-experiment-conflicts"
)

urlpatterns = router.urls
