"""The meetings API under /api/v1/ (included with an empty prefix, so paths are full)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .api.notes_dispatches import NotesDispatchView

router = SimpleRouter()
router.register("meeting-series", api.MeetingSeriesViewSet, basename="meeting-series")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("agenda-items", api.AgendaItemViewSet, basename="agenda-item")
router.register("decisions", api.DecisionViewSet, basename="decision")
router.register("action-items", api.ActionItemViewSet, basename="action-item")

urlpatterns = [
    *router.urls,
    path(
        "notes-dispatches/<int:pk>/",
        NotesDispatchView.as_view(),
        name="meeting-notes-dispatch",
    ),
]
