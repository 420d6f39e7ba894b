"""Production: everything from the environment; refuses to start without a secret key
and allowed hosts."""

from .base import *  # noqa: F403
from .base import SITE_URL
from .environment import ConfigError, read

DEBUG = read("DEBUG", "bool", default=False)
SECRET_KEY = read("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ConfigError("SECRET_KEY is too short: use at least 50 random characters")
ALLOWED_HOSTS = read("ALLOWED_HOSTS", "list")
if not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS is required but empty")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SERVE_MEDIA = read("SERVE_MEDIA", "bool", default=False)
DEMO_CONTENT_ALLOWED = False  # seed_demo needs --allow-production

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = read("SECURE_SSL_REDIRECT", "bool", default=True)
SECURE_HSTS_SECONDS = read("SECURE_HSTS_SECONDS", "int", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
