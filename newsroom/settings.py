"""Newsroom settings: one module, driven by environment variables.

Every value a deployment may change is read here from the environment, with a
development default; the rest of the code reads ``settings.X`` only. README.md
lists each variable.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin as the desk: the dashboard is its home (articles/admin_site.py).
    "newsroom.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "reversion",
    "axes",
    "articles",
]

MIDDLEWARE = [
    # First, so that its line times and counts everything the others do.
    "newsroom.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]


def database(url):
    """One DATABASES entry for a URL, with the options its engine needs."""
    config = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE transactions take
        # the write lock up front, so concurrent writers queue on the busy timeout
        # instead of failing with "database is locked" half way through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Tests use a file, not shared-cache memory, so concurrent writers meet
        # the same locking as in production; one per process, so two test runs
        # never share it.
        config["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3")
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when the server is unreachable instead of hanging a worker.
        config.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
        # Server-side cursors cost three round trips per iterator() and break
        # behind a transaction-pooling PgBouncer; long scans page by key instead.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


# Database: DATABASE_URL, or an SQLite file beside manage.py.
DATABASES = {"default": database(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

# A read replica, optional: anonymous readers' GET requests read from it, and
# everything else (every write, the admin, signed-in API clients) uses the
# primary, so the desk always reads its own writes (newsroom/routers.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    # Tests read the replica from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "newsroom.routers.ReplicaReadsMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process-local memory otherwise. Several
# app servers need Redis: cached pages, throttles and the gazetteer version are
# shared through it. The backend is django-redis's (newsroom/cache.py), where
# an unreachable Redis is a miss, never an error page: each call gives up after
# REDIS_TIMEOUT_SECONDS, and Redis is left alone for REDIS_RETRY_SECONDS before
# it is tried again.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.5)
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "RETRY_SECONDS": env_float("REDIS_RETRY_SECONDS", 5),
            },
        }
    }
    # Sessions are written to the database and read from Redis: an editor stays
    # signed in when Redis restarts or is flushed, and a dead Redis only makes
    # the session read a query.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Without Redis, several processes must still share one cache: each keeping its
# own would serve a story retracted in another for the pages' lifetime, and
# count throttles and see entity changes alone. So production (DEBUG off) uses
# the database's cache table (`manage.py createcachetable`, run by `make serve`);
# CACHE_BACKEND=memory keeps one in each process, for one process only
# (runserver, the tests), and `check --deploy` warns about it.
CACHE_BACKEND = (
    "redis" if REDIS_URL else env_str("CACHE_BACKEND", "memory" if DEBUG else "database")
)
if CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
elif CACHE_BACKEND == "memory":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }
elif CACHE_BACKEND != "redis":
    raise ImproperlyConfigured(
        f"CACHE_BACKEND must be database or memory (or set REDIS_URL), not {CACHE_BACKEND!r}"
    )

# django-axes counts failed logins per username and address; the first backend
# refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# One way of writing dates and times across the desk (newsroom/formats/).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the app servers. In production run
# `STATIC_MANIFEST=1 manage.py collectstatic` once per release and set
# STATIC_MANIFEST=1: files get content-hashed names, cached for a year, and
# compressed. Without it (development, tests), files are found where they live,
# with no collectstatic and no manifest to miss.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=False)
# Pictures (articles/pictures.py): originals and renditions go through the default
# storage. The file system under MEDIA_ROOT by default, served at MEDIA_URL by the app
# (articles/views.py, media); MEDIA_STORAGE=s3 puts them in S3-compatible object storage
# through django-storages, with the bucket settings below; then MEDIA_URL is the
# bucket's or its CDN's address.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not env_str("MEDIA_BUCKET", ""):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_BUCKET, the bucket's name.")
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_BUCKET", ""),
            "endpoint_url": env_str("MEDIA_ENDPOINT_URL", "") or None,
            "region_name": env_str("MEDIA_REGION", "") or None,
            "access_key": env_str("MEDIA_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("MEDIA_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": env_str("MEDIA_CUSTOM_DOMAIN", "") or None,
            # Content-hashed names: a file never changes, so caches keep it a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "file_overwrite": False,
            "querystring_auth": False,
            "default_acl": None,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE is filesystem or s3, not {MEDIA_STORAGE!r}.")
# Limits on an uploaded picture: bytes, and pixels (a decompression bomb's promise).
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 40 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 100_000_000)
# What renditions keep of a picture's metadata: nothing else (no GPS, no camera serial).
IMAGE_KEPT_METADATA = env_list("IMAGE_KEPT_METADATA", ["credit", "copyright"])

STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Looked up per request, not listed at start-up: no scan of every app's files
# for each test client, and no warning about a STATIC_ROOT never collected.
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

# Security. Behind TLS in production; plain HTTP while DEBUG is on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload only takes effect once the domain is submitted to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGIN_URL = "admin:login"

# The editors' desk: how often a change form reports that it is open and
# saves what was typed, and how long after the last heartbeat an editor
# still counts as present.
PRESENCE_HEARTBEAT_SECONDS = env_int("PRESENCE_HEARTBEAT_SECONDS", 15)
PRESENCE_TIMEOUT_SECONDS = env_int("PRESENCE_TIMEOUT_SECONDS", 45)
AUTOSAVE_SECONDS = env_int("AUTOSAVE_SECONDS", 30)
# Public pages kept whole in the cache; any change to the newsroom makes them
# stale at once (articles/page_cache.py). 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# The public site's name, in feeds, structured data and page titles.
SITE_NAME = env_str("SITE_NAME", "Newsroom")
# Room for a story's longest body plus the rest of the form; a bigger request
# body, or more fields than any form of ours has, is a 400 before a view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Login brute force: LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address lock that pair out for LOGIN_LOCKOUT_MINUTES (admin and API
# token alike); each attempt while locked out starts the wait again.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "newsroom.logins.lockout_response"
# Behind a load balancer the client's address is in X-Forwarded-For: this many
# proxies of ours append to it (0: use the socket's address). Whatever lies to
# the left of what they appended is the client's word, and never trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


def client_address_settings(proxies):
    """How django-axes (through django-ipware) and DRF's throttles find the client's address.

    ipware counts only the proxies whose own addresses are in the header (the
    last one's is the socket's); DRF counts every proxy that appended to it.
    """
    if not proxies:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "NUM_PROXIES": 0}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
        "NUM_PROXIES": proxies,
    }


CLIENT_ADDRESS = client_address_settings(TRUSTED_PROXY_COUNT)
# Addresses a client put to the left of our proxies' are allowed, and ignored.
IPWARE_STRICT = False
AXES_IPWARE_META_PRECEDENCE_ORDER = CLIENT_ADDRESS["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = CLIENT_ADDRESS.get("AXES_IPWARE_PROXY_COUNT")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "articles.api.authentication.AdminSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON bodies only: what the API takes, and what its schema then declares.
    "DEFAULT_PARSER_CLASSES": ["articles.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["articles.api.renderers.FastJSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.NewsroomAutoSchema",
    "EXCEPTION_HANDLER": "articles.api.errors.handle_exception",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles key anonymous clients by address: the one our outermost proxy saw.
    "NUM_PROXIES": CLIENT_ADDRESS["NUM_PROXIES"],
    "URL_FORMAT_OVERRIDE": "format",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Articles, sources, people and places of the newsroom, with incremental sync, "
        "conditional requests and IPTC ninjs. Errors share one shape: "
        '{"error": {"status", "code", "message", "fields"?, "current_version"?}}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OutcomeEnum": "articles.api.serializers.WIRE_OUTCOMES",
        "PictureOutcomeEnum": "articles.api.serializers.PICTURE_OUTCOMES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.add_error_responses",
    ],
}

# One JSON line per request on stdout (newsroom/request_log.py), apart from
# the plain log on stderr; REQUEST_LOG=0 turns it off (the test run does).
REQUEST_LOG = env_bool("REQUEST_LOG", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "newsroom.request_log.JSONFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "loggers": {
        "newsroom.requests": {
            "handlers": ["requests"],
            "level": "INFO" if REQUEST_LOG else "WARNING",
            "propagate": False,
        },
        # django-axes announces its configuration at every start; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
