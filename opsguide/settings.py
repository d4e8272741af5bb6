"""Settings for OpsGuide: one module, reading from the environment what differs between machines."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    """Return an environment variable read as a boolean."""
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG", False)

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development use `make run`, which turns debug on."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.getenv("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "comparisons",
    "quizzes",
    "content",
    "review",
    "onboarding",
    "opsguide",  # its management commands (backup_sqlite)
]

MIDDLEWARE = [
    "opsguide.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history (admin saves, actions, reverts).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "opsguide.urls"

# One engine for the site and the admin: Django's, with django-template-partials
# (added to INSTALLED_APPS, it wraps the loaders) for the htmx fragments.
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
                "opsguide.context_processors.navigation",
                "review.context_processors.review_due",
            ],
        },
    },
]

WSGI_APPLICATION = "opsguide.wsgi.application"

# SQLite is the zero-setup default. WAL lets readers work while one connection
# writes, and IMMEDIATE transactions take the write lock up front so that two
# writers queue (up to the timeout) instead of failing with "database is locked".
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.getenv("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

# Redis, when REDIS_URL is set, is shared by every instance. django-redis lets
# the default cache shrug off a Redis outage: a failed read is a miss and a
# failed write is skipped, so pages, sessions (backed by the
# database) and content keep being served while it is down. Rate limits count
# in their own alias, which page traffic cannot evict; while Redis is down they
# count in the database instead (opsguide/ratelimit.py).
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    REDIS_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "opsguide",
            "OPTIONS": {**REDIS_OPTIONS, "IGNORE_EXCEPTIONS": True},
        },
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "opsguide-limits",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    # Not one log line per failed cache call (eight a page while Redis is
    # down): opsguide.ratelimit warns once a minute per process instead.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    # One process's memory: right for `make run` and one gunicorn worker's
    # disposable copies. Rate limits then count in the database.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "opsguide",
        }
    }

# Spaced review (review/scheduling.py): the cards offered per day at most, most
# overdue first, and FSRS's fuzzing, which spreads cards learned together.
REVIEW_DAILY_LIMIT = int(os.getenv("DJANGO_REVIEW_DAILY_LIMIT", "50"))
REVIEW_FUZZING = True

# Copies that never go stale, because their keys carry the content version or
# the deploy's template hash (quizzes, cards, the page chrome): each process
# keeps its own, saving a Redis round trip each on every request.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "opsguide-local",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Sessions live in the database. With Redis, which every instance shares, they
# are also kept there (read on most requests); without it they are not: a copy
# in one worker's memory would let a logged-out cookie go on working on the
# others (tests/test_shared_sessions.py).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# Anonymous sessions and quiz attempts idle for longer are deleted by
# `manage.py prune_anonymous`, run from cron (DEPLOY.md).
ANONYMOUS_RETENTION_DAYS = int(os.getenv("DJANGO_ANONYMOUS_RETENTION_DAYS", "30"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_flag("DJANGO_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "onboarding:me"
LOGOUT_REDIRECT_URL = "home"

# Password-reset mail goes to the console unless an SMTP server is configured.
if os.getenv("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.getenv("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "OpsGuide <opsguide@localhost>")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

HTTPS = env_flag("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer checks health over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# A strict policy: scripts, styles, images and requests from this site only, no
# inline script or style, no framing. htmx is configured (see _base.html) to
# need neither inline styles nor eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Requests per client and window (seconds), refused with 429 beyond that.
RATE_LIMITS = {
    "login": (60, 60),  # per address: an office behind one NAT logs in at nine
    "login_user": (10, 60),  # per username: guessing one account's password
    "password_reset": (5, 300),
    "signup": (10, 300),
    "start": (300, 60),
    "answer": (90, 60),
    "dispute": (10, 60),
    # Per address, beside the per-session limits above: sessions are free, so a
    # flood from one address must meet a ceiling too. The ceilings leave room
    # for a company behind one NAT: 200 learners answering every five seconds
    # make 2,400 answers a minute (tests/test_security.py plays 50 at once).
    "start_ip": (600, 60),
    "answer_ip": (3000, 60),
    "dispute_ip": (30, 60),
}
# Benchmarks and capacity runs replay one learner's requests from one address.
RATE_LIMITS_OFF = env_flag("DJANGO_RATE_LIMITS_OFF", False)
# `make bench` measures every page against a trivial view served only then.
BENCHMARK_BASELINE = env_flag("DJANGO_BENCH_BASELINE", False)
# The load balancers and proxies in front of the app (addresses or networks,
# comma-separated). X-Forwarded-For and X-Request-ID are believed only from them.
TRUSTED_PROXIES = [
    proxy.strip() for proxy in os.getenv("DJANGO_TRUSTED_PROXIES", "").split(",") if proxy.strip()
]

# One JSON object per line on standard output, each with the request's id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "opsguide.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "opsguide.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request log below says the same, once per request and with timings.
        "django.server": {"level": "WARNING"},
    },
}
