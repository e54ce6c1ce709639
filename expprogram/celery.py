"""The Celery app: configured from Django settings (CELERY_*), tasks discovered per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expprogram.settings.production")

app = Celery("expprogram")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
