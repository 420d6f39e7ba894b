"""The machinery of the browser tests: Chromium, the Daphne server they drive, the shared test
database, mail, accessibility (axe-core) and page weight. The fixtures are in conftest.py; see
docs/browser-tests.md."""

import contextlib
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium reaches out to Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
# BROWSER_TESTS=required (set by .ci/run) turns "skip where Chromium is missing" into an error.
REQUIRED = os.environ.get("BROWSER_TESTS", "") == "required"
SERVER_START_SECONDS = 60


class _State:
    active = False  # browser tests are selected and can run in this session


STATE = _State()


def unavailable_reason():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (
            f"Chromium is not installed at {CHROMIUM} and cannot be installed here "
            "(`make browser` installs Debian's chromium as root)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return None


def skip_or_require(items):
    """Skip browser tests with the reason where they cannot run (an error in CI). Otherwise
    they run last (they empty the database, and keep Chromium open until the end), each on the
    freshly migrated database, committing what it makes so the server sees it: pytest-django
    restores the serialised database before each and flushes it after."""
    selected = [item for item in items if item.get_closest_marker("browser")]
    if not selected:
        return
    reason = unavailable_reason()
    if reason and REQUIRED:
        raise pytest.UsageError(f"browser tests are required here but cannot run: {reason}")
    if reason:
        for item in selected:
            item.add_marker(pytest.mark.skip(reason=reason))
        return
    STATE.active = True
    for item in selected:
        if not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    others = [item for item in items if not item.get_closest_marker("browser")]
    items[:] = others + selected


def use_file_test_database(request):
    """Point the SQLite test database at a file under var/ so the Daphne process and the
    tests see the same data (PostgreSQL needs nothing: both connect to test_<name>)."""
    if not STATE.active:
        return
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = database.setdefault("TEST", {})
    name = test.get("NAME")
    if name and name != ":memory:" and "mode=memory" not in str(name):
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    path = Path(settings.VAR_DIR) / f"test-browser-{worker}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    test["NAME"] = str(path)


def empty_test_database():
    """Empty the test database before the first browser test, so that pytest-django can load
    the freshly migrated state into it whatever earlier transactional tests left (their flush
    re-creates content types and permissions, which would clash with the snapshot)."""
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    is_test_database = (
        name == str(connection.settings_dict.get("TEST", {}).get("NAME"))
        if connection.vendor == "sqlite"
        else name.startswith("test_")
    )
    if not is_test_database:
        raise RuntimeError(f"refusing to empty {name}: it is not the test database")
    # Sequences keep counting (as in pytest-django's own flush): the snapshot's rows keep
    # their ids, and new rows must not take them.
    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
    )
    if hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = content_types_first(
            connection._test_serialized_contents
        )


def content_types_first(serialized):
    """The serialised database with the content types at the front. Django serialises in the
    order of INSTALLED_APPS, our apps before contenttypes; building a Wagtail page while
    loading asks for its content type and, when that row is not loaded yet, creates one,
    which then clashes with the snapshot's own row."""
    objects = json.loads(serialized)
    objects.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(objects)


def database_connections():
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


def carry_over_serialized_database(connections_before):
    """Starting Playwright's sync API switches greenlets, after which Django's connection
    handler (an asgiref Local, kept in a context variable) hands out new connection objects
    in this thread. Carry over the serialised test database pytest-django keeps on the old
    ones (`serialized_rollback`), so that it can still restore it before each test."""
    for alias, new in database_connections().items():
        old = connections_before[alias]
        if new is not old and hasattr(old, "_test_serialized_contents"):
            new._test_serialized_contents = old._test_serialized_contents


def forget_cached_rows(server):
    """Empty the caches of the tests and of the server, which may hold rows of an earlier
    test's database (content types, Wagtail's site root paths) or its rate limits."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    caches["default"].clear()
    caches["shared"].clear()  # with REDIS_URL, the server's shared cache too
    shutil.rmtree(server.cache_dir, ignore_errors=True)


def database_url(settings_dict):
    """The DATABASE_URL naming the (test) database the tests use."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"
    raise RuntimeError(f"browser tests do not support the database engine {engine}")


