"""Experiment pages."""

from django.urls import path

from . import views

app_name = "experiments"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.CreateView.as_view(), name="create"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/transition/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("<int:pk>/results.csv", views.ResultsCsvView.as_view(), name="results-csv"),
    path("<int:pk>/refresh/", views.RefreshView.as_view(), name="refresh"),
    path("snapshots/<int:pk>/", views.SnapshotView.as_view(), name="snapshot"),
    path("metrics/", views.MetricListView.as_view(), name="metrics"),
    path("metrics/new/", views.MetricCreateView.as_view(), name="metric-create"),
    path("metrics/<int:pk>/edit/", views.MetricEditView.as_view(), name="metric-edit"),
    path("sources/", views.SourceListView.as_view(), name="sources"),
    path("sources/new/", views.SourceCreateView.as_view(), name="source-create"),
    path("sources/<int:pk>/edit/", views.SourceEditView.as_view(), name="source-edit"),
    path("sources/<int:pk>/traffic/", views.TrafficMeasureView.as_view(), name="source-traffic"),
]
