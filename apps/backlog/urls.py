"""Backlog pages."""

from django.urls import path

from . import views

app_name = "backlog"

urlpatterns = [
    path("", views.BacklogView.as_view(), name="index"),
    path("<int:pk>/", views.HypothesisDetailView.as_view(), name="hypothesis"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/score/", views.ScoreView.as_view(), name="score"),
    path("<int:pk>/transition/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/pin/", views.PinView.as_view(), name="pin"),
    path("<int:pk>/unpin/", views.UnpinView.as_view(), name="unpin"),
    path("groups/<slug:slug>/propose/", views.ProposeView.as_view(), name="propose"),
    path(
        "groups/<slug:slug>/frameworks/", views.FrameworkSettingsView.as_view(), name="frameworks"
    ),
    path(
        "groups/<slug:slug>/frameworks/new/",
        views.FrameworkCreateView.as_view(),
        name="framework-create",
    ),
    path("groups/<slug:slug>/target/", views.TargetView.as_view(), name="target"),
    path("groups/<slug:slug>/ranking/", views.RankingSettingsView.as_view(), name="ranking"),
    path(
        "frameworks/<int:pk>/choose/",
        views.FrameworkActionView.as_view(operation="choose"),
        name="framework-choose",
    ),
    path(
        "frameworks/<int:pk>/delete/",
        views.FrameworkActionView.as_view(operation="delete"),
        name="framework-delete",
    ),
]