class Server:
    """Daphne serving network.asgi in a subprocess, on a socket bound here to a free port."""

    def __init__(self, *, database_url, workdir):
        self.workdir = Path(workdir)
        self.mail_dir = self.workdir / "mail"
        self.cache_dir = self.workdir / "cache"
        self.log_path = self.workdir / "daphne.log"
        self.database_url = database_url
        self.process = None
        self.url = None

    def start(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.mail_dir.mkdir(parents=True)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        environment = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
            "DATABASE_URL": self.database_url,
            "BROWSER_TEST_MAIL_DIR": str(self.mail_dir),
            "BROWSER_TEST_CACHE_DIR": str(self.cache_dir),
            "SITE_URL": self.url,
            "PYTHONUNBUFFERED": "1",
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "--fd",
                    str(listener.fileno()),
                    "--access-log",
                    str(self.workdir / "access.log"),
                    "network.asgi:application",
                ],
                cwd=ROOT,
                env=environment,
                pass_fds=[listener.fileno()],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        listener.close()
        self._wait_until_serving()

    def _wait_until_serving(self):
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return  # it answers; /healthz reports a degraded backend, the tests will tell
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"Daphne did not answer within {SERVER_START_SECONDS}s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines=60):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def __call__(self, path=""):
        return f"{self.url}{path}"


class Relay:
    """A TCP relay between a browser context and the server that can cut the line.

    Chromium's offline emulation (`context.set_offline(True)`) fails new requests but leaves
    open websockets open; a dropped mobile connection does not. Going offline through the relay
    does both: the browser sees itself offline and its open connections break."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.up = True
        self.connections = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *sockets):
        with self.lock:
            for sock in sockets:
                self.connections.discard(sock)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut(self):
        """Refuse new connections and break the open ones."""
        self.up = False
        with self.lock:
            open_now = list(self.connections)
        self._drop(*open_now)

    def restore(self):
        self.up = True

    def close(self):
        self.listener.close()
        self.cut()


class Mailbox:
    """The mail the server sent, read from its file backend (one file per connection, messages
    separated by a line of dashes)."""

    SEPARATOR = re.compile(rb"^-{79}$", re.MULTILINE)

    def __init__(self, directory):
        self.directory = Path(directory)

    def clear(self):
        for path in self.directory.glob("*"):
            path.unlink()

    def messages(self, to=None):
        found = []
        for path in sorted(self.directory.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in self.SEPARATOR.split(path.read_bytes()):
                if chunk.strip():
                    message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                    if to is None or to.lower() in str(message["To"]).lower():
                        found.append(message)
        return found

    @staticmethod
    def text(message):
        return message.get_body(preferencelist=("plain", "html")).get_content()

    def link(self, *, to, pattern):
        """The one link matching PATTERN in the newest message to TO."""
        messages = self.messages(to=to)
        assert messages, f"no mail to {to} in {self.directory}"
        links = re.findall(rf"https?://\S*{pattern}\S*", self.text(messages[-1]))
        assert links, f"no link matching {pattern!r} in:\n{self.text(messages[-1])}"
        return links[0].rstrip(".,)>")


def axe_violations(page, *, impacts=("serious", "critical")):
    """Run axe-core (the npm package) on the page; return the violations of those impacts."""
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE.relative_to(ROOT)}): run `make node`"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's CSP (no inline script)
        # does not govern: the page under test keeps its real policy.
        page.evaluate(AXE.read_text() + "\n;undefined")
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
            }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in impacts]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n" + json.dumps(violations, indent=2)


class PageWeight:
    """Bytes transferred while a page loads: headers and (encoded) bodies of every response."""

    def __init__(self, page, *, exclude=("/media/",)):
        self.requests = []
        self.exclude = exclude
        page.on("requestfinished", lambda request: self.requests.append(request))

    def responses(self):
        rows = []
        for request in self.requests:
            if any(part in request.url for part in self.exclude):
                continue
            sizes = request.sizes()
            rows.append((request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))
        return rows

    def total(self):
        return sum(size for _, size in self.responses())

    def text_responses(self):
        """(url, headers) of the HTML, CSS and JavaScript responses of more than 1 KB."""
        rows = []
        for request in self.requests:
            response = request.response()
            if response is None or request.sizes()["responseBodySize"] < 1024:
                continue
            headers = response.all_headers()
            kind = headers.get("content-type", "")
            if kind.startswith(
                ("text/html", "text/css", "text/javascript", "application/javascript")
            ):
                rows.append((request.url, headers))
        return rows

    def report(self):
        return "\n".join(f"{size:>9}  {url}" for url, size in self.responses())


def screenshot(page, name):
    """Save a full-page screenshot as var/screenshots/NAME.png for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(context, user):
    """Give the browser context a logged-in session for USER, made by Django's own login."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": context.site_url}])
