"""The embedded default used by `make run`: no service needed."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

if not SECRET_KEY:  # noqa: F405
    # Generated once and kept, so sessions survive a restart.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

# Serve static files straight from the app folders, so no collectstatic is needed.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns if absent
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG  # noqa: F405

# `make run` has no nginx in front: Django compresses what it sends (the pages, and the
# static files WhiteNoise serves from the app folders), as nginx does in production.
MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    *MIDDLEWARE,  # noqa: F405
]
