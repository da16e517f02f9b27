"""Signalen's public API, as its OpenAPI description says (kept, unchanged, in
``tests/signalen/openapi.yaml``; the tests check every request against it).

* ``POST /signals/v1/public/signals`` with ``V1PublicSignalPost``: ``text``, ``location`` and
  ``incident_date_start`` are required; answers 201 with ``V1PublicSignalDetailGet``
  (``signal_id``, the public UUID, and ``_display``, the reference people quote), or 400.
* ``GET /signals/v1/public/signals/{signal_id}``: 200 with the same schema, whose
  ``status`` holds ``state`` ("OPEN" or "CLOSED") and ``state_display``; or 404.

Three things the description leaves out but a real Signalen needs, all within the schema:
its router serves these paths with and without a trailing slash (we use the description's);
``category`` (a ``sub_category`` URL) and ``reporter`` are required by its serializer, so
both are always sent (the reporter empty unless the person agreed to be contacted); and
``location.geometrie`` is described as a string, which Signalen parses as GeoJSON, so the
point goes as a GeoJSON text.

Only the standard library: ``urllib`` with a timeout. A connection failure or a 5xx is
``SignalenUnavailable`` (try again later); any other answer that is not the expected one is
``SignalenRefused`` (the same request would be refused again).
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

CREATE_PATH = "/signals/v1/public/signals"
DETAIL_PATH = "/signals/v1/public/signals/{signal_id}"
TIMEOUT = 15  # seconds; the caller is a scheduled job, never a page view
TEXT_MAX = 3000  # Signalen's ``Signal.text``
PHONE_MAX = 17  # Signalen's ``Reporter.phone``
DEFAULT_CATEGORY = "/signals/v1/public/terms/categories/overig/sub_categories/overig"


class SignalenError(Exception):
    """Signalen did not take the request."""


class SignalenUnavailable(SignalenError):
    """Not reachable, or a 5xx: the same request may work later."""


class SignalenRefused(SignalenError):
    """A 4xx or an answer that is not what the description says: trying again cannot help."""


@dataclass(frozen=True)
class PublicSignal:
    signal_id: str
    reference: str  # ``_display``, e.g. "SIG-123"
    state: str  # "OPEN" or "CLOSED"
    state_text: str  # ``state_display``, Signalen's own words


@dataclass(frozen=True)
class Melding:
    """What the portal sends: the text, the place, when, and the contact only when agreed."""

    text: str
    latitude: float
    longitude: float
    incident_start: datetime  # naive UTC, as every column
    category_url: str
    text_extra: str = ""
    email: str = ""
    phone: str = ""

    def body(self) -> dict:
        """The request body, a ``V1PublicSignalPost``."""
        point = {"type": "Point", "coordinates": [round(self.longitude, 6), round(self.latitude, 6)]}
        reporter: dict = {"sharing_allowed": False}
        if self.email:
            reporter["email"] = self.email
        phone = "".join(c for c in self.phone if c.isdigit() or c == "+")
        if phone and len(phone) <= PHONE_MAX:
            reporter["phone"] = phone
        body = {
            "text": _shorten(self.text, TEXT_MAX),
            "location": {"geometrie": json.dumps(point)},
            "category": {"sub_category": self.category_url},
            "reporter": reporter,
            "incident_date_start": self.incident_start.replace(tzinfo=UTC).isoformat(timespec="seconds"),
        }
        if self.text_extra:
            body["text_extra"] = self.text_extra
        return body


def create_signal(base_url: str, melding: Melding) -> PublicSignal:
    """File the melding; its public id, reference and first status."""
    return _public_signal(_call(base_url, "POST", CREATE_PATH, melding.body(), expect=201))


def read_signal(base_url: str, signal_id: str) -> PublicSignal:
    """The melding's public status now."""
    path = DETAIL_PATH.format(signal_id=quote(signal_id, safe=""))
    return _public_signal(_call(base_url, "GET", path, None, expect=200))


def category_url(base_url: str, configured: str = "") -> str:
    """The ``sub_category`` to send: the configured URL, or Signalen's "overig/overig"."""
    return configured or base_url.rstrip("/") + DEFAULT_CATEGORY


def _call(base_url: str, method: str, path: str, body: dict | None, expect: int) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json", "User-Agent": "buurtportaal"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    url = base_url.rstrip("/") + path
    if urlsplit(url).scheme not in {"http", "https"}:
        raise SignalenRefused(f"SIGNALEN_URL is not an http(s) address: {base_url}")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - scheme checked
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:200].decode(errors="replace")
        kind = SignalenUnavailable if error.code >= 500 else SignalenRefused
        raise kind(f"{method} {path}: HTTP {error.code} {detail}") from error
    except (urllib.error.URLError, OSError) as error:
        raise SignalenUnavailable(f"{method} {path}: {error}") from error
    if status != expect:
        raise SignalenRefused(f"{method} {path}: HTTP {status}, expected {expect}")
    try:
        return json.loads(raw)
    except ValueError as error:
        raise SignalenRefused(f"{method} {path}: not JSON") from error


def _public_signal(answer: dict) -> PublicSignal:
    status = answer.get("status") or {}
    signal_id = answer.get("signal_id")
    if not isinstance(signal_id, str) or not signal_id:
        raise SignalenRefused("the answer has no signal_id")
    return PublicSignal(signal_id=signal_id, reference=str(answer.get("_display") or "")[:60],
                        state=str(status.get("state") or "")[:20],
                        state_text=str(status.get("state_display") or "")[:200])


def _shorten(text: str, at_most: int) -> str:
    return text if len(text) <= at_most else text[: at_most - 1].rstrip() + "…"
