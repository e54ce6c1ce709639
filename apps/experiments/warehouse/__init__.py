"""Pull an experiment's sufficient statistics from a company's warehouse.

The aggregation runs in the warehouse: one statement per metric, composed as a sqlglot
tree from the admin's assignment and metric SQL and rendered in the warehouse's dialect,
returns a few sums per variant × segment. No Django here: the experiments app calls this.
"""

from .contract import (
    METRIC_KINDS,
    MetricPull,
    MetricQuery,
    PullRequest,
    SufficientRow,
    Warehouse,
    WarehouseError,
    WarehouseTimeout,
    WarehouseUnavailable,
)

__all__ = [
    "METRIC_KINDS",
    "MetricPull",
    "MetricQuery",
    "PullRequest",
    "SufficientRow",
    "Warehouse",
    "WarehouseError",
    "WarehouseTimeout",
    "WarehouseUnavailable",
]
