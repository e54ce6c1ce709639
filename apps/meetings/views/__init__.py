"""Meeting pages: the index, one meeting (agenda, notes, decisions, action items), a group's
action items, downloads and the calendar feed. Views read through selectors and write
through services; htmx requests get the partial they swap."""

from .action_items import (
    ActionItemCreateView,
    ActionItemStatusView,
    GroupActionItemsView,
    WorkingSessionCreateView,
)
from .agenda import (
    AgendaItemAddView,
    AgendaItemEditView,
    AgendaItemMoveView,
    AgendaItemRemoveView,
    AgendaOrderView,
    NotesView,
)
from .decisions import DecisionCreateView
from .meeting import (
    AttendanceView,
    CalendarTokenView,
    DraftAgendaView,
    IndexView,
    MarkdownView,
    MeetingIcsView,
    MeetingView,
    NotesDispatchView,
    ShareView,
    meeting_context,
)
from .series import SeriesCreateView, SeriesFeedView, SeriesGenerateView

__all__ = [
    "ActionItemCreateView",
    "ActionItemStatusView",
    "AgendaItemAddView",
    "AgendaItemEditView",
    "AgendaItemMoveView",
    "AgendaItemRemoveView",
    "AgendaOrderView",
    "AttendanceView",
    "CalendarTokenView",
    "DecisionCreateView",
    "DraftAgendaView",
    "GroupActionItemsView",
    "IndexView",
    "MarkdownView",
    "MeetingIcsView",
    "MeetingView",
    "NotesDispatchView",
    "NotesView",
    "SeriesCreateView",
    "SeriesFeedView",
    "SeriesGenerateView",
    "ShareView",
    "WorkingSessionCreateView",
    "meeting_context",
]
