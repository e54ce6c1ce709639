from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "apps.backlog"
    label = "backlog"
    verbose_name = "Hypothesis backlog"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
