"""The roadmap's API, split at its seams: plans (with milestones and decisions), the
timeline, and the stakeholder update. `api_urls` and the tests import the views from here."""

from .plans import DecisionViewSet, MilestoneViewSet, PlanViewSet
from .timeline import RoadmapView
from .updates import StakeholderUpdateDispatchView, StakeholderUpdateSendView, StakeholderUpdateView

__all__ = [
    "DecisionViewSet",
    "MilestoneViewSet",
    "PlanViewSet",
    "RoadmapView",
    "StakeholderUpdateDispatchView",
    "StakeholderUpdateSendView",
    "StakeholderUpdateView",
]
