from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "apps.backlog"
    label = "backlog"
    verbose_name = "Hypothesis backlog"
