"""Two app servers behind a real nginx (issue 25, item 4, and its "Done when").

The test starts what ``deploy/`` describes, on loopback: two gunicorn servers (A and B, two
workers each) on one database and one Redis, and nginx in front of them with an upstream of
the two, ``proxy_set_header Host $host`` (the app finds the wijk from it) and the
``X-Forwarded-*`` headers the servers trust with ``PROXY_FIX=1``, as deployed. nginx runs with
a generated configuration in the test's own folder (``nginx -p``), on a free port.

What the servers share is what several machines would: the database (PostgreSQL with
``PORTAL_TEST_DATABASE_URL``; otherwise the test's SQLite file, which two servers on one
machine can share), ``CACHE_REDIS_URL`` (the change version) and ``RATELIMIT_STORAGE_URI``
(the rate limits), both on the test Redis under this test's own key prefix (``redis_prefix``).
Each server has a change-stamp file of its own (``CHANGE_STAMP``), so only Redis can tell one
about the other's change, and ``PAGE_CACHE_SECONDS=60``, so nothing kept ends by time while
the test runs.

* A post a moderator hides through server A (a POST straight to A) is gone from the pages
  fetched through nginx and straight from B at their next request.
* The sign-in limit (10 per minute) holds across both: failed sign-ins alternated over A and
  B reach it at the same count as on A alone, and so do those sent through nginx.
* A request with the Host of a second wijk, through nginx, gets that wijk from either server.

Without nginx (Debian's ``nginx``) or Redis the tests skip with the reason; with
``PORTAL_REQUIRE_SERVICES=1`` (CI) they fail instead.
"""

import getpass
import shutil
import socket
import subprocess
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import Role
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import REDIS_URL, skip_or_fail
from tests.factories import PASSWORD, make_post, make_user
from tests.servers import Answer, Server, Visitor, gunicorn

WORKERS = 2  # per server
SIGN_IN_LIMIT = 10  # per minute, see accounts.views.login
ATTEMPTS = SIGN_IN_LIMIT + 4
START_SECONDS = 15
WEST = "west.localhost"


class Browser(Visitor):
    """A visitor whose every request carries ``headers`` too (a Host, an X-Forwarded-For)."""

    def __init__(self, base_url: str, **headers: str):
        super().__init__(base_url)
        self.headers = {name.replace("_", "-"): value for name, value in headers.items()}

    def _open(self, request):
        for name, value in self.headers.items():
            request.add_header(name, value)  # on the request: urllib sets Host from the URL first
        return super()._open(request)


@dataclass
class Setup:
    a: Server
    b: Server
    nginx: str  # nginx's base URL

    def answered(self, request_line: str) -> tuple[int, int]:
        """How many requests whose line contains ``request_line`` A and B each answered."""
        return tuple(sum(request_line in line for line in server.access_log.read_text().splitlines())
                     for server in (self.a, self.b))


@pytest.fixture
def nginx_program() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        skip_or_fail("nginx is not installed (Debian: apt-get install nginx)")
    return found


@pytest.fixture
def behind_nginx(app, database_url, tmp_path, redis_prefix, nginx_program):
    """``start()``: servers A and B and nginx in front of them; all stopped after the test."""
    with ExitStack() as stack:
        def start() -> Setup:
            db.session.commit()  # the test holds no transaction while the servers write
            servers = []
            for name in ("a", "b"):
                (tmp_path / name).mkdir()
                servers.append(stack.enter_context(gunicorn(
                    tmp_path / name, workers=WORKERS, DATABASE_URL=database_url, PROXY_FIX="1",
                    RATELIMIT_ENABLED="1", RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix,
                    CACHE_REDIS_URL=REDIS_URL, PAGE_CACHE_SECONDS="60",
                    CHANGE_STAMP=str(tmp_path / name / "changes-stamp"))))
            url = stack.enter_context(nginx(nginx_program, tmp_path / "nginx", [s.url for s in servers]))
            return Setup(servers[0], servers[1], url)

        yield start
    errors = "".join((tmp_path / name / "error.log").read_text() for name in ("a", "b")
                     if (tmp_path / name / "error.log").exists())
    assert "Traceback" not in errors, errors[-3000:]


