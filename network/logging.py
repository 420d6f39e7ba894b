"""Logging: plain text by default, JSON lines with LOG_FORMAT=json, a request id on every
record, and no secrets in logged URLs."""

import contextvars
import json
import logging
import re

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Paths whose last parts are credentials: email confirmation and password reset keys.
_SECRET_PATHS = re.compile(
    r"(/accounts/(?:confirm-email|password/reset/key)/)[^/?\s\"]+"
    r"|(/notifications/unsubscribe/)[^/?\s\"]+"
)
_SECRET_QUERY = re.compile(r"((?:key|token|signature)=)[^&\s\"]+", re.IGNORECASE)


def redact(text: str) -> str:
    text = _SECRET_PATHS.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", text)
    return _SECRET_QUERY.sub(r"\1[redacted]", text)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and redacts credentials from the message of every record."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class NoTracebackFilter(logging.Filter):
    """For expected refusals (DisallowedHost): one line, not a traceback each time."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and the exception)."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def config(*, level: str, fmt: str, admins: bool) -> dict:
    """The LOGGING setting. FMT "json" or "text"; ADMINS: mail errors to settings.ADMINS."""
    handlers = {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": fmt,
        }
    }
    root_handlers = ["console"]
    if admins:
        handlers["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_context"],
        }
        root_handlers.append("mail_admins")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "network.logging.RequestContextFilter"},
            "no_traceback": {"()": "network.logging.NoTracebackFilter"},
        },
        "formatters": {
            "json": {"()": "network.logging.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": handlers,
        "root": {"handlers": root_handlers, "level": level},
        "loggers": {
            "daphne": {"level": "WARNING"},
            "django.channels.server": {"level": "WARNING"},
            # One line per task is noise; failures are logged (and kept in the admin).
            "django_tasks": {"level": "WARNING"},
            "django_tasks_db": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # A request for a host we do not serve is the client's mistake: one line.
            "django.security.DisallowedHost": {
                "handlers": ["console"],
                "filters": ["no_traceback"],
                "level": "WARNING",
                "propagate": False,
            },
        },
    }
