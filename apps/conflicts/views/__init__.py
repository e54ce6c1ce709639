"""Conflict pages: the list, the timeline, one conflict with its acknowledgement and
interaction check, and the card on each experiment's page."""

from .detail import AcknowledgeView, DetailView, ExperimentPanelView, InteractionView
from .index import IndexView, TimelineView

__all__ = [
    "AcknowledgeView",
    "DetailView",
    "ExperimentPanelView",
    "IndexView",
    "InteractionView",
    "TimelineView",
]
