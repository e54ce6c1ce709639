"""Roadmap pages."""

from apps.core.sections import roadmap as _coming

app_name = "roadmap"

urlpatterns = _coming[0]
