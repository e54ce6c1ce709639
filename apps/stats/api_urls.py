"""The statistics API under /api/v1/stats/."""

from django.urls import path

from . import api

urlpatterns = [
    path("analyze/", api.AnalyzeView.as_view(), name="stats-analyze"),
    path("sample-size/", api.SampleSizeView.as_view(), name="stats-sample-size"),
]
