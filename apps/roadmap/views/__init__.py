"""Roadmap pages: the timeline across plans, one page per plan, its forms, and the
stakeholder update.

Views stay thin: forms check shapes, services apply the policy and the rules, selectors
read. Editing a milestone and recording a decision are htmx swaps of the milestone list.
`urls` names the views through this package; the modules are its seams.
"""

from .milestones import (
    MilestoneAddView,
    MilestoneDecideView,
    MilestoneEditView,
    MilestoneRemoveView,
)
from .plans import PlanCreateView, PlanEditView, PlanTransitionView, PlanView
from .roadmap import RoadmapView
from .updates import UpdateDispatchView, UpdateMarkdownView, UpdateSendView, UpdateView

__all__ = [
    "MilestoneAddView",
    "MilestoneDecideView",
    "MilestoneEditView",
    "MilestoneRemoveView",
    "PlanCreateView",
    "PlanEditView",
    "PlanTransitionView",
    "PlanView",
    "RoadmapView",
    "UpdateDispatchView",
    "UpdateMarkdownView",
    "UpdateSendView",
    "UpdateView",
]
