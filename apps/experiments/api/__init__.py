"""The experiments API under /api/v1/: experiments, snapshots, metrics and data sources."""

from .experiments import ExperimentViewSet, SnapshotViewSet
from .library import DataSourceViewSet, MetricViewSet

__all__ = ["DataSourceViewSet", "ExperimentViewSet", "MetricViewSet", "SnapshotViewSet"]
