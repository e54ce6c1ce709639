from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "apps.backlog"
    label = "backlog"
    verbose_name = "Hypothesis backlog"

    def ready(self):
        from apps.core.dashboard import register_panel

        from . import panels, signals  # noqa: F401  (signals connects the receivers)

        register_panel(
            "Waiting for your score",
            "backlog/panels/awaiting_score.html",
            panels.awaiting_my_score,
            order=25,
        )
