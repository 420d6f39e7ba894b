"""Settings shared by every environment. Backends come from the environment (12-factor);
unset variables give the embedded defaults: SQLite, in-memory channel layer, embedded
search, mail to files."""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from network.logging import config as logging_config

from . import environment
from .environment import read

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(read("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = read("DEBUG", "bool", default=False)
SECRET_KEY = read("SECRET_KEY", default="")
ALLOWED_HOSTS = read("ALLOWED_HOSTS", "list", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = read("CSRF_TRUSTED_ORIGINS", "list", default=[])
# How many proxies of ours stand in front of the application (nginx: 1). The client's address
# is read that many places from the right of X-Forwarded-For; 0 trusts no header at all.
TRUSTED_PROXY_COUNT = read("TRUSTED_PROXY_COUNT", "int", default=0)
# Seconds a Daphne process (network.server) lets requests and sockets in flight finish after
# SIGTERM before it cancels them; below systemd's TimeoutStopSec (deploy/systemd).
SHUTDOWN_TIMEOUT = read("SHUTDOWN_TIMEOUT", "float", default=10.0)
# The port `make run` serves on (PORT); links in mail follow it unless SITE_URL says otherwise.
PORT = read("PORT", "int", default=8000)
SITE_URL = read("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
# The site's own name: in mail, page titles, and Django's and Wagtail's Site records.
SITE_NAME = read("SITE_NAME", default="Connective Cities")

INSTALLED_APPS = [
    "daphne",
    "core",
    "network",
    "members",
    "hubs",
    "goodpractices",
    "calls",
    "events",
    "notifications",
    "search",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "members.apps.MembersWagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "guardian",
    "channels",
    "django_countries",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "network.middleware.RequestIdMiddleware",
    "network.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.language.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.ConsentRequiredMiddleware",
    "core.middleware.ActionErrorMiddleware",
    "network.csp.SiteCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "network.urls"
# Widgets render from the project's templates first: free-text inputs carry dir="auto"
# (templates/django/forms/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ASGI_APPLICATION = "network.asgi.application"
WSGI_APPLICATION = "network.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.site",
                "hubs.context_processors.coordinator_nav",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Backends -----------------------------------------------------------------

DATABASES = {"default": environment.database(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = environment.optional_url("REDIS_URL", environment.REDIS_SCHEMES)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500, "expiry": 30},
        }
    }
else:
    # Channels' own layer (the thread relays keep a thread's group at one member per
    # process: docs/benchmarks.md). The same capacity as on Redis: with the default (100) a
    # consumer that falls 100 messages behind in a busy thread has further messages dropped
    # without notice (measured by tests/load/test_fanout.py).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1500},
        }
    }
# `default` is local to each process (Wagtail's site root paths: pages never need Redis);
# `shared` holds what must hold across processes (allauth's and posting's rate limits,
# presence's key namespace), on Redis when REDIS_URL is set, failing open while Redis is
# away (network/cache.py, docs/deploy.md).
CACHES = environment.caches(REDIS_URL)

# Background tasks (core/tasks.py): the database backend everywhere, in development as at
# scale (PostgreSQL's SKIP LOCKED lets many workers share the queue); `manage.py db_worker`
# runs them (`make run` starts one beside Daphne). Task results, failed ones with their
# traceback, are in the Django admin (/django-admin/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

ELASTICSEARCH_URL = environment.optional_url("ELASTICSEARCH_URL", environment.ELASTICSEARCH_SCHEMES)
ELASTICSEARCH_INDEX_PREFIX = read("ELASTICSEARCH_INDEX_PREFIX", default="cc")
# A secured cluster (Elasticsearch 8's default): an API key ("id:key" or the encoded form),
# and the cluster's CA file or its certificate's SHA-256 fingerprint (docs/search.md).
ELASTICSEARCH_API_KEY = read("ELASTICSEARCH_API_KEY", default="")
ELASTICSEARCH_CA_CERTS = read("ELASTICSEARCH_CA_CERTS", default="")
ELASTICSEARCH_SSL_FINGERPRINT = read("ELASTICSEARCH_SSL_FINGERPRINT", default="")
ELASTICSEARCH_VERIFY_CERTS = read("ELASTICSEARCH_VERIFY_CERTS", "bool", default=True)
ELASTICSEARCH_SHARDS = read("ELASTICSEARCH_SHARDS", "int", default=1)
ELASTICSEARCH_REPLICAS = read("ELASTICSEARCH_REPLICAS", "int", default=0)
ELASTICSEARCH_TIMEOUT = read("ELASTICSEARCH_TIMEOUT", "float", default=5.0)
ELASTICSEARCH_BULK_TIMEOUT = read("ELASTICSEARCH_BULK_TIMEOUT", "float", default=60.0)
ELASTICSEARCH_BULK_RETRIES = read("ELASTICSEARCH_BULK_RETRIES", "int", default=3)
ELASTICSEARCH_BULK_BACKOFF = read("ELASTICSEARCH_BULK_BACKOFF", "float", default=2.0)
# Further keyword arguments for the client (Python settings only).
ELASTICSEARCH_CLIENT_OPTIONS = {}
# Index updates leave the request and coalesce: a background task processes the outbox this
# many seconds after the commit that queued it; commits within that time ride along.
SEARCH_OUTBOX_DELAY = read("SEARCH_OUTBOX_DELAY", "float", default=1.0)

vars().update(environment.email(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = read("DEFAULT_FROM_EMAIL", default="Connective Cities <hubs@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Hub coordinators may enter the Wagtail admin to review their region's practices.
    "goodpractices.auth.CoordinatorAdminAccessBackend",
]
# Our user model has no username: no guardian anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# mandatory (default): no login before the address is confirmed; optional; none.
ACCOUNT_EMAIL_VERIFICATION = read("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise environment.ConfigError(
        "ACCOUNT_EMAIL_VERIFICATION must be one of mandatory, optional, none"
    )
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a button confirms: mail scanners must not
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# The same answer for a known and an unknown address (signup, password reset).
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's rate limits, kept in the shared cache (`shared`, network/apps.py).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"

# Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
# Pages in the four languages (wagtail-localize). A translation is served at the original's
# URL in the reader's language (cookie, Accept-Language or `?lang=`), never while a draft.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A machine-translation backend plugs in here (wagtail-localize's interface); none by
# default, so nothing leaves the site.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static and media ---------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Serve uploads from Django itself (the embedded setup); behind nginx, turn off.
SERVE_MEDIA = read("SERVE_MEDIA", "bool", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail ------------------------------------------------------------------

WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 50
# Review mail goes to the coordinators of the practice's hub only, not to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# No third-party avatar requests from the admin (privacy, and the CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# A practice approved in its regional review is published by the approval itself.
WAGTAIL_FINISH_WORKFLOW_ACTION = "goodpractices.workflows.publish_workflow_state"

# Security -----------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline script anywhere on the public site; 'self' covers same-origin websockets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The Wagtail admin (its widgets and the rich-text editor) needs inline script and style,
# blob: image previews, and frames its own previews; relaxed under /admin/ only.
CSP_ADMIN_PATH_PREFIX = "/admin/"
CSP_ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}

# Kosovo has no ISO 3166 code of its own yet; the network works with Mitrovica and others.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# Plain text by default; LOG_FORMAT=json for one JSON object per line (with the request id).
# Errors go to ADMINS by mail when ADMINS is set ("Name <address>, ...").
ADMINS = [(address, address) for address in read("ADMINS", "list", default=[])]
LOG_FORMAT = read("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise environment.ConfigError("LOG_FORMAT must be text or json")
LOGGING = logging_config(
    level=read("LOG_LEVEL", default="INFO"),
    fmt=LOG_FORMAT,
    admins=bool(ADMINS),
)

# One login door: the admin sends anonymous visitors to allauth's login, and Wagtail's account
# page neither resets passwords nor changes email addresses (allauth does both, with
# verification and rate limits).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# `seed_demo` creates accounts with the published demo password: production refuses it.
DEMO_CONTENT_ALLOWED = True
