"""Production: everything secret or site-specific must come from the environment.

It never falls back to the embedded defaults (a SQLite file, eager Celery, console email):
half-configured, it refuses to start. `python manage.py check --deploy` passes with no
warnings when SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and EMAIL_BACKEND
are set.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_required, env_str

SECRET_KEY = env_required("SECRET_KEY")

DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
}

# Without a broker, tasks would run inside the web request; beat's schedules would never run.
CELERY_BROKER_URL = env_required("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False

# These backends only pretend to deliver, while the services record digests and updates as
# sent: in production that loses mail silently.
_UNDELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
EMAIL_BACKEND = env_required("EMAIL_BACKEND")
if EMAIL_BACKEND in _UNDELIVERING_EMAIL_BACKENDS:
    raise ImproperlyConfigured(f"EMAIL_BACKEND {EMAIL_BACKEND} delivers no mail")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /healthz is polled by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
