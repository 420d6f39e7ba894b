"""ASGI entry point for Daphne: HTTP to Django, websockets to the apps' routing."""

import gc
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.production")

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

try:
    django_asgi_app = get_asgi_application()
except ImproperlyConfigured as exc:
    # One line naming the variable, not a traceback.
    print(f"configuration error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None

from network.routing import application  # noqa: F401

# What is loaded by now lives as long as the process. Frozen, the cyclic garbage collector's
# full passes skip it: under load they otherwise walk the whole framework every few seconds
# and stall every socket for tens of milliseconds (docs/benchmarks.md).
gc.freeze()
