"""Changes to the backlog: proposing and editing hypotheses, moving them through the workflow,
scoring them, how the ranking counts and pins them, and the scoring frameworks a working group uses.

Each function takes the acting user, asks the role policy, validates, and writes in one
transaction: a refused or invalid change leaves nothing half-saved. Later apps (meetings,
experiments) move hypotheses along with `hypothesis_transition`. Callers import from here;
the modules are the seams: hypotheses, workflow, scores, frameworks, and the group setup
they all rely on.
"""

from .frameworks import framework_choose, framework_create, framework_delete, framework_update
from .hypotheses import MAX_TAGS, hypothesis_delete, hypothesis_propose, hypothesis_update
from .ranking import hypothesis_pin, hypothesis_unpin, ranking_settings_update
from .scores import score_submit
from .setup import backlog_setup
from .workflow import (
    DECISIONS,
    REASON_REQUIRED,
    TRANSITIONS,
    allowed_transitions,
    hypothesis_follow,
    hypothesis_transition,
    transition_action,
)

__all__ = [
    "DECISIONS",
    "MAX_TAGS",
    "REASON_REQUIRED",
    "TRANSITIONS",
    "allowed_transitions",
    "backlog_setup",
    "framework_choose",
    "framework_create",
    "framework_delete",
    "framework_update",
    "hypothesis_delete",
    "hypothesis_follow",
    "hypothesis_pin",
    "hypothesis_propose",
    "hypothesis_transition",
    "hypothesis_unpin",
    "hypothesis_update",
    "ranking_settings_update",
    "score_submit",
    "transition_action",
]
