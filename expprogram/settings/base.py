"""Settings shared by every environment; everything that differs comes from the environment.

The embedded default (no env vars) is a SQLite file in the project and Celery in eager
mode, so `make run` needs nothing installed. Production and CI set DATABASE_URL,
CELERY_BROKER_URL and REDIS_URL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A stale or missing form token gets the site's styled 403 saying what to do, not Django's bare one.
CSRF_FAILURE_VIEW = "apps.core.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.stats",
    "apps.backlog",
    "apps.meetings",
    "apps.roadmap",
    "apps.experiments",
    "apps.conflicts",
    "apps.knowledge",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.DatabaseBusyMiddleware",
    # Last, so it sees the answer of the view that recorded a lockout and replaces it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "expprogram.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "expprogram.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` serves requests on threads. WAL lets readers work beside the one writer;
    # IMMEDIATE takes the write lock when a transaction begins, so two writers queue on
    # the busy timeout instead of failing mid-transaction with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes comes first: it refuses a locked-out person before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 15
# minutes; locking by username alone would let anyone lock a colleague out on purpose.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.lockout.client_ip"
# How many reverse proxies append to X-Forwarded-For in front of the app. With 0 the
# header is ignored: trusting it unconditionally would let a client pick a fresh address
# for every guess and escape both the lockout and the throttle.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
# A reset link works for an hour, not Django's default of three days.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set (production, CI), otherwise in-process memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ExPr <expr@localhost>")
# Where emails link to: jobs send mail with no request to build an address from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Celery: with no broker configured, tasks run in-process (eager) — the embedded default.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_ACKS_LATE = True
# A task that dies with its worker is redelivered rather than lost; acks_late needs it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# How long Redis keeps a job a dead worker had taken before handing it to another: longer
# than the longest job (the time limit above), or a slow pull would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        env_str("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 60)) or 0
    )
}
# The first retry of a failed pull waits up to this many seconds, doubling each time.
EXPERIMENTS_PULL_RETRY_BACKOFF = int(env_str("EXPERIMENTS_PULL_RETRY_BACKOFF", "60") or 60)
# The demo's generated warehouse (seed_demo writes it) and how many units each test holds.
EXPERIMENTS_DEMO_WAREHOUSE = env_str(
    "EXPERIMENTS_DEMO_WAREHOUSE", str(BASE_DIR / "var" / "demo-warehouse.duckdb")
)
EXPERIMENTS_DEMO_UNITS = int(env_str("EXPERIMENTS_DEMO_UNITS", "20000") or 20000)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "apps.core.tasks.worker_heartbeat",
        "schedule": timedelta(minutes=1),
    },
    # Each owner's overdue and due-soon action items, once a day (the service records
    # who got today's digest, so a second run sends nothing).
    "meetings-action-item-digest": {
        "task": "apps.meetings.tasks.send_action_item_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Hourly: drafts the agenda of meetings starting within two days that have none yet.
    "meetings-draft-upcoming-agendas": {
        "task": "apps.meetings.tasks.draft_upcoming_agendas",
        "schedule": crontab(minute=15),
    },
    # Keeps each series scheduled a few meetings ahead.
    "meetings-extend-series": {
        "task": "apps.meetings.tasks.extend_meeting_series",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each running experiment's pull is due once per its refresh interval (hourly by
    # default); the slot in the snapshot's unique key makes a doubled tick queue one pull.
    "experiments-schedule-pulls": {
        "task": "apps.experiments.tasks.schedule_pulls",
        "schedule": timedelta(minutes=5),
    },
    # Every experiment in review, approved or running compared with the rest: conflicts
    # opened, updated and resolved (idempotent, so a redelivered run changes nothing).
    "conflicts-scan-hourly": {
        "task": "apps.conflicts.tasks.scan_conflicts",
        "schedule": crontab(minute=40),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous requests a 401, not a 403.
        "apps.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a depth limit and no lone surrogates; the form parsers decode bytes with
    # replacement characters, so they cannot produce a surrogate.
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Scoped throttles only: the token endpoint, where passwords are guessed.
    "DEFAULT_THROTTLE_RATES": {"auth": "10/min"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ExPr API",
    "DESCRIPTION": "The experimentation program: working groups, backlog, meetings, roadmap, "
    "experiments, statistics and knowledge base.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error envelope is declared once, then the shared enums are named (the enum hook
    # rebuilds the components, the Error one included).
    "POSTPROCESSING_HOOKS": [
        "apps.core.api_errors.declare_error_responses",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
    # Several components have a `status` field; name each choice set once, stably.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "apps.roadmap.models.PlanStatus",
        "DispatchStatusEnum": "apps.roadmap.models.DispatchStatus",
        "MeetingKindEnum": "apps.meetings.models.Kind",
        "MeetingStatusEnum": "apps.meetings.models.Meeting.Status",
        "ActionItemStatusEnum": "apps.meetings.models.ActionItem.Status",
        "AgendaItemMoveDirectionEnum": "apps.meetings.services.MOVE_DIRECTIONS",
        "DirectionEnum": "apps.backlog.models.Direction",
        "KindEnum": "apps.accounts.models.BusinessUnit.Kind",
        "RoleEnum": "apps.accounts.models.Role",
        "MethodEnum": "apps.stats.engine.settings.Method.choices",
        # The experiments' choice sets share field names (and some values) with the ones
        # above: each gets its own name, so those above keep theirs.
        "AnalysisMethodEnum": "apps.experiments.models.AnalysisMethod",
        "ExperimentCorrectionEnum": "apps.experiments.models.Correction",
        "MetricKindEnum": "apps.experiments.models.MetricKind",
        "MetricDirectionEnum": "apps.experiments.models.Direction",
        "MetricRoleEnum": "apps.experiments.models.MetricRole",
        "DataSourceKindEnum": "apps.experiments.models.SourceKind",
        "ExperimentStatusEnum": "apps.experiments.models.Status",
        "ConflictKindEnum": "apps.conflicts.models.Kind",
        "ConflictStatusEnum": "apps.conflicts.models.ConflictStatus",
        "ConflictSeverityEnum": "apps.conflicts.models.Severity",
        "InteractionVerdictEnum": "apps.conflicts.models.Verdict",
    },
}

# Content-Security-Policy: scripts and styles come from our own static files only. No
# inline code, style="" attributes or eval (htmx runs with allowEval off); a page that must
# inline something (the Swagger UI) marks it with {{ request.csp_nonce }}, and the nonce is
# added to the header only on such pages. data: images are those the Swagger UI CSS embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
