"""The calculators page: analysis and sample-size calculators for people."""

from django.urls import path

from . import views

app_name = "calculators"

urlpatterns = [
    path("", views.CalculatorsView.as_view(), name="index"),
    path("analyze/", views.AnalyzeView.as_view(), name="analyze"),
    path("sample-size/", views.SampleSizeView.as_view(), name="sample-size"),
]
