"""PromptVault settings.

Everything that differs between machines comes from the environment (12-factor), read with
django-environ. ``DJANGO_ENV`` picks the profile: ``development`` (the default: SQLite, DEBUG,
console email) or ``production`` (every secret required, secure cookies, compressed static
files). Test settings live in ``promptvault/test_settings.py``.
"""

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development").strip().lower()
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, production or test (got {DJANGO_ENV!r})."
    )
PRODUCTION = DJANGO_ENV == "production"


def required(name: str) -> str:
    """Read a setting production cannot run without, failing with a message that names it."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_ENV=production (see .env.example and the README)."
        )
    return value


# --- Core -----------------------------------------------------------------------------------

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="django-insecure-development-only-key-never-use-in-production"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_tasks_db",
    # The API's docs page (Swagger UI) and its assets, served from our static files.
    "ninja",
    "apps.accounts",
    "apps.prompts",
    "apps.sharing",
    "apps.teams",
    "apps.imports",
    "apps.templates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "promptvault.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Between WhiteNoise (static files keep their public lifetime) and the session middleware
    # (whose Vary: Cookie it must see): promptvault/headers.py.
    "promptvault.headers.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which is the first to read a form: too large gets the 413 page.
    "promptvault.request_limits.RequestTooLargeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, inside the CSP middleware: with DEBUG on, a 404 still shows the product's page.
    "promptvault.error_pages.NotFoundPageMiddleware",
]

ROOT_URLCONF = "promptvault.urls"
WSGI_APPLICATION = "promptvault.wsgi.application"
ASGI_APPLICATION = "promptvault.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "promptvault.context_processors.product",
            ],
            # `{% icon %}` is used by most templates, base.html included: no {% load %} needed.
            "builtins": ["promptvault.icons"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL is the pooled URL the app uses (e.g. Neon's pooler). Migrations need a direct
# connection, so `manage.py migrate` switches to DATABASE_URL_UNPOOLED when it is set.

if PRODUCTION:
    required("DATABASE_URL")
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
RUNNING_MIGRATIONS = len(sys.argv) > 1 and sys.argv[1] == "migrate"
if RUNNING_MIGRATIONS and env.str("DATABASE_URL_UNPOOLED", default=""):
    DATABASES["default"] = env.db("DATABASE_URL_UNPOOLED")

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DATABASE_POOL", default=False) and not RUNNING_MIGRATIONS:
        # psycopg's own pool inside each process; persistent connections must then be off.
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A transaction-mode pooler (PgBouncer, Neon) cannot keep server-side cursors open.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL and a busy timeout let the web process and the task worker share one SQLite file.
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Failed log-ins allowed per address and per account inside the window before a pause.
LOGIN_THROTTLE_ATTEMPTS = env.int("LOGIN_THROTTLE_ATTEMPTS", default=5)
LOGIN_THROTTLE_WINDOW = env.int("LOGIN_THROTTLE_WINDOW", default=15 * 60)
# Mail the site sends on request, counted inside ACCOUNT_MAIL_WINDOW seconds: password-reset
# requests per address asked about and per client address, and confirmation links (sign-up,
# e-mail change) per account. Requests past a limit are refused until the window ends.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
ACCOUNT_MAIL_LIMIT = env.int("ACCOUNT_MAIL_LIMIT", default=5)
ACCOUNT_MAIL_WINDOW = env.int("ACCOUNT_MAIL_WINDOW", default=60 * 60)

# --- Cache ----------------------------------------------------------------------------------
# Redis when REDIS_URL is set (shared by every web process: log-in throttling and rate limits
# hold across the fleet); otherwise each process keeps its own memory cache.

if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its Redis client (promptvault/cache.py).
            "BACKEND": "promptvault.cache.SharedClientRedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With a shared cache, a signed-in request reads its session from it instead of the database;
# sessions are still written through to the database, so a flushed cache logs nobody out.
if env.str("REDIS_URL", default=""):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The vault page's sidebar (folder and tag counts) is cached per vault under a version the
# database moves with every write (apps/prompts/sidebar.py): exact with any cache, worth it
# when all processes share it.
VAULT_SIDEBAR_CACHE = env.bool("VAULT_SIDEBAR_CACHE", default=bool(env.str("REDIS_URL", "")))
VAULT_SIDEBAR_TTL = env.int("VAULT_SIDEBAR_TTL", default=60 * 60)

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the source folders without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# The most characters a prompt's content holds. The form data limit above is sized so the
# editor's form with every field at its longest still fits; the 413 page names both.
PROMPT_CONTENT_MAX = 200_000

# --- Email ----------------------------------------------------------------------------------

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587. Without it, development prints
# mail to the console (so password-reset and invite links can be followed) and production sends
# through an SMTP server on localhost:25.
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                key: value
                for key, value in {
                    "host": _email.get("EMAIL_HOST"),
                    "port": _email.get("EMAIL_PORT"),
                    "username": _email.get("EMAIL_HOST_USER"),
                    "password": _email.get("EMAIL_HOST_PASSWORD"),
                    "use_tls": _email.get("EMAIL_USE_TLS"),
                    "use_ssl": _email.get("EMAIL_USE_SSL"),
                    "timeout": env.int("EMAIL_TIMEOUT", default=10),
                }.items()
                if value not in (None, "")
            }
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {},
        }
    }
elif PRODUCTION:
    # Without EMAIL_URL, production hands mail to an MTA on the same host, as Django always has.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 10},
        }
    }
else:
    # Printed whole and unencoded, so a reset or invite link can be copied from the terminal.
    MAILERS = {"default": {"BACKEND": "promptvault.mail.ConsoleEmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PromptVault <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Security -------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Tag colours and progress widths are inline style attributes; no script can run from CSS.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The checkout and billing buttons post here and are redirected to Stripe's pages; browsers
    # hold such redirects to form-action too.
    "form-action": [CSP.SELF, "https://checkout.stripe.com", "https://billing.stripe.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (promptvault/headers.py): every powerful feature the pages never use is
# off, for our pages and anything they might embed. The copy buttons write to the clipboard;
# clipboard-read is left at the browser's default, which asks the person first. Only names
# Chromium knows: an unknown one is a console warning on every page.
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "otp-credentials",
            "payment",
            "picture-in-picture",
            "publickey-credentials-create",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "window-management",
            "xr-spatial-tracking",
        ],
        (),
    ),
    "clipboard-write": ["self"],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The product's own page for a refused form, in every mode, instead of Django's bare 403.
CSRF_FAILURE_VIEW = "promptvault.views.csrf_failure"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Browsers accept a __Host- cookie only from https, with Path=/ and no Domain (Django's
    # defaults, left alone here), so no subdomain or plain-http page can plant or overwrite
    # it. Development keeps the plain names, which http://127.0.0.1 can set. The htmx CSRF
    # header comes from the page (base.html), never from reading this cookie.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging (stdout; JSON lines in production) ---------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "promptvault.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if PRODUCTION else "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Product --------------------------------------------------------------------------------

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_PRICE_PRO = env.str("STRIPE_PRICE_PRO", default="")
STRIPE_PRICE_ENTERPRISE = env.str("STRIPE_PRICE_ENTERPRISE", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# The Stripe API version every request asks for, pinned to the one the installed SDK was built
# against, so Stripe's answers keep the shape the code reads whatever the account's default.
STRIPE_API_VERSION = env.str("STRIPE_API_VERSION", default="2026-10-28.endive")
# Days a subscription whose payment failed keeps its plan before the account drops to Free.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)

OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
# Seconds to wait for the model's answer before telling the person it took too long.
OPENAI_TIMEOUT = env.float("OPENAI_TIMEOUT", default=30)
# AI rewrites one person may ask for per hour, by the plan of the vault they work in.
LLM_OPTIMIZATIONS_PER_HOUR_PRO = env.int("LLM_OPTIMIZATIONS_PER_HOUR_PRO", default=20)
LLM_OPTIMIZATIONS_PER_HOUR_ENTERPRISE = env.int(
    "LLM_OPTIMIZATIONS_PER_HOUR_ENTERPRISE", default=100
)

# How many proxies (load balancers) stand in front of the app and append to X-Forwarded-For;
# 0 trusts only the connection's own address. Log-in throttling and rate limits count per client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Requests each API key may make per minute (counted in the cache: Redis shares it).
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)
# Bytes of API answers each process keeps, keyed on the vault's data version so never stale
# (apps/prompts/api/cached.py); 0 keeps none.
API_ANSWER_CACHE_BYTES = env.int("API_ANSWER_CACHE_BYTES", default=32 * 1024 * 1024)
# Views a single client address may make of share links and public prompts per minute.
PUBLIC_RATE_LIMIT_PER_MINUTE = env.int("PUBLIC_RATE_LIMIT_PER_MINUTE", default=120)
# Searches of the public gallery per minute: anonymous ones per client address, signed-in ones
# per account. A search costs far more than a page view; typing pauses each send one.
GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE = env.int("GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE", default=30)
GALLERY_SEARCH_RATE_LIMIT_SIGNED_IN_PER_MINUTE = env.int(
    "GALLERY_SEARCH_RATE_LIMIT_SIGNED_IN_PER_MINUTE", default=120
)
# Prompt checks per account per minute. The editor sends one when typing pauses for 400 ms,
# so people typing stay far below it; it stops a script from running the analyzer flat out.
ANALYZER_RATE_LIMIT_PER_MINUTE = env.int("ANALYZER_RATE_LIMIT_PER_MINUTE", default=120)

IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
IMPORT_MAX_ZIP_ENTRIES = env.int("IMPORT_MAX_ZIP_ENTRIES", default=10_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", default=2 * 1024 * 1024 * 1024
)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=200)
# Prompt text kept from one upload: reading stops there and the import says so.
IMPORT_MAX_CANDIDATE_BYTES = env.int("IMPORT_MAX_CANDIDATE_BYTES", default=50 * 1024 * 1024)
# Days an upload may wait in review before `cleanup` clears its candidates and expires it.
IMPORT_REVIEW_MAX_AGE_DAYS = env.int("IMPORT_REVIEW_MAX_AGE_DAYS", default=7)
