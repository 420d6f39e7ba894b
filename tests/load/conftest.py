"""Load and fault tests: real Daphne processes, real sockets, a throwaway SQLite database
(migrated once per session), and for the Redis tests a redis-server of their own on a free
port, so restarting it never touches the shared one. They assert counts (nothing lost, no
duplicates, no errors, no stale group members) and bounded memory, never timing."""

import shutil

import pytest

from bench.common import RedisServer, Server, Workspace, raise_fd_limit

from .support import CLIENTS, skip_without_thread_consumer


@pytest.fixture(scope="session")
def load_site(tmp_path_factory):
    """A migrated throwaway site with a bench hub and CLIENTS members with sessions."""
    skip_without_thread_consumer()
    raise_fd_limit()
    workspace = Workspace("site", root=tmp_path_factory.mktemp("load"))
    workspace.migrate()
    cookies = workspace.fixture("realtime", "--users", CLIENTS)["cookies"]
    return workspace, cookies


@pytest.fixture
def thread(load_site):
    workspace, _ = load_site
    return workspace.fixture("thread")["thread"]


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with RedisServer() as server:
        yield server


@pytest.fixture
def daphne(load_site):
    """Start Daphne processes on the load site; stopped after the test."""
    workspace, _ = load_site
    started = []

    def start(*, redis_url=None):
        server = Server.daphne(workspace, redis_url=redis_url).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
