"""Meetings pages."""

from django.urls import path, re_path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("calendar-token/", views.CalendarTokenView.as_view(), name="calendar-token"),
    path("<int:pk>/", views.MeetingView.as_view(), name="detail"),
    path("<int:pk>/draft/", views.DraftAgendaView.as_view(), name="draft"),
    path("<int:pk>/share/", views.ShareView.as_view(), name="share"),
    path("notes-dispatches/<int:pk>/", views.NotesDispatchView.as_view(), name="notes-dispatch"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/agenda/", views.AgendaItemAddView.as_view(), name="agenda-add"),
    path("<int:pk>/agenda/order/", views.AgendaOrderView.as_view(), name="agenda-order"),
    path("<int:pk>/decisions/", views.DecisionCreateView.as_view(), name="decision-add"),
    path("<int:pk>/action-items/", views.ActionItemCreateView.as_view(), name="action-add"),
    path("<int:pk>/notes.md", views.MarkdownView.as_view(), name="markdown"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="ics"),
    re_path(
        r"^agenda/(?P<pk>[0-9]+)/move/(?P<direction>up|down)/$",
        views.AgendaItemMoveView.as_view(),
        name="agenda-move",
    ),
    path("agenda/<int:pk>/edit/", views.AgendaItemEditView.as_view(), name="agenda-edit"),
    path("agenda/<int:pk>/remove/", views.AgendaItemRemoveView.as_view(), name="agenda-remove"),
    path("agenda/<int:pk>/notes/", views.NotesView.as_view(), name="notes"),
    path(
        "action-items/<int:pk>/status/",
        views.ActionItemStatusView.as_view(),
        name="action-status",
    ),
    path(
        "groups/<slug:slug>/action-items/",
        views.GroupActionItemsView.as_view(),
        name="action-items",
    ),
    re_path(
        r"^groups/(?P<slug>[-\w]+)/sessions/new/(?P<about>action-item|hypothesis)-(?P<about_pk>[0-9]+)/$",
        views.WorkingSessionCreateView.as_view(),
        name="session-new",
    ),
    path("groups/<slug:slug>/series/new/", views.SeriesCreateView.as_view(), name="series-new"),
    path("series/<int:pk>/generate/", views.SeriesGenerateView.as_view(), name="series-generate"),
    path("feed/<str:token>/series-<int:pk>.ics", views.SeriesFeedView.as_view(), name="feed"),
]
