"""What each framework override saves on a signed-in page, measured in-process.

    DATABASE_URL=sqlite:////tmp/speed.db .venv/bin/python benchmarks/overrides.py \
        [--password PW] [--rounds 40]

The WSGI app is called directly with a settled session cookie and ``Accept-Encoding: gzip``
(as gunicorn calls it; no test client in the way). Each round runs a batch of 20 requests
per variant, the variants in a new random order every round, so a busy moment of the shared
machine hits them all alike; each variant switches one override off on the same app (the
same kept parts and rows). Printed per page and variant: the best and the median batch mean
in CPU time of this process, and the difference to the portal as it is. "As it is, templates
loaded again" switches nothing but empties Jinja's template cache as the globals variant does:
a control for what switching itself costs. Rate limits are on, as in production.
"""

import argparse
import gzip
import random
import re
import statistics
import time
import types

import flask_compress.flask_compress as flask_compress_module
from flask.sessions import SecureCookieSessionInterface
from jinja2 import Environment as JinjaEnvironment
from werkzeug.test import EnvironBuilder

from portal import create_app

PAGES = [("bewoner@example.org", "/privacy"), ("bewoner@example.org", "/"),
         ("bewoner@example.org", "/cirkels/{circle}"), ("bewoner@example.org", "/themas/verkeer")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", default="demo")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    app = create_app()  # rate limits on, as in production
    variants = _variants(app)
    ids = _ids(app)
    for who, page in PAGES:
        path = page.format(**ids)
        cookie, base = _signed_in_cookie(app, who, args.password)  # the same address and agent
        headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
        environ = EnvironBuilder(path=path, headers=headers, environ_base=base).get_environ()
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            order = list(variants)
            random.shuffle(order)
            for name in order:
                switch_off, switch_on = variants[name]
                switch_off()
                for _ in range(20):  # warm: templates compiled again, their code specialised
                    _call(app, environ)
                started = time.process_time()
                for _ in range(20):
                    _call(app, environ)
                times[name].append((time.process_time() - started) / 20)
                switch_on()
        base_best, base_median = min(times["as it is"]), statistics.median(times["as it is"])
        print(f"{who.split('@')[0]} {path}")
        for name, batch in times.items():
            best, median = min(batch), statistics.median(batch)
            print(f"  {name:38} best {best * 1e6:6.0f} µs  median {median * 1e6:6.0f} µs"
                  f"  without it: {(best - base_best) / base_best:+6.1%} (best)"
                  f" {(median - base_median) / base_median:+6.1%} (median)")


def _variants(app) -> dict:
    """Each: (switch the override off, switch it on again)."""
    remembering = app.session_interface
    plain = SecureCookieSessionInterface()

    def session(interface):
        return lambda: setattr(app, "session_interface", interface)

    before = app.before_request_funcs[None]
    after = app.after_request_funcs[None]
    reuse = next(f for f in before if f.__name__ == "reuse_signed_csrf_token")
    remember = next(f for f in after if f.__name__ == "remember_signed_csrf_token")

    hooks = (list(before), list(after))

    def csrf_off():
        before.remove(reuse)
        after.remove(remember)

    def csrf_on():
        before[:], after[:] = hooks

    env = app.jinja_env

    def globals_with(make_globals):
        def switch():
            env.make_globals = types.MethodType(make_globals, env)
            env.cache.clear()  # templates load again, with globals made the other way
        return switch

    wrapped_check = next(f for f in before if f.__name__ == "check_limits_of_a_write")
    wrapped_headers = next(f for f in after if f.__name__ == "limit_headers_of_a_write")
    check, headers = (next(c.cell_contents for c in wrapped.__closure__ if callable(c.cell_contents))
                      for wrapped in (wrapped_check, wrapped_headers))

    def limiter_on_reads():
        before[before.index(wrapped_check)] = check
        after[after.index(wrapped_headers)] = headers

    def limiter_on_writes_only():
        before[before.index(check)] = wrapped_check
        after[after.index(headers)] = wrapped_headers

    with_isal = flask_compress_module.compression
    with_python_gzip = types.SimpleNamespace(gzip=gzip, zlib=with_isal.zlib, zstd=with_isal.zstd)

    def gzip_of(namespace):
        return lambda: setattr(flask_compress_module, "compression", namespace)

    return {
        "as it is": (lambda: None, lambda: None),
        "as it is, templates loaded again": (globals_with(type(env).make_globals),
                                             globals_with(type(env).make_globals)),
        "without the remembered session cookies": (session(plain), session(remembering)),
        "without the reused signed CSRF token": (csrf_off, csrf_on),
        "without the globals as one dict": (globals_with(JinjaEnvironment.make_globals),
                                            globals_with(type(env).make_globals)),
        "without ISA-L (Python's gzip)": (gzip_of(with_python_gzip), gzip_of(with_isal)),
        "with Flask-Limiter's hooks on reads": (limiter_on_reads, limiter_on_writes_only),
    }


def _call(app, environ):
    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status
        assert not any(name == "Set-Cookie" for name, _ in headers), "the session cookie did not settle"

    body = app(dict(environ), start_response)
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()


def _signed_in_cookie(app, email, password) -> tuple[str, dict]:
    client = app.test_client()
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = client.post("/inloggen", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    for _ in range(3):
        client.get("/privacy")  # until the session settles (no Set-Cookie any more)
    return f"session={client.get_cookie('session').value}", dict(client.environ_base)


def _ids(app) -> dict:
    from profile_pages import _ids as ids_in_wijk  # bewoner's circle, read inside the wijk

    return ids_in_wijk(app, "localhost")

if __name__ == "__main__":
    main()
