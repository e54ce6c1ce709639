"""The knowledge API under /api/v1/ (included with an empty prefix, so paths are full)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
