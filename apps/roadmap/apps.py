from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    label = "roadmap"
    verbose_name = "Research plans and roadmap"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Evidence at decision points comes from the apps that own it (see hooks.py).
        autodiscover_modules("roadmap_hooks")
