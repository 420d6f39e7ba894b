"""deploy/nginx without any service: nginx accepts the configuration as rendered for a run,
and it keeps the lines the operations issue depends on."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.common import free_port, render_nginx

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy" / "nginx"


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (.ci/run installs Debian's package)")
    conf = render_nginx(
        tmp_path,
        tls_port=free_port(),
        plain_port=free_port(),
        http_port=free_port(),
        ws_ports=[free_port(), free_port()],
        var_dir=tmp_path / "var",
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_clients_cannot_choose_their_forwarded_address():
    site = (DEPLOY / "hubs.conf").read_text()
    assert "$proxy_add_x_forwarded_for" not in site
    # Every block that proxies sets the header itself (proxy_set_header is not inherited by
    # a block that sets any header of its own).
    proxied = re.findall(r"location [^{]+\{(?:[^{}]|\{[^{}]*\})*proxy_pass[^}]*\}", site)
    assert len(proxied) == 2
    for block in proxied:
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in block
        assert "proxy_set_header Host $host;" in block


def test_websocket_servers_are_never_taken_out_for_a_closed_socket():
    site = (DEPLOY / "hubs.conf").read_text()
    upstream = re.search(r"upstream hubs_ws \{([^}]*)\}", site).group(1)
    servers = re.findall(r"^\s*server (\S+)(.*);", upstream, flags=re.MULTILINE)
    assert len(servers) >= 2
    assert all("max_fails=0" in options for _, options in servers)


def test_text_is_compressed_with_gzip_and_brotli():
    main = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"^\s*gzip on;", main, flags=re.MULTILINE)
    assert re.search(r"^\s*brotli on;", main, flags=re.MULTILINE)
    for directive in ("gzip_types", "brotli_types"):
        types = re.search(rf"{directive}([^;]*);", main).group(1).split()
        # text/html is compressed whenever compression is on; these are the others.
        assert {"text/css", "text/javascript", "application/javascript"} <= set(types)
        assert {"application/json", "image/svg+xml"} <= set(types)
