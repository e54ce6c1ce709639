from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    label = "roadmap"
    verbose_name = "Research plans and roadmap"

    def ready(self) -> None:
        from apps.core.dashboard import register_panel

        from . import panels

        register_panel(
            "Decision points ahead",
            "roadmap/panels/decision_points.html",
            panels.decision_points_ahead,
            order=30,
        )
        register_panel(
            "Latest decisions",
            "roadmap/panels/recent_decisions.html",
            panels.recent_decisions,
            order=40,
        )
