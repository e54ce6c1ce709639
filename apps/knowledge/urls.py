"""Knowledge base pages."""

from django.urls import path

from apps.core.views import SectionComingView

app_name = "knowledge"

urlpatterns = [
    path(
        "",
        SectionComingView.as_view(
            title="Knowledge base",
            summary="Every past experiment and its learnings, searchable.",
        ),
        name="index",
    ),
]
