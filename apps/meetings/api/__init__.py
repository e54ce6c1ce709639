"""The meetings API: series, meetings, agenda items (with reorder and notes), decisions and
action items. Serializers check shapes; the services decide and write. `api_urls` imports
the view sets from here; the modules are the seams."""

from .action_items import ActionItemViewSet
from .agenda_items import AgendaItemViewSet
from .decisions import DecisionViewSet
from .meetings import MeetingViewSet
from .series import MeetingSeriesViewSet

__all__ = [
    "ActionItemViewSet",
    "AgendaItemViewSet",
    "DecisionViewSet",
    "MeetingSeriesViewSet",
    "MeetingViewSet",
]
