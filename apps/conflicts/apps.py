from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "apps.conflicts"
    label = "conflicts"
    verbose_name = "Conflicts"

    def ready(self):
        from . import signals  # noqa: F401  (re-checks an experiment when it is saved)
