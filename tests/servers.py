"""The portal served by real gunicorn workers, and a small browser-like HTTP client for it.

Used by the tests that only mean something with several processes: concurrent writes, a rate
limit shared through Redis, a database that goes away and comes back. Everything is bounded:
the server gets a free loopback port (``127.0.0.1:0``, read back from gunicorn's log), each
request has a timeout, and the server is always stopped afterwards.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")
START_SECONDS = 30
REQUEST_SECONDS = 60


@dataclass
class Server:
    url: str
    access_log: Path
    error_log: Path

    def worker_pids_seen(self, request_line: str) -> set[str]:
        """The pids of the workers that answered requests whose line contains ``request_line``."""
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if request_line in line}

    def errors(self) -> str:
        return self.error_log.read_text()


@contextmanager
def gunicorn(log_dir: Path, workers: int, **env: str):
    """Serve ``wsgi:app`` with ``workers`` sync workers; ``env`` adds settings (DATABASE_URL ...).

    The access log line is ``<worker pid> <status> "<request line>"``.
    """
    access_log, error_log = log_dir / "access.log", log_dir / "error.log"
    settings_file = log_dir / "gunicorn.conf.py"
    # No control socket in $HOME (gunicorn 27), where parallel test servers would collide;
    # older versions ignore the unknown setting.
    settings_file.write_text("control_socket_disable = True\n")
    command = [
        sys.executable, "-m", "gunicorn", "wsgi:app", "--config", str(settings_file), "--chdir", str(ROOT),
        "--bind", "127.0.0.1:0", "--workers", str(workers), "--timeout", "60",
        "--graceful-timeout", "5", "--access-logfile", str(access_log),
        "--access-logformat", '%(p)s %(s)s "%(r)s"', "--error-logfile", str(error_log),
    ]
    settings = {**os.environ, "PORTAL_ENV": "development", "SECRET_KEY": "gunicorn-test-secret-key", **env}
    process = subprocess.Popen(command, env=settings, stdin=subprocess.DEVNULL)
    try:
        yield Server(_wait_until_ready(process, error_log), access_log, error_log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen, error_log: Path) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {process.returncode}):\n{_read(error_log)}")
        found = LISTENING.search(_read(error_log))
        if found and Visitor(found.group(1)).get("/healthz").status == 200:
            return found.group(1)
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {START_SECONDS} s:\n{_read(error_log)}")


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


@dataclass
class Answer:
    status: int
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # a 303 is an answer in itself (PRG); the test looks at it


@dataclass
class RawAnswer:
    status_code: int
    headers: dict[str, str]
    data: bytes

    def get_data(self, as_text: bool = False):
        return self.data.decode() if as_text else self.data


class RawClient:
    """The part of Flask's test client that ``tests/budgets.py`` uses, over real HTTP: the
    body as the server sent it (urllib does not decompress), so its size is what went over
    the line."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def get(self, path: str, headers: dict | None = None) -> RawAnswer:
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:  # noqa: S310 - loopback
                return RawAnswer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return RawAnswer(error.code, dict(error.headers), error.read())


class Visitor:
    """One person with a browser: keeps cookies, posts forms with their CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects
        )

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base_url + path))

    def submit(self, form_page: str, fields: dict, action: str | None = None) -> Answer:
        """Open ``form_page`` for its CSRF token, then post ``fields`` to ``action`` (or the page)."""
        page = self.get(form_page)
        token = CSRF_INPUT.search(page.text)
        if token is None:
            return page  # no form (an error page): that answer is what the test sees
        body = urlencode({**fields, "csrf_token": token.group(1)}).encode()
        request = urllib.request.Request(self.base_url + (action or form_page), data=body, method="POST")
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=REQUEST_SECONDS) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())
        except OSError as error:  # refused, reset, timed out: the server did not answer
            return Answer(0, f"{type(error).__name__}: {error}")
