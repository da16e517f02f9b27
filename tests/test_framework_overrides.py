"""The portal's framework overrides, each checked against the framework it overrides, so an
upgrade that changes what an override relies on fails here instead of quietly breaking it or
leaving it useless. Why each one is there, with its measured gain: benchmarks/README.md,
"Framework overrides".

- ``PortalEnvironment.make_globals`` (portal/web.py): Jinja's ``Environment.make_globals``
  still has its signature, is not taken over by Flask, still returns a ``ChainMap`` (the copy
  per render the override avoids) and is still what a loaded template's ``globals`` come from.
- ``PortalRequest.parameter_storage_class`` (portal/requests.py): Werkzeug still builds
  ``args`` and ``form`` with it (public API, but the cleaning rests on it), and files stay.
- ``RememberingSessionInterface.open_session`` (portal/sessioncookie.py): Flask's
  ``open_session`` still has its signature and gives the same session as the override for a
  good, an expired, a forged and a missing cookie; the serializer still returns the time a
  cookie was signed.
- ``reuse_signed_csrf_token`` (portal/security.py): Flask-WTF's ``generate_csrf`` still takes
  the signed token from ``g`` under the configured field name first, and still leaves the one
  it signs there; tokens still never expire by time here.
- The ``static`` view (portal/staticfiles.py): Flask's ``send_static_file`` still has its
  signature, and Flask's own view with Flask-Compress still sends a text file uncompressed to
  a browser with gzip only (the reason the override exists).
- Flask-Compress's gzip (portal/compression.py): Flask-Compress still gzips through its
  module's ``compression.gzip.compress(data, level)``, so a page's gzip is ISA-L's (whose
  bytes differ from Python's gzip's), and a browser that accepts brotli too gets gzip.
- ``url_for`` in templates (portal/templating.py, ``remembering_url_for``): Flask's routes
  still match no host or subdomain, so an address does not depend on the host it was asked
  on; what is remembered is what Flask builds, for every kind of argument; a relative or an
  external address is built each time.
"""

import collections
import inspect
import io
from datetime import timedelta

import jinja2
import pytest
from flask import Flask, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.templating import Environment as FlaskEnvironment
from flask_wtf import csrf as flask_wtf_csrf
from werkzeug.datastructures import FileStorage
from werkzeug.sansio.request import Request as SansioRequest

from portal.requests import CleanMultiDict, PortalRequest
from portal.security import _is_signed_form_of
from portal.sessioncookie import RememberingSessionInterface
from portal.web import PortalEnvironment
from tests.conftest import login
from tests.factories import make_user


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# a) Jinja's Environment.make_globals


def test_jinja_make_globals_is_still_what_the_override_replaces(app):
    assert _parameters(jinja2.Environment.make_globals) == ["self", "d"]
    assert "make_globals" not in vars(FlaskEnvironment)  # Flask adds nothing the override skips
    assert isinstance(app.jinja_env, PortalEnvironment)
    made = jinja2.Environment.make_globals(app.jinja_env, {"extra": 1})  # Jinja's own
    assert isinstance(made, collections.ChainMap)  # what each render copied, and no longer does


def test_a_loaded_template_has_every_global_in_one_dict(app):
    template = app.jinja_env.get_template("base.html")
    assert type(template.globals) is dict
    assert set(app.jinja_env.globals) <= set(template.globals)  # all registered before loading


# b) Werkzeug's Request.parameter_storage_class


def test_werkzeug_builds_args_and_form_with_the_parameter_storage_class(app):
    assert "parameter_storage_class" in vars(SansioRequest)
    assert not [name for name in vars(PortalRequest) if name.startswith("_") and not name.startswith("__")]
    upload = (io.BytesIO(b"a\x00b"), "bijlage.txt")
    for data in ({"tekst": "a\x00b\x1fc"}, {"tekst": "a\x00b\x1fc", "bijlage": upload}):
        with app.test_request_context("/?q=a%00b&x%01=1", method="POST", data=data) as context:
            request = context.request
            assert type(request.args) is CleanMultiDict and type(request.form) is CleanMultiDict
            assert request.args.to_dict() == {"q": "ab", "x": "1"}
            assert request.form.to_dict() == {"tekst": "abc"}
            if "bijlage" in data:
                assert isinstance(request.files["bijlage"], FileStorage)
                assert request.files["bijlage"].read() == b"a\x00b"  # files are not text


