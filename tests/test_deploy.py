"""The nginx site in ``deploy/`` (issue 25, item 4: several wijken, several app servers).

``nginx -t`` checks the shipped ``deploy/nginx/buurtportaal.conf`` as nginx would load it: the
site inside an ``http`` block, with a temporary prefix, logs and a self-signed certificate in
place of Let's Encrypt's (``nginx -t`` opens the certificate files). It needs Debian's
``nginx`` and ``openssl``; without them it skips with the reason, and with
``PORTAL_REQUIRE_SERVICES=1`` (CI) it fails. The other tests read the files only: every
proxied location passes the wijk's host name (the app picks the wijk from it, and answers an
unknown host with a 404 in production), the upstream has more than one app server, and the
environment example shares what the servers must share.
"""

import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SITE = DEPLOY / "nginx" / "buurtportaal.conf"
ENV_EXAMPLE = DEPLOY / "portal.env.example"
WIJK_HOSTS = {"vleutendemeern.wijkplatform.example", "west.wijkplatform.example"}


def _program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        skip_or_fail(f"{name} is not installed (Debian: apt-get install nginx openssl)")
    return found


def _parse(text: str) -> list:
    """nginx's configuration as nested lists: ``[name, args, children or None]`` per directive.
    Enough for this file (no quoted braces or semicolons)."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};]+', re.sub(r"#[^\n]*", "", text))
    stack, words = [[]], []
    for token in tokens:
        if token == "{":
            block = [words[0], words[1:], []]
            stack[-1].append(block)
            stack.append(block[2])
            words = []
        elif token == ";":
            stack[-1].append([words[0], words[1:], None])
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token)
    assert len(stack) == 1 and not words, "unbalanced braces"
    return stack[0]


def _find(directives: list, name: str) -> list:
    return [d for d in directives if d[0] == name]


def _args(block: list, name: str) -> list[list[str]]:
    return [d[1] for d in _find(block[2], name)]


def test_nginx_accepts_the_shipped_site(tmp_path):
    nginx, openssl = _program("nginx"), _program("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )
    site = re.sub(r"/etc/letsencrypt/live/[^/;\s]+/", f"{tmp_path}/", SITE.read_text())
    assert str(tmp_path) in site, "the site names no Let's Encrypt certificate"
    (tmp_path / "buurtportaal.conf").write_text(site)
    temp_paths = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"{temp_paths}"
        f"    include {tmp_path}/buurtportaal.conf;\n"
        "}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", f"{tmp_path}/", "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_every_wijk_host_reaches_the_app_with_its_name():
    config = _parse(SITE.read_text())
    upstreams = _find(config, "upstream")
    assert len(upstreams) == 1
    assert len(_args(upstreams[0], "server")) >= 2, "the example shows at least two app servers"
    name = upstreams[0][1][0]

    servers = _find(config, "server")
    wijk_servers = [s for s in servers if WIJK_HOSTS.issubset(h for a in _args(s, "server_name") for h in a)]
    assert len(wijk_servers) == 1, "one server block names every example wijk host"
    wijk = wijk_servers[0]
    assert _args(wijk, "ssl_certificate") and any("ssl" in a for a in _args(wijk, "listen"))

    # A host that is no wijk gets no answer from the app over https, and http goes to https.
    defaults = [s for s in servers if any("default_server" in a for a in _args(s, "listen"))]
    assert any(_args(s, "ssl_reject_handshake") == [["on"]] for s in defaults)
    assert any(["301", "https://$host$request_uri"] in _args(loc, "return")
               for s in defaults for loc in _find(s[2], "location"))

    proxied = [loc for loc in _find(wijk[2], "location") if _args(loc, "proxy_pass")]
    assert proxied
    for location in proxied:
        where = " ".join(location[1])
        assert _args(location, "proxy_pass") == [[f"http://{name}"]], where
        headers = {a[0]: a[1] for a in _args(location, "proxy_set_header")}
        assert headers.get("Host") == "$host", f"location {where} must pass the wijk's host"
    main = next(loc for loc in proxied if loc[1] == ["/"])
    headers = {a[0]: a[1] for a in _args(main, "proxy_set_header")}
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-Host"] == "$host"


def test_the_environment_example_shares_what_several_servers_must_share():
    settings = dict(line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines()
                    if line and not line.startswith("#"))
    assert settings["PORTAL_ENV"] == "production"
    assert settings["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert settings["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert settings["CACHE_REDIS_URL"].startswith("redis://")
    assert settings["PROXY_FIX"] == "1"
