"""When the database changed, and every worker of every server hearing of it at once.

Everything the portal keeps between requests (``portal/kept.py``: the parts and rows of
signed-in pages; ``portal/pagecache.py``: the visitors' copies) is valid until the next change.
A change is a unit of work that wrote something and was committed. Only the outermost
transaction's commit counts: a savepoint (``db.session.begin_nested()``), released or rolled
back, announces nothing on its own, and what was written before it is not forgotten when it
is rolled back (``insert_once`` refusing a second steun leaves the rest of the request's
changes to be announced at its commit).

Each committed change advances a version that every worker asks before it serves anything
kept (one question per request, in ``SeenChanges`` in front of the app):

* ``RedisVersion`` (``CACHE_REDIS_URL`` set): a counter in Redis, one ``INCR`` per change and
  one ``GET`` per request, so every worker of every server empties what it keeps at its next
  request after the change (as Discourse's ``DistributedCache`` keeps its servers in step).
  When Redis does not answer, a worker keeps nothing until it does again.
* ``FileVersion`` (the embedded default): a file's modification time (``CHANGE_STAMP``), one
  ``stat`` per request, for the workers of one machine.

Writes outside ``db.session`` (a device session's "last seen", which changes nothing anyone
sees) announce nothing, and neither do writes a model declares quiet (``quiet_writes``).
"""

import logging
import os
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import make_url

from portal.extensions import db

log = logging.getLogger(__name__)
CHANGED = "portal.changed"  # key in ``db.session.info``: this unit of work wrote something


class FileVersion:
    """The version as a file's modification time, set to the moment of the change in
    nanoseconds (not left to the file system's coarser clock)."""

    def __init__(self, path: str):
        self.path = path
        self._seen = self._read()

    def _read(self) -> int | None:
        try:
            return os.stat(self.path).st_mtime_ns
        except OSError:
            return None

    def advance(self) -> None:
        now = time.time_ns()
        try:
            os.utime(self.path, ns=(now, now))
        except FileNotFoundError:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "a"):
                pass
            os.utime(self.path, ns=(now, now))
        except OSError:
            return  # a read-only disk: what is kept still ends after PAGE_CACHE_SECONDS
        self._seen = now

    def moved(self) -> bool:
        """Whether another worker changed something since this worker last looked."""
        current = self._read()
        if current == self._seen:
            return False
        self._seen = current
        return True


class RedisVersion:
    """The version as a counter in Redis, shared by every server."""

    def __init__(self, url: str, key: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.key = key
        self._seen: bytes | None = None
        self._lock = threading.Lock()

    def advance(self) -> bool:
        """Count the change; False when a change of another worker came in between unseen
        (so this worker empties what it keeps once more)."""
        try:
            number = self.client.incr(self.key)
        except Exception:  # noqa: BLE001 - Redis away: nothing kept is trusted (see moved)
            log.warning("CACHE_REDIS_URL does not answer; nothing is kept until it does")
            with self._lock:
                self._seen = None
            return False
        with self._lock:
            in_step = self._seen is not None and int(self._seen) + 1 == number
            self._seen = str(number).encode()
        return in_step

    def moved(self) -> bool:
        try:
            current = self.client.get(self.key) or b"0"
        except Exception:  # noqa: BLE001
            log.warning("CACHE_REDIS_URL does not answer; nothing is kept until it does")
            with self._lock:
                self._seen = None
            return True
        with self._lock:
            if current == self._seen:
                return False
            self._seen = current
            return True


class Changes:
    """This worker's view of the version, and what it empties when the version moves."""

    def __init__(self, version: FileVersion | RedisVersion):
        self.version = version
        self._on_change: list[Callable[[], None]] = []

    def on_change(self, empty: Callable[[], None]) -> None:
        """``empty()`` runs whenever a change is committed here or seen from elsewhere."""
        self._on_change.append(empty)

    def empty_everything(self) -> None:
        for empty in self._on_change:
            empty()

    def seen(self) -> None:
        """At the start of every request: empty what is kept when someone changed something."""
        if self.version.moved():
            self.empty_everything()

    def committed(self) -> None:
        """A change of this worker is committed: empty here, then tell the others."""
        self.empty_everything()
        if self.version.advance() is False:
            self.empty_everything()  # Redis missed a step: empty once more, to be sure


class SeenChanges:
    """WSGI layer in front of everything that serves kept things (the visitors' copies too)."""

    def __init__(self, wsgi_app, changes: Changes):
        self.wsgi_app = wsgi_app
        self.changes = changes

    def __call__(self, environ, start_response):
        self.changes.seen()
        return self.wsgi_app(environ, start_response)


def default_file(app: Flask) -> str:
    """Beside a SQLite file (so every database has its own, the tests' too), else in the
    instance folder, named after the database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return f"{url.database}-changes"
    name = "".join(c if c.isalnum() else "-" for c in f"{url.host or ''}-{url.database or ''}")
    return os.path.join(app.instance_path, f"changes-{name}")


def init_app(app: Flask, empties) -> Changes:
    """Wrap the app (outermost but for ProxyFix) so each request first sees the changes;
    ``empties``: the stores (anything with ``clear()``) a change empties."""
    config = app.config
    if config.get("CACHE_REDIS_URL"):
        url = make_url(config["SQLALCHEMY_DATABASE_URI"])
        key = f"{config['RATELIMIT_KEY_PREFIX']}:changes:{url.host or ''}/{url.database or ''}"
        version = RedisVersion(config["CACHE_REDIS_URL"], key)
    else:
        version = FileVersion(config.get("CHANGE_STAMP") or default_file(app))
    changes = Changes(version)
    for store in empties:
        changes.on_change(store.clear)
    app.extensions["changes"] = changes
    app.wsgi_app = SeenChanges(app.wsgi_app, changes)
    return changes


# --- Which commits are changes ----------------------------------------------------------------


def _quiet(model, write: str) -> bool:
    """Whether this kind of write to this model's rows changes nothing anything kept shows
    (``quiet_writes`` on the model: a new device session, the outbox's mails)."""
    return write in getattr(model, "quiet_writes", ())


@event.listens_for(db.session, "before_flush")
def _remember_flush(session, _flush_context, _instances):
    """A flush counts as a change unless every write in it is quiet: signing in or queueing
    a mail would otherwise empty every worker's kept pages."""
    writes = [(row, "insert") for row in session.new] + [(row, "update") for row in session.dirty] \
        + [(row, "delete") for row in session.deleted]
    if not all(_quiet(type(row), write) for row, write in writes):
        session.info[CHANGED] = True


@event.listens_for(db.session, "do_orm_execute")
def _remember_statement(state):
    write = ("insert" if state.is_insert else "update" if state.is_update
             else "delete" if state.is_delete else None)
    if write and not (state.bind_mapper is not None and _quiet(state.bind_mapper.class_, write)):
        state.session.info[CHANGED] = True


@event.listens_for(db.session, "after_commit")
def _announce_committed_change(session):
    if session.in_nested_transaction():
        return  # a savepoint released: its writes count when the outermost transaction commits
    if session.info.pop(CHANGED, False) and has_app_context():
        changes = current_app.extensions.get("changes")
        if changes is not None:
            changes.committed()


@event.listens_for(db.session, "after_transaction_end")
def _forget_at_the_end(session, transaction):
    if transaction.parent is None:  # the unit of work ended: committed (announced) or rolled back
        session.info.pop(CHANGED, None)
