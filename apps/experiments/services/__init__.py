"""Changes to experiments: designs, the lifecycle, snapshots and their alerts, and the
metric library and data sources.

Every function takes the acting user, asks the role policy, checks the experiment's rules
and writes in one transaction; a broken rule raises ValidationError naming the field and
the rule (a 400 in the API, a form error on the pages). Callers import this package.
"""

from .alerts import snapshot_alerts_queue, snapshot_alerts_send
from .design import (
    DESIGN_FIELDS,
    ExperimentConflict,
    experiment_create,
    experiment_update,
    layer_left,
)
from .library import (
    data_source_create,
    data_source_update,
    metric_create,
    metric_update,
    traffic_measure,
)
from .lifecycle import STEPS, ChecklistFailed, allowed_actions, experiment_transition
from .sizing import Sizing, experiment_sizing
from .snapshots import (
    PullFailed,
    analysis_plan,
    experiment_refresh,
    pulls_schedule_due,
    snapshot_create,
    snapshot_pull,
    snapshot_store,
)
from .specs import MetricSpec, VariantSpec

__all__ = [
    "DESIGN_FIELDS",
    "STEPS",
    "ChecklistFailed",
    "ExperimentConflict",
    "MetricSpec",
    "PullFailed",
    "Sizing",
    "VariantSpec",
    "allowed_actions",
    "analysis_plan",
    "data_source_create",
    "data_source_update",
    "experiment_create",
    "experiment_refresh",
    "experiment_sizing",
    "experiment_transition",
    "experiment_update",
    "layer_left",
    "metric_create",
    "metric_update",
    "pulls_schedule_due",
    "snapshot_alerts_queue",
    "snapshot_alerts_send",
    "snapshot_create",
    "snapshot_pull",
    "snapshot_store",
    "traffic_measure",
]
