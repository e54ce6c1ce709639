"""Changes to conflicts: scanning for them, checking one experiment, acknowledging one,
announcing new ones and testing two experiments' data for interaction.

Callers (tasks, views, the API, the launch check, the bench) import this package.
"""

from .acknowledge import conflict_acknowledge
from .interaction import conflict_interaction, conflict_interaction_queue
from .notices import conflict_notices_send
from .scan import (
    ScanResult,
    conflicts_check_experiment,
    conflicts_preview,
    conflicts_scan,
    identity_of,
)

__all__ = [
    "ScanResult",
    "conflict_acknowledge",
    "conflict_interaction",
    "conflict_interaction_queue",
    "conflict_notices_send",
    "conflicts_check_experiment",
    "conflicts_preview",
    "conflicts_scan",
    "identity_of",
]
