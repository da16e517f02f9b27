"""Database set-up that depends on the engine: SQLite pragmas, the instance folder."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from portal.extensions import db


def configure_database(app: Flask) -> None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer work at once; the busy timeout makes writers queue."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(engine: Engine | None = None) -> bool:
    return (engine or db.engine).dialect.name == "sqlite"


def is_hand_made_search_object(name: str | None) -> bool:
    """Full-text search machinery (FTS5 tables, PostgreSQL GIN indexes) is written by hand in
    the migrations and named with ``_fts``; the models do not describe it, so Alembic's
    autogenerate must not offer to drop it."""
    return bool(name) and ("_fts_" in name or name.endswith("_fts"))


def include_name(name, type_, _parent_names) -> bool:
    """Alembic ``include_name`` hook: everything except the hand-made search objects."""
    return not (type_ in {"table", "index"} and is_hand_made_search_object(name))
