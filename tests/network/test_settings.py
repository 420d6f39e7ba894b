"""Settings pick their backends from the environment, and bad values stop start-up with
one line naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], "
    "'layer': settings.CHANNEL_LAYERS['default']['BACKEND'], "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'shared': settings.CACHES['shared']['BACKEND'], "
    "'email': settings.EMAIL_BACKEND, 'es': settings.ELASTICSEARCH_URL}))"
)
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "EMAIL_URL")


def run_python(code, settings_module="network.settings.dev", **variables):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, VAR_DIR=str(ROOT / "var" / "probe"))
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def probe(**variables):
    result = run_python(PROBE, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults():
    found = probe()
    assert found == {
        "db": "django.db.backends.sqlite3",
        "layer": "channels.layers.InMemoryChannelLayer",
        "cache": "network.cache.LocalCache",
        "shared": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.filebased.EmailBackend",
        "es": "",
    }


def test_services_from_environment():
    found = probe(
        DATABASE_URL="postgres://cc@127.0.0.1:5432/cc",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        EMAIL_URL="smtp://mail.example:25",
    )
    assert found == {
        "db": "django.db.backends.postgresql",
        "layer": "channels_redis.core.RedisChannelLayer",
        "cache": "network.cache.LocalCache",  # per process: pages never need Redis
        "shared": "network.cache.FailOpenRedisCache",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "es": "http://127.0.0.1:9200",
    }


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DATABASE_URL": "mongodb://localhost/cc"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"ELASTICSEARCH_URL": "ftp://search"}, "ELASTICSEARCH_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
    ],
)
def test_malformed_variable_names_itself(variables, named):
    result = run_python(PROBE, **variables)
    assert result.returncode != 0
    assert named in result.stderr


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "hubs.example.org",
}


def manage(*args, **variables):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings.production", VAR_DIR=str(ROOT / "var" / "probe")
    )
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"ALLOWED_HOSTS": "hubs.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": PRODUCTION["SECRET_KEY"]}, "ALLOWED_HOSTS"),
        ({**PRODUCTION, "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({**PRODUCTION, "DATABASE_URL": "oracle://db/cc"}, "DATABASE_URL"),
        ({**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
    ],
)
def test_production_refuses_to_start_with_one_line(variables, named):
    result = manage("check", **variables)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


def test_asgi_start_up_refuses_with_one_line():
    env = {k: v for k, v in os.environ.items() if k not in (*SERVICE_VARIABLES, "SECRET_KEY")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["ALLOWED_HOSTS"] = "hubs.example.org"
    result = subprocess.run(
        [sys.executable, "-c", "import network.asgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: SECRET_KEY is required but not set"
    ]


def test_production_passes_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
