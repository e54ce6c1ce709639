"""The statistics API under /api/v1/stats/."""

urlpatterns: list = []
