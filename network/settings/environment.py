"""Reading settings from the environment, failing with one clear line per bad variable."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}
ELASTICSEARCH_SCHEMES = {"http", "https"}


BOOLEAN_WORDS = {"1", "0", "true", "false", "yes", "no", "on", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


def read(name, cast="str", **kwargs):
    """Read NAME with django-environ's CAST, turning every failure into a ConfigError."""
    value = env.ENVIRON.get(name)
    if cast == "bool" and value is not None and value.strip().lower() not in BOOLEAN_WORDS:
        raise ConfigError(f"{name} must be one of true/false, yes/no, on/off, 1/0")
    try:
        return getattr(env, cast)(name, **kwargs)
    except ConfigError:
        raise
    except (ImproperlyConfigured, ValueError, KeyError, TypeError) as exc:
        if name not in env.ENVIRON:
            raise ConfigError(f"{name} is required but not set") from None
        raise ConfigError(f"{name} is malformed ({exc})") from None


def require_scheme(name, url, schemes):
    scheme = urlsplit(url).scheme
    if scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in sorted(schemes))
        raise ConfigError(f"{name} has unsupported scheme {scheme!r}; use one of {allowed}")
    return url


def database(default_path: Path):
    url = read("DATABASE_URL", default=f"sqlite:///{default_path}")
    require_scheme("DATABASE_URL", url, DATABASE_SCHEMES)
    try:
        config = env.db_url_config(url)
    except (ImproperlyConfigured, ValueError, KeyError) as exc:
        raise ConfigError(f"DATABASE_URL is malformed ({exc})") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL names no SQLite file")
        config["OPTIONS"] = {
            # WAL lets readers go on while Daphne's threads write; IMMEDIATE avoids
            # "database is locked" on upgrade from a read to a write transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def optional_url(name, schemes):
    url = read(name, default="")
    if url:
        require_scheme(name, url, schemes)
    return url


def email(default_dir: Path):
    url = read("EMAIL_URL", default="")
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(default_dir),
        }
    try:
        config = env.email_url_config(url)
    except (ImproperlyConfigured, ValueError, KeyError) as exc:
        raise ConfigError(f"EMAIL_URL is malformed ({exc})") from None
    if not config.get("EMAIL_BACKEND"):
        raise ConfigError(f"EMAIL_URL has unsupported scheme {urlsplit(url).scheme!r}")
    return config


def caches(redis_url: str | None) -> dict:
    """CACHES (network/cache.py): `default` local to the process, `shared` on Redis when
    REDIS_URL is set (failing open while it is unreachable), else local too."""
    local = {"BACKEND": "network.cache.LocalCache", "LOCATION": "default"}
    if not redis_url:
        return {
            "default": local,
            "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                       "LOCATION": "shared"},
        }  # fmt: skip
    return {
        "default": local,
        "shared": {
            "BACKEND": "network.cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "cc",
            # A path cut (no refusal) must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
