"""Experiment pages: the index, the design form, one experiment with its lifecycle and
results, the metric library and the data sources.

Views stay thin: forms parse, services apply the policy and the rules, selectors read,
charts lay out the SVG. `urls` names the views through this package; the modules are its
seams.
"""

from .design import CreateView, EditView
from .detail import ChecklistView, DetailView, TransitionView
from .index import IndexView
from .library import (
    MetricCreateView,
    MetricEditView,
    MetricListView,
    SourceCreateView,
    SourceEditView,
    SourceListView,
    TrafficMeasureView,
)
from .results import RefreshView, ResultsCsvView, ResultsView, SnapshotView

__all__ = [
    "ChecklistView",
    "CreateView",
    "DetailView",
    "EditView",
    "IndexView",
    "MetricCreateView",
    "MetricEditView",
    "MetricListView",
    "RefreshView",
    "ResultsCsvView",
    "ResultsView",
    "SnapshotView",
    "SourceCreateView",
    "SourceEditView",
    "SourceListView",
    "TrafficMeasureView",
    "TransitionView",
]
