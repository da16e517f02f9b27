"""The one owner of the transaction (``commit``), and the set-up that depends on the engine:
SQLite pragmas and transactions, the instance folder.

Who commits
-----------
One unit of work per request, committed once at its end by ``web.PortalApp`` (as Indico's
request handler does); one per CLI command, committed when it returns (``cli_command``). Both
call ``commit()`` below, the only place that calls ``db.session.commit()``. Views and
services never commit: they change objects, ``flush`` when they need an id, and use a
savepoint (``db.session.begin_nested()``) where a unique constraint may refuse a row. A
request that ends in an error is rolled back as a whole. What must wait until the change is
safely stored (sending mail) registers itself with ``after_commit``. The one other caller of
``commit()`` is the outbox's sender, which records each message before it sends the next.

Why write transactions begin IMMEDIATE on SQLite
------------------------------------------------
SQLite has one writer at a time. Python's ``sqlite3`` module offers two ways to run
transactions, and with several gunicorn workers both go wrong under load:

* Left to itself ("legacy transaction control") it sends no BEGIN before a SELECT, only a
  deferred BEGIN just before the first INSERT or UPDATE. What a request reads is therefore not
  part of its transaction: two requests can both check "is this address still free?" and both
  insert (a 500 on the unique index), or both read a counter and both write it back (a lost
  update).
* With real transactions that begin DEFERRED, the read comes first and the write lock is
  asked for later. When another worker committed in between, SQLite cannot upgrade the stale
  snapshot and answers "database is locked" at once, at the flush or commit: the busy
  timeout does not help, and under load most writes fail (the 503 page).

``BEGIN IMMEDIATE`` takes the write lock when the transaction starts, before anything is read.
A second writer simply waits at its own ``BEGIN IMMEDIATE`` on the busy timeout until the
first commits: writers queue, and each one reads what the previous one wrote. So the driver's
own transaction handling is off (``isolation_level = None``) and SQLAlchemy's ``begin`` event
sends the BEGIN we choose:

* requests that may write (POST, PUT, PATCH, DELETE): ``BEGIN IMMEDIATE``;
* GET, HEAD and OPTIONS: ``BEGIN`` (deferred), so readers never wait for writers (WAL);
* outside a request (the CLI, migrations, backups, tests): ``BEGIN IMMEDIATE``.

The price: a writing request holds the write lock from its first query until it commits, so
keep write requests short (do slow work, such as sending mail, after the commit). A GET that
writes still works but is not protected; keep writes in POSTs. PostgreSQL needs none of this
(it locks rows, not the database), but there a read-then-write is not serialised either: use
the unique constraint (see ``accounts.views._saved``) or an SQL expression such as
``count = count + 1`` for counters.
"""

import functools
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, has_request_context, request
from flask.cli import with_appcontext
from sqlalchemy import event, insert, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError

from portal.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AFTER_COMMIT = "after_commit"  # key in ``db.session.info``
CONNECTED = "connected"  # key in ``db.session.info``: this unit of work has a connection


def commit() -> None:
    """Commit the unit of work, then run what waited for it (``after_commit``). A request that
    never reached the database (everything it showed was kept, ``portal/pagecache.py``) and
    changed nothing has nothing to commit: the session is simply closed at its end. One that
    never even made a session (a signed-in page whose rows are all shared, ``portal/kept.py``)
    makes none here: making one cost a signed-in page 7 % (benchmarks/README.md)."""
    if not db.session.registry.has():
        return  # nothing asked, nothing changed, nothing waiting (that lives in the session)
    waiting = db.session.info.pop(AFTER_COMMIT, [])
    if _reached_the_database(db.session) or db.session.new or db.session.dirty or db.session.deleted:
        db.session.commit()
    for callback in waiting:
        callback()


def _reached_the_database(session) -> bool:
    return session.info.get(CONNECTED, False)


@event.listens_for(db.session, "after_begin")
def _remember_connection(session, _transaction, _connection) -> None:
    session.info[CONNECTED] = True


@event.listens_for(db.session, "after_transaction_end")
def _forget_connection(session, transaction) -> None:
    if transaction.parent is None:  # the unit of work ended (commit, rollback or close)
        session.info.pop(CONNECTED, None)


def cli_command(name: str):
    """``@cli_command("send-mail")``: a ``flask`` command that is one unit of work, committed
    when it returns (and rolled back when it fails), like a request."""

    def decorate(function):
        @functools.wraps(function)
        def run_and_commit(*args, **kwargs):
            result = function(*args, **kwargs)
            commit()
            return result

        return click.command(name)(with_appcontext(run_and_commit))

    return decorate


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback()`` once the current unit of work is committed (once, however often it is
    registered); forgotten when it is rolled back."""
    waiting = db.session.info.setdefault(AFTER_COMMIT, [])
    if callback not in waiting:
        waiting.append(callback)


@event.listens_for(db.session, "after_rollback")
def _forget_after_commit(session) -> None:
    """The unit of work was rolled back: what waited for its commit is forgotten. A savepoint
    rolled back (``insert_once`` refusing a row) forgets nothing: the rest of the unit of
    work goes on and is committed with what waits for it."""
    if not session.in_nested_transaction():
        session.info.pop(AFTER_COMMIT, None)


def configure_database(app: Flask) -> None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_on_connect)
        event.listen(db.engine, "begin", _sqlite_begin)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer work at once; the busy timeout makes writers queue."""
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves, see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql(sqlite_begin_statement())


def sqlite_begin_statement() -> str:
    """``BEGIN`` for requests that only read, ``BEGIN IMMEDIATE`` for everything else."""
    if has_request_context() and request.method in READ_ONLY_METHODS:
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def is_hand_made_search_object(name: str | None) -> bool:
    """Full-text search machinery (FTS5 tables, PostgreSQL GIN indexes) is written by hand in
    the migrations and named with ``_fts``; the models do not describe it, so Alembic's
    autogenerate must not offer to drop it."""
    return bool(name) and ("_fts_" in name or name.endswith("_fts"))


def include_name(name, type_, _parent_names) -> bool:
    """Alembic ``include_name`` hook: everything except the hand-made search objects."""
    return not (type_ in {"table", "index"} and is_hand_made_search_object(name))


def add_to_counter(counter, row_id: int, amount: int) -> None:
    """``UPDATE <table> SET <counter> = <counter> + amount WHERE id = row_id`` in the caller's
    transaction: correct under concurrent requests (no read-then-write). A row already loaded
    in the session forgets its old value; one that is not loaded is not fetched."""
    model = counter.class_
    db.session.execute(update(model).where(model.id == row_id).values({counter: counter + amount}))
    loaded = db.session.identity_map.get(db.session.identity_key(model, row_id))
    if loaded is not None:
        db.session.expire(loaded, [counter.key])


def insert_once(model, **values) -> bool:
    """Insert a row that a unique constraint allows once (steun, following a post) in the
    caller's transaction; False when it is there already. Two requests at the same moment:
    the constraint refuses the second one's row in a savepoint, and the rest of its unit of
    work goes on."""
    try:
        with db.session.begin_nested():
            db.session.execute(insert(model).values(**values))
    except IntegrityError:
        return False
    return True
