"""Backlog pages: the ranked backlog with its scatter and portfolio balance, a hypothesis with
its history and scores, the propose/edit forms, and the framework settings.

Views stay thin: forms check shapes, services change data and apply the role policy,
selectors read. Inline scoring is an htmx swap of the ranking partial.
"""

from .frameworks import (
    FrameworkActionView,
    FrameworkCreateView,
    FrameworkSettingsView,
    RankingSettingsView,
    TargetView,
)
from .hypotheses import EditView, HypothesisDetailView, ProposeView, ScoreView, TransitionView
from .pins import PinView, UnpinView
from .ranking import BacklogView

__all__ = [
    "BacklogView",
    "EditView",
    "FrameworkActionView",
    "FrameworkCreateView",
    "FrameworkSettingsView",
    "HypothesisDetailView",
    "PinView",
    "ProposeView",
    "RankingSettingsView",
    "ScoreView",
    "TargetView",
    "TransitionView",
    "UnpinView",
]
