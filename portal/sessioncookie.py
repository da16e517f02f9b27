"""Flask's signed session cookie, with the cookies this worker has checked remembered.

A browser sends the same session cookie with every request until the session changes.
Checking its signature and reading it (base64, zlib, JSON with Flask's tags) costs more
than the rest of a small page's layout, so each worker remembers the cookies it has checked
(at most ``ENTRIES``, the least recently used go first) with what they hold and when they
were signed. A remembered cookie is the very same string, so it holds the very same data;
its age is still checked at every request, exactly as Flask checks it. The signing
serializer (which itsdangerous tries out with a first ``dumps`` when it is made) is made
only for a cookie not checked yet.

Only sessions of plain values (text, numbers, true/false) are remembered: every request gets
a fresh dict of them, so nothing one request does to its session reaches another. A session
with messages waiting (a list) is read the usual way, and changes at that request anyway.

This overrides Flask's ``SecureCookieSessionInterface.open_session``: its measured gain is in
benchmarks/README.md ("Framework overrides"), and ``tests/test_framework_overrides.py`` fails
when Flask's ``open_session`` changes what this copy of it assumes.
"""

import threading
import time
from collections import OrderedDict

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

ENTRIES = 2000
PLAIN = (str, int, float, bool, type(None))


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._checked: OrderedDict[str, tuple[dict, float]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        if not app.secret_key:  # as Flask: no signing serializer, no session
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        with self._lock:
            checked = self._checked.get(value)
            if checked is not None:
                self._checked.move_to_end(value)
        if checked is not None:
            data, signed_at = checked
            if time.time() - signed_at <= max_age:
                return self.session_class(data)
            return self.session_class()
        serializer = self.get_signing_serializer(app)  # built only for a cookie not checked yet
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(item, PLAIN) for item in data.values()):
            self._remember(value, dict(data), signed_at.timestamp())
        return self.session_class(data)

    def _remember(self, value: str, data: dict, signed_at: float) -> None:
        with self._lock:
            self._checked[value] = (data, signed_at)
            while len(self._checked) > ENTRIES:
                self._checked.popitem(last=False)


def init_app(app: Flask) -> None:
    app.session_interface = RememberingSessionInterface()
