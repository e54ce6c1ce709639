"""Conflict pages."""

from django.urls import path

from apps.core.views import SectionComingView

app_name = "conflicts"

urlpatterns = [
    path(
        "",
        SectionComingView.as_view(
            title="Conflicts",
            summary="Concurrent experiments that collide on a surface, a layer or a metric.",
        ),
        name="index",
    ),
]
