from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "apps.experiments"
    label = "experiments"
    verbose_name = "Experiments"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import checklist  # noqa: F401  (registers this app's own launch checks)

        # Another capability gates launches from its own launch_checks.py (the conflicts
        # app: "no blocking conflicts"), never by editing the checklist.
        autodiscover_modules("launch_checks")
