"""The roadmap API under /api/v1/."""

urlpatterns: list = []
