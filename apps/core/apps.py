from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "ExPr platform"

    def ready(self) -> None:
        from . import dashboard

        # Core owns the registry, so it collects every app's panels.py; an app's own
        # ready() registers none.
        dashboard.autodiscover()
