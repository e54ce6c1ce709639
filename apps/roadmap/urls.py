"""Roadmap pages."""

from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("", views.RoadmapView.as_view(), name="index"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path("plans/<int:pk>/status/", views.PlanTransitionView.as_view(), name="plan-transition"),
    path("plans/<int:pk>/milestones/", views.MilestoneAddView.as_view(), name="milestone-add"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone-edit"),
    path(
        "milestones/<int:pk>/remove/", views.MilestoneRemoveView.as_view(), name="milestone-remove"
    ),
    path(
        "milestones/<int:pk>/decide/", views.MilestoneDecideView.as_view(), name="milestone-decide"
    ),
    path("updates/", views.UpdateView.as_view(), name="updates"),
    path("updates/markdown/", views.UpdateMarkdownView.as_view(), name="update-markdown"),
    path("updates/send/", views.UpdateSendView.as_view(), name="update-send"),
    path(
        "updates/dispatches/<int:pk>/",
        views.UpdateDispatchView.as_view(),
        name="update-dispatch",
    ),
]
