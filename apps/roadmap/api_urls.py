"""The roadmap API under /api/v1/ (included with an empty prefix, so paths are full)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("plans", api.PlanViewSet, basename="plan")
router.register("milestones", api.MilestoneViewSet, basename="milestone")
# Under roadmap/: the meetings app owns the plain `decisions` of a meeting.
router.register("roadmap/decisions", api.DecisionViewSet, basename="roadmap-decision")

urlpatterns = [
    path("roadmap/", api.RoadmapView.as_view(), name="roadmap"),
    path("stakeholder-updates/", api.StakeholderUpdateView.as_view(), name="stakeholder-update"),
    path(
        "stakeholder-updates/send/",
        api.StakeholderUpdateSendView.as_view(),
        name="stakeholder-update-send",
    ),
    path(
        "stakeholder-updates/dispatches/<int:pk>/",
        api.StakeholderUpdateDispatchView.as_view(),
        name="stakeholder-update-dispatch",
    ),
    *router.urls,
]
