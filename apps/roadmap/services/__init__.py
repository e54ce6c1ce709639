"""Changes to research plans, milestones and decisions, and the stakeholder update's emailing.

Every function takes the acting user, asks the role policy, checks the roadmap's rules and
writes in one transaction. A broken rule raises ValidationError naming the field and the
rule, which the API turns into a 400 and the pages into a form error.

Who may do what: anyone who may create in the group writes a plan (and owns it unless they
name another member); the plan's owner, their delegate and the program manager change it,
its milestones and record its decisions (policy EDIT with the plan's owner); only the
program manager emails a stakeholder update (MANAGE). Stakeholders write nothing.

Callers import this package (`services.plan_create`); the modules are its seams.
"""

from .decisions import milestone_decide
from .milestones import MILESTONE_FIELDS, milestone_add, milestone_remove, milestone_update
from .plans import (
    MAX_FEATURE_TEAMS,
    PLAN_FIELDS,
    TRANSITIONS,
    PlanConflict,
    plan_create,
    plan_transition,
    plan_update,
)
from .stakeholder_updates import (
    MAX_UPDATE_DAYS,
    check_introduction,
    check_update_range,
    stakeholder_update_dispatch_run,
    stakeholder_update_send,
)

__all__ = [
    "MAX_FEATURE_TEAMS",
    "MAX_UPDATE_DAYS",
    "MILESTONE_FIELDS",
    "PLAN_FIELDS",
    "TRANSITIONS",
    "PlanConflict",
    "check_introduction",
    "check_update_range",
    "milestone_add",
    "milestone_decide",
    "milestone_remove",
    "milestone_update",
    "plan_create",
    "plan_transition",
    "plan_update",
    "stakeholder_update_dispatch_run",
    "stakeholder_update_send",
]