# c) Flask's SecureCookieSessionInterface.open_session


def test_flask_open_session_is_still_what_the_override_replaces(app):
    assert _parameters(SecureCookieSessionInterface.open_session) == ["self", "app", "request"]
    assert _parameters(SecureCookieSessionInterface.get_signing_serializer) == ["self", "app"]
    assert SecureCookieSessionInterface.session_class is SecureCookieSession
    assert isinstance(app.session_interface, RememberingSessionInterface)
    serializer = app.session_interface.get_signing_serializer(app)
    data, signed_at = serializer.loads(serializer.dumps({"a": 1}), max_age=60, return_timestamp=True)
    assert data == {"a": 1} and signed_at.timestamp() > 0


def test_flask_and_the_override_open_the_same_sessions(app):
    flask_interface, portal_interface = SecureCookieSessionInterface(), app.session_interface
    signed = flask_interface.get_signing_serializer(app).dumps({"_user_id": "7", "csrf_token": "abc"})
    forged = signed[:-2] + ("AA" if not signed.endswith("AA") else "BB")

    def both(cookie):
        headers = {"Cookie": f"session={cookie}"} if cookie else {}
        with app.test_request_context("/", headers=headers) as context:
            opened = [i.open_session(app, context.request) for i in (flask_interface, portal_interface)]
        assert all(type(each) is SecureCookieSession for each in opened)
        return [dict(each) for each in opened]

    assert both(signed) == [{"_user_id": "7", "csrf_token": "abc"}] * 2
    assert both(signed) == [{"_user_id": "7", "csrf_token": "abc"}] * 2  # now remembered
    assert both(forged) == [{}, {}]
    assert both(None) == [{}, {}]
    app.permanent_session_lifetime = timedelta(seconds=-1)  # every cookie too old
    assert both(signed) == [{}, {}]


# d) Flask-WTF's g.csrf_token


def test_generate_csrf_still_takes_the_signed_token_from_g_first(app):
    assert _parameters(flask_wtf_csrf.generate_csrf) == ["secret_key", "token_key"]
    assert app.config["WTF_CSRF_FIELD_NAME"] == "csrf_token"  # the name security.py uses
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None  # why a token signed once stays good
    with app.test_request_context("/"):
        signed = flask_wtf_csrf.generate_csrf()
        assert g.csrf_token == signed  # left where after_request finds it
        raw = session["csrf_token"]
        assert _is_signed_form_of(signed, raw)
        g.csrf_token = "kept"
        assert flask_wtf_csrf.generate_csrf() == "kept"  # g first, nothing signed again
    with app.test_request_context("/"):  # a later request of the same session
        session["csrf_token"] = raw
        flask_wtf_csrf.validate_csrf(signed)  # the token signed before still validates


# e) Flask's static view


def test_flask_send_static_file_is_still_what_the_override_falls_back_to():
    assert _parameters(Flask.send_static_file) == ["self", "filename"]


