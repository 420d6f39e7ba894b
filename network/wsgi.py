"""WSGI entry point for gunicorn: the HTTP side of the production layout (deploy/,
docs/deploy.md). Websockets are served by Daphne (network.asgi)."""

import gc
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.production")

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # One line naming the variable, not a traceback in every worker.
    print(f"configuration error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None

# What is loaded by now lives as long as the worker: frozen, the garbage collector's full
# passes skip it (as in asgi.py).
gc.freeze()
