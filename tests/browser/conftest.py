"""Fixtures of the browser tests: one Daphne server and one Chromium for the session, a fresh
browser context (or several) per test, and the test database restored before each test.
See docs/browser-tests.md."""

import os

import pytest

from tests.browser import support


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    """The site, served by Daphne on a free port against the tests' own database."""
    from django.db import connection

    instance = support.Server(
        database_url=support.database_url(connection.settings_dict),
        workdir=support.ROOT / "var" / "browser-tests",
    )
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """One Chromium for the session. Playwright's sync API keeps an asyncio loop marked as
    running in this thread, which Django would take for async code calling the ORM: allow it
    while the browser tests run (they run last, see support.skip_or_require)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    connections_before = support.database_connections()
    with sync_playwright() as playwright:
        support.carry_over_serialized_database(connections_before)
        browser = playwright.chromium.launch(
            executable_path=str(support.CHROMIUM), args=support.CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session", autouse=True)
def _empty_database_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        support.empty_test_database()


@pytest.fixture
def site(server):
    """The live site on the freshly migrated database, its mailbox empty. The browser tests
    are transactional (see support.skip_or_require): what a test makes with factories or
    services is committed at once, so the server sees it."""
    support.forget_cached_rows(server)
    server.mailbox = support.Mailbox(server.mail_dir)
    server.mailbox.clear()
    return server


@pytest.fixture
def new_context(chromium, site):
    """Make browser contexts (separate cookie jars: separate people) on the live site. Uncaught
    errors in the page's JavaScript fail the test, and so do console errors (such as CSP
    violations) unless `console_errors_allowed=True` (a context that goes offline logs
    failed connections). `can_go_offline=True` gives the context `go_offline()` and
    `go_online()` (see support.Relay)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    contexts = []
    relays = []

    def make(*, console_errors_allowed=False, can_go_offline=False, **options):
        options.setdefault("locale", "en-GB")
        url = site.url
        if can_go_offline:
            relay = support.Relay(site.port)
            relays.append(relay)
            url = relay.url
        context = chromium.new_context(base_url=url, **options)
        context.site_url = url
        if can_go_offline:
            context.go_offline = lambda: (relay.cut(), context.set_offline(True))
            context.go_online = lambda: (relay.restore(), context.set_offline(False))
        context.set_default_timeout(10_000)
        context.errors = []
        context.on("weberror", lambda error: context.errors.append(str(error.error)))
        if not console_errors_allowed:
            context.on("console", lambda message: _record_console_error(context, message))
        contexts.append(context)
        return context

    yield make
    errors = [error for context in contexts for error in context.errors]
    for context in contexts:
        context.close()
    for relay in relays:
        relay.close()
    assert not errors, "errors in the browser:\n" + "\n".join(errors)


# Wagtail's editing-session ping (the "who else is editing" list) is answered 400 by the test
# server's Daphne before it reaches Django (no response headers, no access-log line); the
# edit forms themselves work. Production serves the admin over gunicorn (docs/deploy.md).
IGNORED_CONSOLE_ERRORS = ("/admin/editing-sessions/ping/",)


def _record_console_error(context, message):
    # No exception for /favicon.ico: the site links its icon and answers that name too.
    if message.type == "error":
        text = f"{message.text} ({message.location.get('url')})"
        if not any(fragment in text for fragment in IGNORED_CONSOLE_ERRORS):
            context.errors.append(text)


@pytest.fixture
def page(new_context):
    return new_context().new_page()
