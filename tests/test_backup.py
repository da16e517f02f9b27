"""``flask backup`` and ``flask restore``: the demo data comes back whole, into an empty
database only, on the database of the pass (SQLite, or PostgreSQL through pg_dump)."""

import sqlite3

import pytest

from portal import backup, create_app, demo
from portal.extensions import db
from tests.conftest import app_config


def _flask(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
        return result


def test_a_backup_of_the_demo_data_restores_whole(app, tmp_path, empty_database_url):
    demo.seed(password="demo-wachtwoord-2026")
    db.session.commit()  # seed-demo commits; here the test does
    seeded = backup.row_counts(db.engine)
    assert seeded["users"] >= len(demo.DEMO_ACCOUNTS) and seeded["neighbourhoods"] >= 6
    path = tmp_path / "portal.backup"

    made = _flask(app, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert "Backup gemaakt" in made.output

    restored_app = create_app(app_config(empty_database_url))
    result = _flask(restored_app, "restore", str(path))
    assert result.exit_code == 0, result.output
    with restored_app.app_context():
        assert backup.row_counts(db.engine) == seeded
        db.engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    path = tmp_path / "portal.backup"
    assert _flask(app, "backup", str(path)).exit_code == 0
    result = _flask(app, "restore", str(path))
    assert result.exit_code == 1
    assert "De database is niet leeg (tabellen: alembic_version, " in result.output


def test_backup_never_overwrites_and_restore_refuses_other_files(tmp_path, empty_database_url, app):
    existing = tmp_path / "al-daar.backup"
    existing.write_text("iets anders")
    refused = _flask(app, "backup", str(existing))
    assert refused.exit_code == 1 and "bestaat al" in refused.output
    assert existing.read_text() == "iets anders"

    result = _flask(create_app(app_config(empty_database_url)), "restore", str(existing))
    assert result.exit_code == 1 and "geen backup" in result.output


@pytest.mark.sqlite_only
def test_sqlite_backup_is_a_consistent_snapshot_while_someone_writes(app, tmp_path):
    """The online backup takes what is committed, even while another writer holds the lock."""
    demo.seed(password="demo-wachtwoord-2026")
    db.session.commit()  # seed-demo commits; here the test does
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM neighbourhoods")
    path = tmp_path / "tijdens-het-schrijven.backup"
    try:
        backup.backup(db.engine, path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(path) as copy:
        assert copy.execute("SELECT count(*) FROM neighbourhoods").fetchone()[0] == 7  # and West's Lombok
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.postgresql_only
def test_postgresql_backup_without_pg_dump_says_what_to_install(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _flask(app, "backup", str(tmp_path / "portal.backup"))
    assert result.exit_code == 1
    assert "pg_dump is niet gevonden" in result.output and "postgresql-client" in result.output
    assert not list(tmp_path.glob("*.backup"))
