"""Backups and restores of the whole database: ``flask --app portal backup PATH`` and
``flask --app portal restore PATH``.

* SQLite: the sqlite3 online backup API. It copies a consistent snapshot while the portal keeps
  serving (in WAL mode a reader never blocks the writers); the copy is checked and switched
  to an ordinary journal, so the backup is one self-contained file.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (postgresql-client, the same major
  version as the server or newer). Without them the commands say so and stop.

A backup is written under a temporary name and renamed when complete, so a file with the
final name is always whole. A restore only goes into an EMPTY database (no tables at all): it
never mixes a backup with live data. Restore into a new database, then point
``DATABASE_URL`` at it.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, Engine

from portal.wijk import ALL_WIJKEN

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Something the person running the command can act on; the message says what."""


def backup(engine: Engine, path: Path) -> None:
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} bestaat al. Kies een nieuwe bestandsnaam; een backup overschrijft niets.")
    if not path.parent.is_dir():
        raise BackupError(f"De map {path.parent} bestaat niet.")
    partial = path.with_name(f".{path.name}.partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_file(engine), partial)
        elif engine.dialect.name == "postgresql":
            _run(_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}",
                 url=engine.url)
        else:
            raise BackupError(f"Backups van {engine.dialect.name} worden niet ondersteund.")
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, path: Path) -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} bestaat niet.")
    tables = inspect(engine).get_table_names()
    if tables:
        raise BackupError(
            f"De database is niet leeg (tabellen: {', '.join(sorted(tables)[:5])}"
            f"{', ...' if len(tables) > 5 else ''}). Herstel alleen in een lege database: maak een "
            "nieuwe database aan, zet DATABASE_URL daarop en herstel opnieuw."
        )
    engine.dispose()  # no pooled connection may hold the file or the database meanwhile
    if engine.dialect.name == "sqlite":
        _expect_magic(path, SQLITE_MAGIC, "een SQLite-bestand")
        _sqlite_copy(path, Path(_sqlite_file(engine)))
    elif engine.dialect.name == "postgresql":
        _expect_magic(path, PG_DUMP_MAGIC, "een bestand van pg_dump --format=custom")
        _run(_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", str(path), url=engine.url)
    else:
        raise BackupError(f"Herstellen in {engine.dialect.name} wordt niet ondersteund.")


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, of every wijk: what the commands report, and how a restore is checked."""
    with engine.connect().execution_options(**{ALL_WIJKEN: True}) as connection:
        return {
            name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in sorted(inspect(connection).get_table_names())
        }


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("Een SQLite-database in het geheugen kan niet worden geback-upt.")
    return database


def _sqlite_backup(source: str, target: Path) -> None:
    if not Path(source).is_file():
        raise BackupError(f"De database {source} bestaat niet.")
    _sqlite_copy(Path(source), target)
    with closing(sqlite3.connect(target)) as copy:
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("De kopie is niet in orde; probeer het opnieuw.")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def _sqlite_copy(source: Path, target: Path) -> None:
    """One step of the online backup API: a consistent snapshot, even while others write."""
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _expect_magic(path: Path, magic: bytes, kind: str) -> None:
    with path.open("rb") as file:
        if file.read(len(magic)) != magic:
            raise BackupError(f"{path} is geen backup die in deze database past (verwacht: {kind}).")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is niet gevonden. Installeer de PostgreSQL-clientprogramma's (Debian: "
            f"apt-get install postgresql-client, dezelfde hoofdversie als de server of nieuwer)."
        )
    return found


def _run(program: str, *args: str, url: URL) -> None:
    """Run pg_dump or pg_restore against ``url``; the password travels in the environment."""
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
        [program, *args, f"--dbname={libpq_url}"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(program).name} is mislukt: {result.stderr.strip()}")