@contextmanager
def nginx(program: str, prefix: Path, upstreams: list[str]):
    """nginx on a free loopback port in front of ``upstreams``; yields its base URL."""
    prefix.mkdir()
    for folder in ("logs", "temp"):
        (prefix / folder).mkdir()
    error_log = prefix / "logs" / "error.log"
    for attempt in range(3):  # a free port may be taken by someone else before nginx binds it
        port = _free_port()
        (prefix / "nginx.conf").write_text(_configuration(prefix, port, upstreams))
        process = subprocess.Popen(
            [program, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(error_log)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            if _answers(url, process):
                yield url
                return
        finally:
            process.terminate()  # a fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if attempt == 2:
            log = error_log.read_text() if error_log.exists() else ""
            raise RuntimeError(f"nginx did not answer on {url}:\n{process.stderr.read().decode()}\n{log}")


def _configuration(prefix: Path, port: int, upstreams: list[str]) -> str:
    """What ``deploy/nginx/buurtportaal.conf`` does for the app, on plain http and loopback:
    round robin over the servers, the Host as the browser sent it, the forwarded headers."""
    servers = "\n".join(f"        server {url.removeprefix('http://')} max_fails=3 fail_timeout=10s;"
                        for url in upstreams)
    temp = prefix / "temp"
    return f"""
# Generated by tests/test_two_servers_nginx.py; runs in the foreground, everything in {prefix}.
daemon off;
worker_processes 1;
user {getpass.getuser()};
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix / "logs" / "access.log"};
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    upstream buurtportaal {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        client_max_body_size 2m;
        location / {{
            proxy_pass http://buurtportaal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_connect_timeout 5s;
            proxy_read_timeout 35s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if Visitor(url).get("/healthz").status == 200:
            return True
        time.sleep(0.1)
    return False


def _signed_in(url: str, email: str, **headers: str) -> Browser:
    browser = Browser(url, **headers)
    answer = browser.submit("/inloggen", {"email": email, "password": PASSWORD})
    assert answer.status == 303, answer.text[:300]
    return browser


def _reads(browser: Browser, path: str, times: int = 6) -> list[Answer]:
    """``path`` read ``times`` times, one after the other: through nginx, round robin over A and B."""
    return [browser.get(path) for _ in range(times)]


def test_a_post_hidden_through_server_a_is_gone_through_nginx_and_from_b(behind_nginx):
    post = make_post(make_user(name="Auteur"), theme_slug="verkeer", title="Drempels in de Dorpsstraat")
    post_id, title = post.id, post.title
    moderator = make_user(email="moderator@example.org", role=Role.MODERATOR).email
    resident = make_user(name="Riet van Dijk").email
    board, post_page = "/themas/verkeer", f"/berichten/{post_id}"
    setup = behind_nginx()
    readers = {  # visitors without cookies get the copies kept for them; residents their own page
        "a visitor through nginx": Browser(setup.nginx),
        "a resident through nginx": _signed_in(setup.nginx, resident),
        "a visitor on B": Browser(setup.b.url),
        "a resident on B": _signed_in(setup.b.url, resident),
    }
    for who, reader in readers.items():  # every server and worker keeps the post now
        assert all(title in answer.text for answer in _reads(reader, board)), f"{who}: not on the board"
        assert {answer.status for answer in _reads(reader, post_page)} == {200}, who
    on_a, on_b = setup.answered(f"GET {post_page} ")
    assert on_a > 0 and on_b > 2 * 6, "nginx sent the reads to both servers"

    hider = _signed_in(setup.a.url, moderator)
    hidden = hider.submit(post_page, {"reason": "Reclame"}, action=f"/moderatie/bericht/{post_id}/verbergen")
    assert hidden.status == 303, hidden.text[:300]

    for who, reader in readers.items():
        still = [answer for answer in _reads(reader, board) if title in answer.text]
        assert not still, f"{who}: {len(still)} board pages still show the hidden post"
        statuses = [answer.status for answer in _reads(reader, post_page)]
        assert set(statuses) == {404}, f"{who}: the hidden post's page answered {statuses}"


def _failed_sign_ins(browsers: list[Browser], shift: bool = False) -> list[int]:
    """ATTEMPTS wrong passwords, the n-th through ``browsers[n % len(browsers)]``. Each is a
    GET of the form and a POST, so nginx's round robin would send every POST to the same
    server: ``shift`` reads one page more before every other attempt, and the POSTs go to A
    and B in turn."""
    fields = {"email": "niemand@example.org", "password": "fout-wachtwoord"}
    statuses = []
    for n in range(ATTEMPTS):
        browser = browsers[n % len(browsers)]
        if shift and n % 2:
            assert browser.get("/privacy").status == 200
        statuses.append(browser.submit("/inloggen", fields).status)
    return statuses


def _limited_after(statuses: list[int]) -> int:
    """How many failed sign-ins were answered (422) before the limit (429) came."""
    assert set(statuses) <= {422, 429}, statuses
    assert 429 in statuses, f"never limited: {statuses}"
    first = statuses.index(429)
    assert statuses[first:] == [429] * (len(statuses) - first), f"once limited, always refused: {statuses}"
    return first


def test_the_sign_in_limit_holds_across_both_servers(behind_nginx):
    """Each run comes from an address of its own, as the servers see it: an X-Forwarded-For
    they trust from one proxy (PROXY_FIX=1, as behind nginx), so one run's attempts do not
    count in the next; through nginx the address is nginx's own view of the client."""
    setup = behind_nginx()
    on_one = _failed_sign_ins([Browser(setup.a.url, X_Forwarded_For="192.0.2.1")])
    alternated = _failed_sign_ins([Browser(setup.a.url, X_Forwarded_For="192.0.2.2"),
                                   Browser(setup.b.url, X_Forwarded_For="192.0.2.2")])
    before = setup.answered('"POST /inloggen')
    through_nginx = _failed_sign_ins([Browser(setup.nginx)], shift=True)
    after = setup.answered('"POST /inloggen')

    assert _limited_after(on_one) == SIGN_IN_LIMIT, on_one
    assert _limited_after(alternated) == SIGN_IN_LIMIT, alternated
    assert _limited_after(through_nginx) == SIGN_IN_LIMIT, through_nginx
    posts_to = (after[0] - before[0], after[1] - before[1])
    assert min(posts_to) > 2, f"nginx sent the sign-ins to both servers (A, B): {posts_to}"


def test_the_host_of_a_second_wijk_through_nginx_gets_that_wijk(app, behind_nginx):
    make_post(make_user(), theme_slug="verkeer", title="Drempels in de Dorpsstraat")
    west = create_wijk("west", "West", WEST)
    db.session.commit()
    with in_wijk(west):
        make_post(make_user(), theme_slug="verkeer", title="Een zebrapad bij de Kanaalweg")
    setup = behind_nginx()

    def read_in(host: str) -> tuple[list[Answer], tuple[int, int]]:
        """Through nginx with this Host; and how many of the reads A and B each answered."""
        before = setup.answered("GET /themas/verkeer ")
        answers = _reads(Browser(setup.nginx, Host=host), "/themas/verkeer")
        after = setup.answered("GET /themas/verkeer ")
        return answers, (after[0] - before[0], after[1] - before[1])

    in_west, west_served_by = read_in(WEST)
    in_the_first, first_served_by = read_in("localhost")

    assert {answer.status for answer in in_west + in_the_first} == {200}
    for answer in in_west:
        assert "Buurtportaal West" in answer.text and "Een zebrapad bij de Kanaalweg" in answer.text
        assert "Vleuten-De Meern" not in answer.text and "Drempels in de Dorpsstraat" not in answer.text
    for answer in in_the_first:
        assert "Vleuten-De Meern" in answer.text and "Drempels in de Dorpsstraat" in answer.text
        assert "Buurtportaal West" not in answer.text and "Een zebrapad bij de Kanaalweg" not in answer.text
    assert min(west_served_by) > 0 and min(first_served_by) > 0, \
        f"both servers answer both wijken (A, B): West {west_served_by}, the first {first_served_by}"
