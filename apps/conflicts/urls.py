"""Conflict pages."""

from django.urls import path

from . import views

app_name = "conflicts"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("<int:pk>/interaction/", views.InteractionView.as_view(), name="interaction"),
    path("experiments/<int:pk>/", views.ExperimentPanelView.as_view(), name="experiment-panel"),
]
