"""The one converter between stored definitions and the warehouse package's plain types.

`apps.experiments.warehouse` knows nothing of Django; this module turns a DataSource into a
connected adapter and a Metric into a MetricQuery, so every caller (the pull job, the
launch checklist, the metric form) builds them the same way.
"""

from apps.experiments.models import DataSource, Metric
from apps.experiments.warehouse import MetricQuery, Warehouse, warehouse_for


def connect(source: DataSource) -> Warehouse:
    return warehouse_for(source.kind, dict(source.config))


def metric_query(metric: Metric, *, cuped: bool = False) -> MetricQuery:
    return MetricQuery(
        key=metric.key,
        kind=metric.kind,
        sql=metric.sql,
        covariate_sql=(metric.covariate_sql or None) if cuped else None,
    )
