"""Changes to meetings: series, meetings and attendees, the agenda, notes, decisions, action
items, sharing and the daily digest.

Each function takes the acting user, asks the role policy, validates, and writes in one
transaction, so a refused or invalid change leaves nothing half-saved. Who may do what:
stakeholders read; members create working sessions and action items and edit their own;
the program manager (or an admin) runs the group's meetings: schedules, drafts and reorders
the agenda, shares the notes; notes are written by the note taker, the facilitator, the PM
and the meeting's attendees.

Callers import this package (`services.meeting_create`); the modules are its seams, and
`_rules` holds the checks they share.
"""

from .action_items import action_item_create, action_item_update
from .agenda import (
    AUTO_DRAFT_AHEAD,
    MOVE_DIRECTIONS,
    AgendaItemConflict,
    NotesConflict,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_save_notes,
    agenda_item_update,
    agenda_reorder,
    meeting_draft_agenda,
    meeting_redraft_preview,
    meetings_draft_due,
)
from .decisions import MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, decision_record
from .meetings import (
    meeting_cancel,
    meeting_create,
    meeting_move,
    meeting_record_attendance,
    meeting_reinstate,
    meeting_set_attendees,
    meeting_update,
)
from .notifications import (
    DIGEST_DUE_SOON_DAYS,
    DigestOutcome,
    action_item_digests_send,
    calendar_token_for,
    calendar_token_reset,
    meeting_share_notes,
    notes_dispatch_run,
    share_recipients,
)
from .series import (
    GENERATE_AHEAD,
    series_create,
    series_extend_all,
    series_generate,
    series_slots,
    series_update,
)

__all__ = [
    "AUTO_DRAFT_AHEAD",
    "DIGEST_DUE_SOON_DAYS",
    "GENERATE_AHEAD",
    "MAX_PAYLOAD_BYTES",
    "MAX_PAYLOAD_DEPTH",
    "MOVE_DIRECTIONS",
    "AgendaItemConflict",
    "DigestOutcome",
    "NotesConflict",
    "action_item_create",
    "action_item_digests_send",
    "action_item_update",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_save_notes",
    "agenda_item_update",
    "agenda_reorder",
    "calendar_token_for",
    "calendar_token_reset",
    "decision_record",
    "meeting_cancel",
    "meeting_create",
    "meeting_draft_agenda",
    "meeting_move",
    "meeting_record_attendance",
    "meeting_redraft_preview",
    "meeting_reinstate",
    "meeting_set_attendees",
    "meeting_share_notes",
    "meeting_update",
    "meetings_draft_due",
    "notes_dispatch_run",
    "series_create",
    "series_extend_all",
    "series_generate",
    "series_slots",
    "series_update",
    "share_recipients",
]
