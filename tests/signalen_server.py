"""A small Signalen on loopback for tests: a threaded HTTP server on 127.0.0.1 and a free
port that checks every request against Signalen's own OpenAPI description
(``tests/signalen/openapi.yaml``, with openapi-core) and answers as that description says,
each answer checked against it as well. Use it from a test module with::

    pytest_plugins = ["tests.signalen_server"]

``signalen`` is the server, with the app's ``SIGNALEN_URL`` pointed at it:

* ``.requests``: every request as (method, path, JSON body or None), valid or not;
  ``.invalid``: the reasons of those that were not valid (a test asserts it stays empty).
* ``POST /signals/v1/public/signals``: 400 with DRF-style errors for a body the description
  refuses, else 201 with a ``V1PublicSignalDetailGet`` (``signal_id`` a new UUID, ``_display``
  "SIG-<n>", status OPEN).
* ``GET /signals/v1/public/signals/{signal_id}``: 200 with its public status, 404 when unknown.
* Any path or method the description does not have: 404 (recorded as invalid too).
* ``.down = True``: every request gets 503, as a Signalen in maintenance does.
* ``.close(signal_id, "Afgehandeld")``: the gemeente closes the melding.
"""

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import PathError
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SPEC = Path(__file__).resolve().parent / "signalen" / "openapi.yaml"
PUBLIC_SIGNALS = "/signals/v1/public/signals"
_openapi = None


def openapi() -> OpenAPI:
    """The description, read once per test session (it is large)."""
    global _openapi
    if _openapi is None:
        _openapi = OpenAPI.from_file_path(str(SPEC))
    return _openapi


@dataclass
class FakeSignalen:
    requests: list[tuple[str, str, object]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    signals: dict[str, dict] = field(default_factory=dict)
    down: bool = False
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self, signal_id: str, text: str = "Afgehandeld") -> None:
        self.signals[signal_id]["status"] = {"state": "CLOSED", "state_display": text}

    def __call__(self, environ, start_response):
        request = Request(environ)
        invalid_before = len(self.invalid)
        response = self._answer(request)
        if not self.down and len(self.invalid) == invalid_before:  # a request the spec knows
            errors = openapi().validate_response  # the answer is what the description says
            try:
                errors(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
            except Exception as error:  # noqa: BLE001 - any reason: record it, the test fails
                self.invalid.append(f"answer {request.method} {request.path}: {error!r}")
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        body = request.get_json(silent=True) if request.data else None
        with self._lock:
            self.requests.append((request.method, request.path, body))
        if self.down:
            return Response("Service Unavailable", status=503)
        try:
            openapi().validate_request(WerkzeugOpenAPIRequest(request))
        except Exception as error:  # noqa: BLE001 - openapi-core raises one class per reason
            reason = f"{request.method} {request.path}: {error!r} {getattr(error, '__cause__', '')!r}"
            with self._lock:
                self.invalid.append(reason)
            if isinstance(error, PathError):
                return Response(status=404)  # no such path or method
            return _json({"non_field_errors": [str(error)]}, 400)
        if request.method == "POST" and request.path == PUBLIC_SIGNALS:
            return _json(self._create(body), 201)
        signal = self.signals.get(request.path.removeprefix(PUBLIC_SIGNALS + "/"))
        return _json(signal, 200) if signal else Response(status=404)

    def _create(self, body: dict) -> dict:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            signal_id = str(uuid.uuid4())
            signal = {
                "_display": f"SIG-{len(self.signals) + 101}",
                "signal_id": signal_id,
                "created_at": now,
                "updated_at": now,
                "incident_date_start": body["incident_date_start"],
                "incident_date_end": None,
                "status": {"state": "OPEN", "state_display": "Gemeld"},
            }
            self.signals[signal_id] = signal
        return signal

    def valid_posts(self) -> list[dict]:
        return [body for method, path, body in self.requests if method == "POST"]


def _json(data, status: int) -> Response:
    import json

    return Response(json.dumps(data), status=status, mimetype="application/json")


@pytest.fixture
def signalen(app):
    fake = FakeSignalen()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    app.config["SIGNALEN_URL"] = fake.url
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join(5)
