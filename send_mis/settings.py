"""send-mis settings: one module, driven by the environment (django-environ).

Embedded default (no variables set): SQLite under var/, Celery tasks run eagerly, email to the console.
Production (DJANGO_ENV=production): DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS come from
the environment, and the process refuses to start on DEBUG, a missing or default secret, or no database URL.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="embedded")
IS_PRODUCTION = DJANGO_ENV == "production"
INSECURE_DEFAULT_SECRET = "embedded-insecure-secret-key-do-not-use-in-production"
# The placeholder in .env.example: long enough to pass the length rule, so a system check refuses it by name.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string-of-at-least-fifty-characters"

DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

if IS_PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if SECRET_KEY == INSECURE_DEFAULT_SECRET or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a long random value")
    if "DATABASE_URL" not in env:
        problems.append("DATABASE_URL must be set")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must be set")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "send_mis.apps.SendMisConfig",
    "send_mis.admin.SendMisAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "guardian",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pupils",
    "deadlines",
    "ehc",
    "provision",
    "safeguarding",
    "reports",
    "records",
    "demo",
    "overview",
]

MIDDLEWARE = [
    "send_mis.health.HealthCheckMiddleware",
    # A NUL byte in the address is refused before anything looks it up (send_mis/edges.py).
    "send_mis.edges.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files stay cacheable); sees every page and download on the way out.
    "send_mis.headers.PrivateResponsesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session past its idle timeout or its absolute limit is signed out (pupils/session_limits.py).
    "pupils.session_limits.SessionLimitsMiddleware",
    # Signed in with a password only: a second factor first (enrolment or a code), before any other page.
    "pupils.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "send_mis.urls"
WSGI_APPLICATION = "send_mis.wsgi.application"

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
                "overview.context_processors.navigation",
                "safeguarding.context_processors.navigation",
                "records.context_processors.navigation",
            ],
        },
    },
]

# Inputs and selects built in Python, the same markup as Django's templates (send_mis/widgets.py).
FORM_RENDERER = "send_mis.widgets.FastRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'send-mis.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A worker keeps its connection ten minutes (and the statements prepared on it, below), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600 if IS_PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement a connection runs a second time prepared: after five
    # executions with plans of their own, PostgreSQL keeps a generic plan where it costs no more, and stops
    # planning the statement at every request. Planning was most of the time of a small school's queries:
    # 4.8 ms of the 420-pupil dashboard's 8.7 ms of SQL. Django leaves preparing off for connection poolers; a
    # pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21, or without
    # max_prepared_statements) needs DATABASE_PREPARE_THRESHOLD=off.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="1").strip().lower()
    if not (_prepare.isdigit() or _prepare in ("", "off", "none")):
        raise ImproperlyConfigured(f"DATABASE_PREPARE_THRESHOLD must be a number of uses or off, not {_prepare!r}.")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(_prepare) if _prepare.isdigit() else None
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database keeps the scores' covering index as a plain one (SQLite has no INCLUDE): the same
    # answers, read from the table rather than the index alone, on a school's few thousand scores.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long a staff invitation link (to set a password) stays valid, in seconds.
STAFF_INVITATION_MAX_AGE = env.int("STAFF_INVITATION_MAX_AGE", default=7 * 24 * 60 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user row; grants are only ever made to named staff.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: three lockout rules, each with its own limit (pupils/throttling.py): wrong passwords for one
# username from one address, for one username from anywhere, and from one address for any username (higher: a
# school's staff share one address). The order of the parameters is the order of throttling.RULES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
SEND_MIS_USERNAME_FAILURE_LIMIT = env.int("SEND_MIS_USERNAME_FAILURE_LIMIT", default=15)
SEND_MIS_IP_FAILURE_LIMIT = env.int("SEND_MIS_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = 1  # hour, after the last failure a rule counted
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "pupils.throttling.LayeredLockoutHandler"
AXES_LOCKOUT_CALLABLE = "pupils.throttling.lockout_response"
# The number of reverse proxies in front of gunicorn that append to X-Forwarded-For (1 behind a TLS-terminating
# proxy); without it every sign-in would seem to come from the proxy and the per-address rule would lock everyone.
SEND_MIS_TRUSTED_PROXIES = env.int("SEND_MIS_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "pupils.throttling.client_ip"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# django-otp: authenticator-app codes (TOTP) and single-use recovery codes; the issuer names the app in the
# authenticator. Repeated wrong codes slow down exponentially (OTP_*_THROTTLE_FACTOR, in seconds).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="send-mis")

# django-auditlog keeps JSON diffs of every change with its actor.
AUDITLOG_STORE_JSON_CHANGES = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Tests that read mail from another process (the Celery integration test) name a backend and folder directly.
if "EMAIL_BACKEND" in env:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
# Every message is marked Auto-Submitted (send_mis/mail.py), then delivered by the backend EMAIL_URL names.
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
EMAIL_BACKEND = "send_mis.mail.AutoSubmittedBackend"
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
SEND_MIS_TEST_FAIL_NEXT_SEND = env.str("SEND_MIS_TEST_FAIL_NEXT_SEND", default="")
EMBEDDED_FROM_EMAIL = "send-mis <no-reply@send-mis.localhost>"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=EMBEDDED_FROM_EMAIL)
# The provision map's element-2 meter: additional SEN support per pupil a school meets from its notional SEN
# budget before the LA considers high-needs top-up (about 6,000 pounds nationally), and the share of it at which a
# pupil is listed as near the threshold.
ELEMENT2_THRESHOLD = env.str("ELEMENT2_THRESHOLD", default="6000.00")
ELEMENT2_NEAR_SHARE = env.str("ELEMENT2_NEAR_SHARE", default="0.85")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production; in the embedded mode tasks run eagerly in the web process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A test worker consumes its own queue, so parallel runs on one Redis never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Seconds before the first retry of an email after a transient SMTP error; doubled on each retry.
DEADLINE_SEND_RETRY_BACKOFF = env.int("DEADLINE_SEND_RETRY_BACKOFF", default=60)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# The cache holds whole pages with pupils' names for up to ten minutes (send_mis/pagecache.py): in production it
# is a Redis of its own that writes nothing to disk (docker-compose.yml), apart from the broker's, which must.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default=REDIS_URL)
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://")
    if not CACHE_REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
        # A cache that does not answer costs a page a second at most, never a hung worker.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    },
}
# Busy pages kept whole per session until the next write (send_mis/pagecache.py): only where the cache is
# shared by every process (Redis), never the in-process cache of the embedded default.
SEND_MIS_PAGE_CACHE = env.bool("SEND_MIS_PAGE_CACHE", default="locmem" not in CACHES["default"]["BACKEND"])
SEND_MIS_PAGE_CACHE_SECONDS = env.int("SEND_MIS_PAGE_CACHE_SECONDS", default=10 * 60)
# A busy page's statements compiled once per process for the same inputs (send_mis/statements.py); with the
# check on, every reuse is compiled anyway and compared, so a key that misses an input fails loudly.
SEND_MIS_STATEMENT_CHECK = env.bool("SEND_MIS_STATEMENT_CHECK", default=DEBUG)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60
# However active, a session ends this many hours after sign-in; the idle timeout is each school's setting.
SEND_MIS_SESSION_MAX_HOURS = env.int("SEND_MIS_SESSION_MAX_HOURS", default=8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Security headers: strict in production, harmless in the embedded mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp 4: the product has no JavaScript or inline style of its own; QR codes are inline SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Calendar feed tokens are credentials in a URL: redacted from every log line (send_mis/redaction.py).
    "filters": {"redact_secrets": {"()": "send_mis.redaction.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # Refusals (403, 404) are expected traffic; their tracebacks would only bury real errors.
        "django.request": {"level": "ERROR"},
    },
}

PAGE_SIZE = 50
