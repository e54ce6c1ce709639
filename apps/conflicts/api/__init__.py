"""The conflicts API: the list, one conflict, its acknowledgement, and an experiment's check."""

from .conflicts import ConflictViewSet, ExperimentConflictCheckViewSet

__all__ = ["ConflictViewSet", "ExperimentConflictCheckViewSet"]
