from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's meeting_hooks.py registers its agenda sources and decision kinds.
        autodiscover_modules("meeting_hooks")
