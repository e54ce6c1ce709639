"""Pull an experiment's sufficient statistics from a company's warehouse.

The aggregation runs in the warehouse: one statement per metric, composed as a sqlglot
tree from the admin's assignment and metric SQL and rendered in the warehouse's dialect,
returns a few sums per variant × segment. No Django here: the experiments app calls this.
"""

from .adapters import DuckDBWarehouse, PostgresWarehouse, TrinoWarehouse, warehouse_for
from .compose import PARAMETER_STYLES
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
from .pull import check_connection, daily_traffic, probe_metric, pull, render
from .sql_text import check_assignment_sql, check_covariate_sql, check_metric_sql

DIALECTS = tuple(PARAMETER_STYLES)

__all__ = [
    "DIALECTS",
    "METRIC_KINDS",
    "DuckDBWarehouse",
    "MetricPull",
    "MetricQuery",
    "PostgresWarehouse",
    "PullRequest",
    "SufficientRow",
    "TrinoWarehouse",
    "Warehouse",
    "WarehouseError",
    "WarehouseTimeout",
    "WarehouseUnavailable",
    "check_assignment_sql",
    "check_connection",
    "check_covariate_sql",
    "check_metric_sql",
    "daily_traffic",
    "probe_metric",
    "pull",
    "render",
    "warehouse_for",
]