def test_flask_alone_still_sends_static_text_uncompressed_to_gzip_only_browsers(app, client):
    """If this fails, Flask or Flask-Compress now compress static files with gzip themselves:
    measure again whether portal/staticfiles.py still pays."""
    app.view_functions["static"] = app.send_static_file  # Flask's own view, as before the override
    response = client.get("/static/css/portal.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


# f) Flask-Compress's gzip


def test_flask_compress_still_gzips_through_the_name_the_portal_replaces(app, client):
    """If this fails, Flask-Compress no longer compresses through ``compression.gzip``: the
    pages went back to Python's gzip (five times as slow), or it has a setting now."""
    import gzip

    import flask_compress.flask_compress as flask_compress_module
    from isal import igzip

    assert flask_compress_module.compression.gzip is igzip
    assert "compression.gzip.compress(" in inspect.getsource(flask_compress_module._compress_data)
    login(client, make_user(name="Riet van Dijk"))  # signed in: a page rendered for her, not a kept copy
    for accepted in ("gzip", "gzip, deflate, br, zstd"):
        response = client.get("/privacy", headers={"Accept-Encoding": accepted})
        assert response.headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(response.get_data())
        level = app.config["COMPRESS_LEVEL"]
        made_by = {igzip.compress(body, level, mtime=0)[10:], gzip.compress(body, level, mtime=0)[10:]}
        assert len(made_by) == 2  # the two libraries' streams differ for this page
        assert response.get_data()[10:] == igzip.compress(body, level, mtime=0)[10:]


# g) Flask-Limiter's hooks


def test_flask_limiter_still_hooks_in_with_the_two_functions_the_portal_wraps():
    """If this fails, Flask-Limiter registers its hooks differently: see whether reads still
    pass them, and measure again (benchmarks/README.md)."""
    from functools import partial

    from flask_limiter import Limiter

    probe = Flask("probe")
    limiter = Limiter(key_func=lambda: "probe", app=probe)
    [check] = [f for f in probe.before_request_funcs[None] if getattr(f, "__self__", None) is limiter]
    assert check.__func__ is Limiter._check_request_limit
    [headers] = [f for f in probe.after_request_funcs[None] if getattr(f, "args", None) == (limiter,)]
    assert isinstance(headers, partial) and "inject_headers" in headers.func.__name__


def test_a_read_passes_the_limiter_and_a_write_is_still_limited(app, client):
    from portal.extensions import limiter

    hooks = [*app.before_request_funcs[None], *app.after_request_funcs[None]]
    assert not any(getattr(f, "__self__", None) is limiter or getattr(f, "args", None) == (limiter,)
                   for f in hooks)  # both wrapped
    user = make_user()
    read = client.get("/inloggen")
    assert read.status_code == 200 and "X-RateLimit-Limit" not in read.headers
    for _ in range(10):
        write = client.post("/inloggen", data={"email": user.email, "password": "fout"})
        assert "X-RateLimit-Limit" in write.headers
    assert client.post("/inloggen", data={"email": user.email, "password": "fout"}).status_code == 429


# h) url_for in templates


def test_templates_get_the_remembering_url_for_and_flask_builds_addresses_without_a_host(app):
    """If this fails, Flask or Werkzeug build addresses per host or subdomain now: an address
    remembered on one wijk's host could be wrong on another's."""
    url_for = app.jinja_env.globals["url_for"]
    assert url_for.__name__ == "url_for_in_templates"
    assert not app.url_map.host_matching and app.url_map.default_subdomain == ""
    assert all(not rule.host and not rule.subdomain for rule in app.url_map.iter_rules())


@pytest.mark.parametrize("endpoint, values", [
    ("board.themes", {}),
    ("board.support", {"post_id": 2}),
    ("board.board", {"slug": "verkeer", "soort": "idee", "pagina": 3}),  # a query, in this order
    ("accounts.login", {"next": "/berichten/2?x=1&y=ü"}),
    ("static", {"filename": "css/portal.css"}),  # the URL default adds its version
    ("circles.show", {"slug": "vleuten-dorp", "_anchor": "hulp"}),
])
def test_a_remembered_address_is_the_one_flask_builds_on_every_host(app, endpoint, values):
    url_for = app.jinja_env.globals["url_for"]
    for host in ("localhost", "west.localhost", "127.0.0.1:5000"):
        with app.test_request_context("/", base_url=f"http://{host}"):
            assert url_for(endpoint, **values) == app.url_for(endpoint, **values)
            assert url_for(endpoint, **values) == app.url_for(endpoint, **values)  # remembered


def test_relative_external_and_unhashable_addresses_are_built_each_time(app):
    url_for = app.jinja_env.globals["url_for"]
    with app.test_request_context("/themas/verkeer", base_url="http://west.localhost"):
        app.preprocess_request()
        assert url_for(".themes") == "/themas"  # the page's blueprint: board
        assert url_for("board.themes", _external=True) == "http://west.localhost/themas"
        assert url_for("board.board", slug="verkeer", soort=["idee", "vraag"]).endswith(
            "soort=idee&soort=vraag")
    with app.test_request_context("/", base_url="http://localhost"):
        assert url_for("board.themes", _external=True) == "http://localhost/themas"
