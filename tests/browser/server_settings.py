"""Settings of the Daphne process the browser tests drive: the test settings, with the mail
written to files the tests read, a cache the tests can empty between tests (a file cache, or
Redis when REDIS_URL is set) and errors logged to the server's log (var/browser-tests/)."""

import os

from network.settings.test import *  # noqa: F403
from network.settings.test import MIDDLEWARE, REDIS_URL

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["BROWSER_TEST_MAIL_DIR"]

# Compressed as `make run` compresses (network/settings/dev.py): the page-weight budgets
# measure what a browser receives.
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The server's local cache (Wagtail's site root paths, which name an earlier test's rows) in
# files the tests remove between tests; the shared one (rate limits) too, unless on Redis.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(os.environ["BROWSER_TEST_CACHE_DIR"], "default"),
    },
}
if not REDIS_URL:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(os.environ["BROWSER_TEST_CACHE_DIR"], "shared"),
    }

# Wagtail's editor autosaves every half second. A test fills a new page and publishes it
# faster than anyone types, so an autosave that creates the draft can cross the Publish
# request and the page is created twice ("slug already in use"). Editors keep autosave.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# The offline/online test posts twice a second for twenty rounds, faster than people post;
# the allowance itself is tested in tests/hubs.
THREADS_POST_RATE_LIMIT = 100
