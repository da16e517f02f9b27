"""In-process profile of signed-in pages: the test client on a database seeded with
``flask seed-demo --posts N`` (DATABASE_URL), each page requested many times, the time split
into queries (SQL statements run), templates (Jinja), forms (WTForms) and the rest.

    DATABASE_URL=sqlite:////tmp/speed.db .venv/bin/python benchmarks/profile_pages.py \
        [--password PW] [--repeat 200] [--cprofile PATH] [--host wijk10.localhost]

``--host`` asks every page on that wijk's host (the default wijk answers on ``localhost``), for
a database seeded by ``load.py --wijken 10`` (``benchmarks/wijken.py``).

This is what benchmarks/README.md records: the time per request (the best mean of batches of
20, in CPU time of this process, since the machine may be busy with other work), the
statements per request (BEGIN included), and cProfile's cumulative share of each part.
"""

import argparse
import cProfile
import gc
import pstats
import re
import time

from sqlalchemy import event

from portal import create_app
from portal.extensions import db

PAGES = [
    ("bewoner@example.org", "/"),
    ("bewoner@example.org", "/themas/verkeer"),
    ("bewoner@example.org", "/cirkels/{circle}"),
    ("bewoner@example.org", "/berichten/{post}"),
    ("verbinder@example.org", "/cirkels/{circle}/overzicht"),
    ("moderator@example.org", "/moderatie"),
]
PARTS = {  # cumulative time of these functions, as a share of the whole
    "queries": ("sqlalchemy/engine/base.py", "_execute_context"),
    "orm": ("sqlalchemy/orm/session.py", "execute"),
    "templates": ("flask/templating.py", "_render"),
    "wtforms widgets": ("wtforms/fields/core.py", "__call__"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", default="demo")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--gc-freeze", action="store_true", help="as wsgi.py: gc.freeze() after create_app")
    parser.add_argument("--cprofile", help="write the raw profile of each page here (prefix)")
    parser.add_argument("--host", default="localhost", help="the Host of every request: its wijk's pages")
    args = parser.parse_args()
    global BASE_URL
    BASE_URL = f"http://{args.host}"
    app = create_app({"RATELIMIT_ENABLED": False})
    if args.gc_freeze:
        gc.freeze()  # as wsgi.py does after loading the app
    ids = _ids(app, args.host)
    clients = {}
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"{'page':45} {'ms':>6} {'queries':>7}  " + "  ".join(f"{p:>15}" for p in PARTS))
    for who, page in PAGES:
        path = page.format(**ids)
        client = clients.get(who) or _signed_in(app, who, args.password)
        clients[who] = client
        for _ in range(20):  # warm: templates compiled, statements cached
            _get(client, path)
        statements.clear()
        _get(client, path)
        queries = len(statements)
        times = []  # the mean of each batch of 20; the best batch is the least disturbed
        for _ in range(max(1, args.repeat // 20)):
            started = time.process_time()  # CPU time: what limits req/s, and less disturbed
            for _ in range(20):
                _get(client, path)
            times.append((time.process_time() - started) / 20)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat // 2):
            _get(client, path)
        profile.disable()
        shares = _shares(profile)
        if args.cprofile:
            profile.dump_stats(f"{args.cprofile}{re.sub(r'[^a-z0-9]+', '_', who.split('@')[0] + path)}.prof")
        print(f"{who.split('@')[0] + ' ' + path:45} {min(times) * 1000:6.2f} {queries:7}  "
              + "  ".join(f"{shares[p]:>14.0%} " for p in PARTS))


BASE_URL = "http://localhost"


def _get(client, path):
    response = client.get(path, base_url=BASE_URL)
    assert response.status_code == 200, (path, response.status_code)
    return response


def _signed_in(app, email, password):
    client = app.test_client()
    page = client.get("/inloggen", base_url=BASE_URL).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = client.post("/inloggen", data={"email": email, "password": password, "csrf_token": token},
                         base_url=BASE_URL)
    assert answer.status_code == 303, answer.status_code
    return client


def _ids(app, host: str) -> dict:
    """Bewoner's circle and the post with the most replies, in the wijk of ``host``."""
    from portal.models import Circle, District, Membership, Post, User
    from portal.wijk import in_wijk
    with app.app_context():
        district = db.session.scalar(db.select(District).where(District.host == host)) or \
            db.session.scalar(db.select(District).order_by(District.id))
        with in_wijk(district):
            bewoner = db.session.scalar(db.select(User).where(User.email == "bewoner@example.org"))
            circle = db.session.scalar(
                db.select(Circle).join(Membership).where(Membership.user_id == bewoner.id))
            post = db.session.scalar(db.select(Post.id).order_by(Post.reply_count.desc(), Post.id).limit(1))
        return {"circle": circle.slug, "post": post}


def _shares(profile) -> dict:
    stats = pstats.Stats(profile).stats
    total = max(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name == "_get")
    shares = {}
    for part, (file, name) in PARTS.items():
        shares[part] = sum(ct for (f, _, n), (_, nc, _, ct, callers) in stats.items()
                           if f.endswith(file) and n == name and not any(
                               c[0].endswith(file) and c[2] == name for c in callers)) / total
    return shares


if __name__ == "__main__":
    main()
