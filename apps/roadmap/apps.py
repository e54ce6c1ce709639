from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    label = "roadmap"
    verbose_name = "Research plans and roadmap"
