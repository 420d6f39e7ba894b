"""Behind our proxies: the client's address comes from the right of X-Forwarded-For, so a
client cannot choose it; every request has an id; logs can be JSON and never hold
credentials."""

import json
import logging

import pytest

from core.cache import shared_cache as cache
from network.logging import JsonFormatter, RequestContextFilter, redact, request_id_var
from network.middleware import client_address
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("198.51.100.9", 1, "198.51.100.9"),
        ("6.6.6.6, 198.51.100.9", 1, "198.51.100.9"),  # the left part is the client's word
        ("6.6.6.6, 198.51.100.9, 10.0.0.2", 2, "198.51.100.9"),
        ("198.51.100.9", 2, "127.0.0.1"),  # not through both proxies: the peer is the client
        ("not-an-address", 1, "127.0.0.1"),
        ("", 1, "127.0.0.1"),
        ("6.6.6.6", 0, "127.0.0.1"),  # no proxy trusted: the header means nothing
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_client_address(forwarded, count, expected):
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta, count) == expected


@pytest.mark.django_db
def test_spoofed_addresses_do_not_escape_the_login_limit(client, settings):
    """13 failed logins, each claiming another address in front of the one nginx saw: the
    per-address limit (10 a minute) still counts them together."""
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    pages = []
    for n in range(13):
        UserFactory(
            email=f"target{n}@city.example"
        )  # another account each time: the key limit stays out
        response = client.post(
            "/accounts/login/",
            {"login": f"target{n}@city.example", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.9",
        )
        pages.append(response)
    assert "Too many failed login attempts" not in pages[0].content.decode()
    assert "Too many failed login attempts" in pages[-1].content.decode()


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_changes_nothing(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    for n in range(11):
        UserFactory(email=f"other{n}@city.example")
        last = client.post(
            "/accounts/login/",
            {"login": f"other{n}@city.example", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert "Too many failed login attempts" in last.content.decode()


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz/live")["X-Request-ID"]
    second = client.get("/healthz/live")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    # Something that is not an id is not echoed into headers and logs.
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID="a b\r\n")["X-Request-ID"] != "a b\r\n"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('"GET /accounts/confirm-email/MjQ:1tq:abcdef/ HTTP/1.1" 200', "MjQ:1tq:abcdef"),
        ('"GET /accounts/password/reset/key/3-set-password/ HTTP/1.1"', "3-set-password"),
        ("POST /notifications/unsubscribe/eyJ1Ijo1fQ:sig/ 200", "eyJ1Ijo1fQ:sig"),
        ("GET /members/me/calendar/feed.ics?token=s3cr3t 200", "s3cr3t"),
    ],
)
def test_credentials_are_redacted(line, secret):
    cleaned = redact(line)
    assert secret not in cleaned
    assert "[redacted]" in cleaned


def test_json_lines_with_the_request_id():
    record = logging.LogRecord(
        "network", logging.WARNING, __file__, 1, "mail to %s failed", ("x@y.example",), None
    )
    token = request_id_var.set("req-7")
    try:
        assert RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "req-7"
    assert entry["level"] == "WARNING"
    assert entry["message"] == "mail to x@y.example failed"


@pytest.mark.django_db
def test_a_foreign_host_is_one_log_line_without_traceback(client, settings):
    import logging.config

    from network.logging import config

    # The test settings silence logging: apply the site's own configuration for this test.
    logging.config.dictConfig(config(level="INFO", fmt="json", admins=False))
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    logger = logging.getLogger("django.security.DisallowedHost")
    keep = Keep()
    logger.addHandler(keep)
    client.raise_request_exception = False
    try:
        response = client.get("/", HTTP_HOST="evil.example")
    finally:
        logger.removeHandler(keep)
        logging.config.dictConfig(settings.LOGGING)
    assert response.status_code == 400
    assert seen and all(record.exc_info is None for record in seen)
