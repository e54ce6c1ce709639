from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from apps.core.dashboard import register_panel

        from . import panels

        # Every app's meeting_hooks.py registers its agenda sources and decision kinds.
        autodiscover_modules("meeting_hooks")
        register_panel(
            "My action items",
            "meetings/panels/my_action_items.html",
            panels.my_action_items,
            order=20,
        )
        register_panel(
            "Next meeting", "meetings/panels/next_meeting.html", panels.next_meeting, order=10
        )
