"""Settings for pytest: fast hashing, locmem cache, mail in memory. DATABASE_URL and
REDIS_URL, when set, point the suite at real PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import REDIS_URL, VAR_DIR

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

# Parallel workers (pytest-xdist) share one Redis: give each its own channel-layer and cache
# namespace, so one worker's groups, rate limits and presence never reach another's.
_worker = __import__("os").environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"asgi-{_worker}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"cc-{_worker}"

# Index updates at once, in the committing thread, so a test sees them on its next line;
# tests/search/test_outbox.py covers the deferred processing.
SEARCH_OUTBOX_DELAY = 0

# Tasks run at once, in the calling thread (mail after commit is sent on the commit).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
