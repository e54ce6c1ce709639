"""Meetings pages."""

from apps.core.sections import meetings as _coming

app_name = "meetings"

urlpatterns = _coming[0]
