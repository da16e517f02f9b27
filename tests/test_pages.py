import pytest
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.config import DEV_SECRET_KEY
from tests.conftest import htmx_headers, login
from tests.factories import make_user

PUBLIC_PAGES = ["/", "/toegankelijkheid", "/privacy", "/inloggen", "/registreren"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_dutch_and_secure(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert 'href="#inhoud"' in page  # skip link
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "HX-Request" in response.headers["Vary"]


def test_csp_nonce_is_new_for_every_request(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_home_has_three_entry_points(client):
    page = client.get("/").get_data(as_text=True)
    for label in ("Ik zoek hulp", "Ik wil helpen", "Een idee voor de wijk"):
        assert label in page


def test_navigation_changes_after_sign_in(client):
    assert "Inloggen" in client.get("/").get_data(as_text=True)
    login(client, make_user())
    page = client.get("/").get_data(as_text=True)
    assert "Mijn account" in page and "Uitloggen" in page


def test_friendly_404_with_headers(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Deze pagina bestaat niet" in page and "Naar de startpagina" in page
    assert "Content-Security-Policy" in response.headers


def test_friendly_500(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/stuk")
    def broken():
        raise RuntimeError("boom")

    response = client.get("/stuk")
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_friendly_403(app, client):
    from flask import abort

    @app.get("/verboden")
    def forbidden():
        abort(403)

    response = client.get("/verboden")
    assert response.status_code == 403
    assert "Dit mag u niet bekijken" in response.get_data(as_text=True)


def test_healthz_answers_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_fails_without_a_database(tmp_path):
    missing = tmp_path / "no-such-dir" / "sub" / "x.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    missing.parent.rmdir()  # the folder is gone: SQLite cannot open the file
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_database_errors_give_a_friendly_503(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/db-weg")
    def db_gone():
        raise OperationalError("SELECT 1", {}, Exception("database is gone"))

    response = client.get("/db-weg")
    assert response.status_code == 503
    assert "even niet bereikbaar" in response.get_data(as_text=True)


def test_text_size_switch_without_javascript(client):
    response = client.post("/tekstgrootte", data={"maat": "grootst", "next": "/privacy"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy"
    assert "tekstgrootte=grootst" in response.headers["Set-Cookie"]
    assert 'data-tekstgrootte="grootst"' in client.get("/privacy").get_data(as_text=True)


def test_text_size_switch_ignores_foreign_next_and_unknown_sizes(client):
    response = client.post("/tekstgrootte", data={"maat": "reusachtig", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers or "tekstgrootte" not in response.headers["Set-Cookie"]


def test_static_urls_are_versioned_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/css/portal.css?v=" in page
    css_url = page.split('href="/static/css/portal.css?v=')[1].split('"')[0]
    response = client.get(f"/static/css/portal.css?v={css_url}")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_flash_messages_reach_the_live_region_out_of_band(app, client):
    from flask import flash

    from portal.web import render

    @app.get("/proef")
    def proef():
        flash("Gelukt!", "success")
        return render("pages/privacy.html", "_messages.html")

    fragment = client.get("/proef", headers=htmx_headers()).get_data(as_text=True)
    assert 'hx-swap-oob="innerHTML:#meldingen"' in fragment
    assert "Gelukt!" in fragment
    assert "<html" not in fragment
    boosted = client.get("/proef", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in boosted.get_data(as_text=True)
    restore = client.get("/proef", headers=htmx_headers(**{"HX-History-Restore-Request": "true"}))
    assert "<html" in restore.get_data(as_text=True)


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(RuntimeError):
        create_app()


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_foreign_keys(app):
    from sqlalchemy import text

    from portal.extensions import db

    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_proxy_fix_is_a_setting(tmp_path):
    app = create_app({"TESTING": True, "PROXY_FIX": 1,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert type(app.wsgi_app).__name__ == "ProxyFix"


def test_an_id_too_large_for_the_database_is_not_found(client):
    """PostgreSQL refuses integers beyond 64 bits (DataError); SQLite finds nothing: both 404."""
    huge = 2**31  # one past the INTEGER id columns; PostgreSQL would raise
    for path in (f"/berichten/{huge}", f"/hulp/{huge}", f"/agenda/{huge}"):
        response = client.get(path)
        assert response.status_code in (302, 404), path  # /hulp asks to sign in first
        assert response.status_code != 500
