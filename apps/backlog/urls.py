"""Backlog pages."""

from apps.core.sections import backlog as _coming

app_name = "backlog"

urlpatterns = _coming[0]
