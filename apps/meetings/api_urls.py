"""The meetings API under /api/v1/."""

urlpatterns: list = []
