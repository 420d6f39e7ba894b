"""Settings of the page-serving benchmark's servers: the embedded defaults of `make run`
plus bench/urls.py, which adds the floor page. Never used by the site."""

from network.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
