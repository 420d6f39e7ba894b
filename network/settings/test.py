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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

# Every message sent through the channel layer is round-tripped through JSON first, so an
# event that cannot be serialised fails its test (tests/channel_layers.py).
CHANNEL_LAYERS = {
    "default": {
        **CHANNEL_LAYERS["default"],  # noqa: F405
        "BACKEND": "tests.channel_layers."
        + ("RedisChannelLayer" if REDIS_URL else "InMemoryChannelLayer"),
    }
}

# Parallel workers (pytest-xdist) share one Redis: give each its own channel-layer and cache
# namespace, so one worker's groups, rate limits and presence never reach another's.
_worker = __import__("os").environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"asgi-{_worker}"
    CACHES["shared"]["KEY_PREFIX"] = f"cc-{_worker}"  # noqa: F405

# Tasks run for real, synchronously, when enqueued (after commit): a test sees their effect
# on its next line. tests/core/test_tasks.py runs them on the database backend and a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Index updates at once after commit; tests/search/test_outbox.py covers the deferred runs.
SEARCH_OUTBOX_DELAY = 0

# Tasks run in the test's own thread, at once (the queue's own tests use its backend).
if "TASKS" not in globals():
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
