"""Load test of every main page: seed 100,000 posts into a temporary SQLite database, serve
the portal with gunicorn (4 workers, loopback only, settings as in production) and measure
req/s and p50/p99 latency per page, each as a share of a minimal Flask page served the same
way in the same run (the floor, measured before the first page and after every page: each
page is a share of the mean of the two floors around it).

    .venv/bin/python benchmarks/load.py [--posts 100000] [--seconds 5] [--rounds 3]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/loadtest]
        [--cache-redis-url redis://127.0.0.1:6379/1]

Two targets, each a share of the floor in the same run. Issue 7: the main pages as a visitor
reads them (each worker's short-lived copy, portal/pagecache.py) at least half the floor.
Issue 18: the pages a signed-in person uses every day (the session cookie of a demo account:
home, her circle, a board, a post, the verbinder's overview, the moderation queue), rendered
for that person with the shared parts reused, at least a quarter of the floor, with a p99
below 40 ms (measured with --connections 16 --workers 2 in the issue). Uses wrk (Debian's
/usr/bin/wrk) when present, else a bounded Python thread client. Every step is bounded in
time; the servers it starts are stopped at the end.

--database-url runs the same on PostgreSQL instead: the database is created when missing, its
public schema dropped and created again (everything in it is lost), then migrated and seeded.
--cache-redis-url gives the servers CACHE_REDIS_URL (the change version in Redis, not a file).

--wijken 10 (issue 25) seeds ten wijken in one database: the demo's (Vleuten-De Meern, and West
when the demo has it) and more made with create_wijk (``wijk<n>.localhost``), each with the
demo's content and --posts bulk posts (``benchmarks/wijken.py``; COPY on PostgreSQL). It
measures the pages of --measure-wijken of them (the default wijk and wijken made here), each
page asked with its wijk's Host header (the same account signed in on each wijk's host), and
then times the daily jobs across every wijk (``flask send-digests``, ``purge``, ``send-mail``
with mail to the console, ``sync-signalen``). Its targets are the issue's: every visitor's page
at 0.9 of the floor or more, every signed-in page at 0.25. --reuse-database measures a
PostgreSQL database that an earlier run with the same --wijken and --posts seeded, without
seeding it again (the jobs then find less to do: the first run sent the digests).
"""

import argparse
import gzip
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import NullPool, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-wachtwoord"  # noqa: S105 - a throwaway database
TARGET = 0.5  # every main page at least half the floor (issue 7)
WIJKEN_TARGET = 0.9  # with several wijken every visitor's page at 0.9 of the floor (issue 25)
SIGNED_IN_TARGET = 0.25  # every signed-in page at least a quarter of the floor (issue 18)
SIGNED_IN_P99_MS = 40
# (who, path): who is "" for a visitor, else the demo account whose session is sent.
PAGES = [
    ("", "/"),
    ("", "/themas"),
    ("", "/themas/verkeer"),
    ("", "/themas/verkeer?pagina=50"),
    ("", "/berichten/{post}"),
    ("", "/zoeken?q=fietspad"),
    ("", "/signalen"),
    ("", "/cirkels"),
    ("", "/cirkels?straat=Dorpsstraat"),
    ("", "/cirkels/kaart"),
    ("", "/cirkels/{circle}"),
    ("", "/agenda"),
    ("", "/agenda/{event}"),
    ("bewoner@example.org", "/"),
    ("bewoner@example.org", "/cirkels/{circle}"),
    ("bewoner@example.org", "/themas/verkeer"),
    ("bewoner@example.org", "/berichten/{read_post}"),
    ("verbinder@example.org", "/cirkels/{circle}/overzicht"),
    ("moderator@example.org", "/moderatie"),
]
# What a browser sends: compression is part of the cost, and one browser keeps its user agent
# from signing in onwards (Flask-Login's session protection marks a session that changes its
# agent "not fresh" and sets the cookie again at every request, which no browser would do).
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) portal-load-test"}
# The daily jobs of issue 25, in the order cron runs them in a night (each for every wijk).
JOBS = ["send-digests", "purge", "send-mail", "sync-signalen"]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-load-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'portal.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url,
               "SECRET_KEY": "load-test-secret-key-not-for-production", "PORTAL_ENV": "development"}
        env.pop("SMTP_HOST", None)  # the jobs' mail goes to the console
        database = make_url(url).render_as_string() if args.database_url else "SQLite, a temporary file"
        print(f"database: {database}; change version: {args.cache_redis_url or 'a file'}")
        if args.reuse_database and seeded_already(url, args):
            print(f"reusing the {args.wijken} wijk(en) with {args.posts} posts each that are there")
        else:
            if args.database_url:
                empty_postgresql(url)
            if args.wijken > 1:
                seed_wijken(env, url, args.wijken, args.posts)
            else:
                seconds = seed(env, args.posts)
                print(f"seed-demo --posts {args.posts}: {seconds:.1f} s "
                      "(migrations, demo data and bulk posts)")
        wijken = wijken_to_measure(url, args.measure_wijken if args.wijken > 1 else 1)
        if len(wijken) > 1:
            shown = (f"{w.slug} (Host: {w.host or '127.0.0.1'})" for w in wijken)
            print("wijken measured: " + ", ".join(shown))
        if args.cache_redis_url:
            env["CACHE_REDIS_URL"] = args.cache_redis_url
        measure = wrk if shutil.which("wrk") and not args.python_client else thread_client
        print(f"client: {measure.__name__}, {args.seconds} s per page, {args.connections} connections, "
              f"gunicorn {args.workers} workers\n")
        # The floor is measured before the first page and again after every page, its server
        # idle meanwhile; each page is a share of the mean of the two floors around it, so a
        # machine that gets busier or quieter during a run (a shared host's neighbours) moves
        # the floor with the page.
        rows, rendered, floors = [], [], []
        with gunicorn("benchmarks.hello:app", env, args.workers) as floor_base:
            def floor() -> float:
                floors.append(measure(floor_base + "/", {}, args.seconds, args.connections))
                return floors[-1][0]

            def page_and_floor(url: str, headers: dict) -> tuple:
                """The page ``--rounds`` times, the floor after each: the round with the
                median share (rate, p50, p99, the mean of the floors around it)."""
                rounds = []
                for _ in range(args.rounds):
                    rate, p50, p99 = measure(url, headers, args.seconds, args.connections)
                    before, after = floors[-1][0], floor()
                    rounds.append((rate, p50, p99, (before + after) / 2))
                return sorted(rounds, key=lambda r: r[0] / r[3])[len(rounds) // 2]

            floor()
            with gunicorn("wsgi:app", env, args.workers) as base:
                for wijk in wijken:
                    ids = ids_to_visit(url, wijk.id)
                    host = {"Host": wijk.host} if wijk.host else {}
                    sessions = {who: sign_in(base, who, host) for who in {who for who, _ in PAGES if who}}
                    for who, page in PAGES:
                        if args.signed_in_only and not who:
                            continue
                        path = page.format(**ids)
                        headers = {**host, **({"Cookie": sessions[who]} if who else {})}
                        check(base + path, headers, signed_in=bool(who), wijk=wijk.name)
                        rows.append((wijk.slug, who, path, *page_and_floor(base + path, headers)))
            if not (args.skip_rendered or args.signed_in_only):
                with gunicorn("wsgi:app", {**env, "PAGE_CACHE_SECONDS": "0"}, args.workers) as base:
                    for wijk in wijken:
                        ids = ids_to_visit(url, wijk.id)
                        host = {"Host": wijk.host} if wijk.host else {}
                        for who, page in PAGES:
                            if who:
                                continue
                            path = page.format(**ids)
                            rendered.append((wijk.slug, "", path, *page_and_floor(base + path, host)))
        jobs = [] if args.wijken == 1 or args.skip_jobs else time_jobs(env)
    if args.rounds > 1:
        print(f"each page {args.rounds} times, the floor after each; the round with the median share")
    print_table(rows, rendered, floors, several=len(wijken) > 1)
    if jobs:
        print_jobs(jobs, args.wijken)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5, help="per page (bounded: 1-30)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each page this many times, the floor after each; print the "
                             "round with the median share (for a shared host's noise)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--skip-rendered", action="store_true",
                        help="leave out the table of visitors' pages rendered every visit")
    parser.add_argument("--signed-in-only", action="store_true",
                        help="measure only the signed-in pages (issue 18) beside the floor")
    parser.add_argument("--database-url", metavar="URL",
                        help="a PostgreSQL database instead of a temporary SQLite file; "
                             "created when missing, its public schema dropped and created again")
    parser.add_argument("--cache-redis-url", metavar="URL",
                        help="CACHE_REDIS_URL for the servers: the change version in Redis")
    parser.add_argument("--wijken", type=int, default=1,
                        help="seed this many wijken, each with the demo and --posts posts (issue 25)")
    parser.add_argument("--measure-wijken", type=int, default=3,
                        help="with --wijken: measure the pages of this many of them (by Host header)")
    parser.add_argument("--reuse-database", action="store_true",
                        help="with --database-url: measure what an earlier run with the same --wijken "
                             "and --posts seeded, without seeding again")
    parser.add_argument("--skip-jobs", action="store_true", help="with --wijken: do not time the daily jobs")
    args = parser.parse_args()
    args.seconds = max(1, min(args.seconds, 30))
    args.rounds = max(1, min(args.rounds, 9))
    args.wijken = max(1, args.wijken)
    if args.reuse_database and not args.database_url:
        parser.error("--reuse-database needs --database-url (the SQLite file is temporary)")
    return args


def flask(env, *args, timeout=300):
    command = [sys.executable, "-m", "flask", "--app", "portal", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=timeout, capture_output=True)


def empty_postgresql(url: str) -> None:
    """Create the database if it is missing (from the server's ``postgres`` database, as
    tests/conftest.py does) and leave it with an empty public schema."""
    url = make_url(url)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with server.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": url.database}).scalar():
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    with create_engine(url, poolclass=NullPool).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def seed(env, posts: int) -> float:
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    flask(env, "seed-demo", "--password", PASSWORD, "--posts", str(posts))
    return time.perf_counter() - started


def seed_wijken(env, url: str, wijken: int, posts: int) -> None:
    """The demo in the default wijk (seed-demo), then ``benchmarks/wijken.py``: the other
    wijken, the demo in each one it makes, and ``posts`` bulk posts in every wijk."""
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    flask(env, "seed-demo", "--password", PASSWORD)
    print(f"seed-demo (the default wijk's demo): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    command = [sys.executable, "-m", "benchmarks.wijken", "--wijken", str(wijken), "--posts", str(posts)]
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=3600, capture_output=True,
                            text=True).stdout  # the demo's mail is printed too: only the wijken's lines
    for line in output.splitlines():
        if line.startswith("[") or "create_wijk" in line:
            print("  " + line)
    print(f"{wijken} wijken with {posts} posts each: {time.perf_counter() - started:.1f} s")
    if make_url(url).get_backend_name() == "postgresql":
        started = time.perf_counter()
        with create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))  # as autovacuum would soon: settled plans
        print(f"VACUUM (ANALYZE): {time.perf_counter() - started:.1f} s")


def seeded_already(url: str, args) -> bool:
    try:
        with create_engine(url, poolclass=NullPool).connect() as connection:
            wijken = connection.execute(text("SELECT count(*) FROM districts")).scalar()
            posts = connection.execute(text("SELECT count(*) FROM posts")).scalar()
    except Exception:  # noqa: BLE001 - no database, no tables: seed it
        return False
    return wijken == args.wijken and posts >= args.wijken * args.posts


class Wijk(tuple):
    """id, slug, name, host (None: the default wijk, asked on 127.0.0.1 as PUBLIC_URL's host)."""

    id = property(lambda self: self[0])
    slug = property(lambda self: self[1])
    name = property(lambda self: self[2])
    host = property(lambda self: self[3])


def wijken_to_measure(url: str, count: int) -> list[Wijk]:
    """The default wijk and, spread over the list, wijken where bewoner has her circle (the
    ones with the demo: those ``benchmarks/wijken.py`` made)."""
    with create_engine(url, poolclass=NullPool).connect() as connection:
        rows = connection.execute(text(
            "SELECT d.id, d.slug, d.name, d.host FROM districts d WHERE EXISTS "
            "(SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.district_id = d.id AND u.email = 'bewoner@example.org') ORDER BY d.id")).all()
    default, others = rows[0], rows[1:]
    picked = [Wijk((default[0], default[1], default[2], None))]
    if count > 1 and others:
        step = (len(others) - 1) / max(1, count - 2)
        for n in sorted({round(i * step) for i in range(min(count - 1, len(others)))}):
            picked.append(Wijk(tuple(others[n])))
    return picked


def ids_to_visit(url: str, district_id: int) -> dict:
    """In one wijk: the post with the most replies; the one she reads (the most replies among
    the posts where nothing is hers: her own post or reply makes the page hers, rendered for
    her); bewoner's circle and the next event."""
    with create_engine(url, poolclass=NullPool).connect() as connection:
        def one(sql):
            return connection.execute(text(sql), {"d": district_id}).fetchone()[0]

        return {
            "post": one("SELECT id FROM posts WHERE district_id = :d AND reply_count > 0 "
                        "ORDER BY reply_count DESC, id LIMIT 1"),
            "read_post": one(
                "SELECT p.id FROM posts p, users u WHERE p.district_id = :d "
                "AND u.email = 'bewoner@example.org' AND p.status = 'published' AND p.reply_count > 0 "
                "AND p.author_id != u.id AND NOT EXISTS "
                "(SELECT 1 FROM replies r WHERE r.post_id = p.id AND r.author_id = u.id) "
                "ORDER BY p.reply_count DESC, p.id LIMIT 1"),
            "circle": one("SELECT c.slug FROM circles c JOIN memberships m ON m.circle_id = c.id "
                          "JOIN users u ON u.id = m.user_id WHERE u.email = 'bewoner@example.org' "
                          "AND c.district_id = :d"),
            "event": one("SELECT id FROM events WHERE district_id = :d ORDER BY starts_at DESC LIMIT 1"),
        }


def sign_in(base: str, email: str, host: dict | None = None) -> str:
    """Sign in through the real form (on the wijk of ``host``, a Host header, as a browser on
    that wijk's address); returns the Cookie header of that session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # On the request itself: urllib sets Host from the URL before it adds an opener's headers.
    headers = {"User-Agent": HEADERS["User-Agent"], **(host or {})}
    form = opener.open(urllib.request.Request(base + "/inloggen", headers=headers),  # noqa: S310 - loopback
                       timeout=10).read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
    opener.open(urllib.request.Request(base + "/inloggen", body.encode(), headers=headers),  # noqa: S310
                timeout=10).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise SystemExit(f"could not sign in as {email}")
    request = urllib.request.Request(base + "/", headers={**HEADERS, **(host or {}), "Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        if response.headers.get("Set-Cookie"):  # a browser would keep it; wrk would send the old one
            raise SystemExit(f"the session of {email} still changes after signing in")
    return cookie


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, env, workers: int):
    """Serve ``app`` on a free loopback port; yields the base URL; stops the server after."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"127.0.0.1:{port}", "--log-level", "warning", app]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_until_up(base: str, server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {base} within {timeout} s")


def check(url: str, headers: dict, signed_in: bool, wijk: str = "") -> None:
    """Warm up and make sure the page answers 200 (to the right person, in the right wijk)
    before it is measured."""
    for _ in range(3):
        request = urllib.request.Request(url, headers={**HEADERS, **headers})  # noqa: S310 - loopback only
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            page = gzip.decompress(response.read()).decode() if response.headers.get(
                "Content-Encoding") == "gzip" else response.read().decode()
            assert response.status == 200, url
            assert not (signed_in and response.headers.get("Set-Cookie")), f"{url}: sets the cookie again"
        assert ("Uitloggen" in page) == signed_in, f"{url}: signed in should be {signed_in}"
        assert wijk in page, f"{url}: not a page of {wijk}"


def wrk(url: str, headers: dict, seconds: int, connections: int) -> tuple[float, float, float]:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", *(f"-H{k}: {v}" for k, v in {**HEADERS, **headers}.items()), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 30).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url}: error responses under load\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, _wrk_latency(output, "50"), _wrk_latency(output, "99")


def _wrk_latency(output: str, percent: str) -> float:
    value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def thread_client(url: str, headers: dict, seconds: int, connections: int) -> tuple[float, float, float]:
    """Without wrk: ``connections`` threads request the page until the time is up."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        request = urllib.request.Request(url, headers={**HEADERS, **headers})  # noqa: S310
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 15)
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, cuts[49], cuts[98]


def print_table(rows, rendered, floors, several: bool = False) -> None:
    """The main pages as a visitor reads them (target: half the floor; 0.9 with several
    wijken); the pages rendered for a signed-in person (target: a quarter of the floor, p99
    below 40 ms); and, for reference, the main pages rendered for every request
    (``PAGE_CACHE_SECONDS=0``): what a copy saves. With several wijken, each row names its wijk."""
    rates = [rate for rate, _p50, _p99 in floors]
    print(f"floor: minimal Flask page, measured {len(rates)} times (before the first page and after "
          f"every page): {min(rates):.0f} to {max(rates):.0f} req/s; each page is a share of the mean "
          "of the two around it (its last column)")
    visitors_target = WIJKEN_TARGET if several else TARGET
    tables = ((f"main pages, as a visitor reads them (target {visitors_target} of the floor)",
               [r for r in rows if not r[1]], visitors_target),
              (f"signed in: rendered for that person, shared parts reused (target {SIGNED_IN_TARGET} "
               f"of the floor, p99 below {SIGNED_IN_P99_MS} ms)",
               [r for r in rows if r[1]], SIGNED_IN_TARGET),
              ("main pages rendered for every visit, PAGE_CACHE_SECONDS=0 (no target)", rendered, None))
    wijk_head, wijk_rule = (f"| {'wijk':<16} ", f"| {'-' * 16} ") if several else ("", "")
    for title, table, target in tables:
        if not table:
            continue
        print(f"\n{title}\n")
        print(f"{wijk_head}| {'page':<34} | {'who':<9} | {'req/s':>6} | {'× floor':>7} "
              f"| {'p50 ms':>6} | {'p99 ms':>6} | {'floor':>5} |")
        print(f"{wijk_rule}| {'-' * 34} | {'-' * 9} | {'-' * 5}: | {'-' * 6}: | {'-' * 5}: | {'-' * 5}: "
              f"| {'-' * 4}: |")
        for wijk, who, path, rate, p50, p99, floor in table:
            missed = target is not None and (rate / floor < target or (target == SIGNED_IN_TARGET
                                                                       and p99 >= SIGNED_IN_P99_MS))
            mark = " ✗" if missed else ""
            person = who.split("@")[0] if who else "bezoeker"
            column = f"| {wijk:<16} " if several else ""
            print(f"{column}| {path:<34} | {person:<9} | {rate:>6.0f} | {rate / floor:>5.2f}{mark:<2} "
                  f"| {p50:>6.1f} | {p99:>6.1f} | {floor:>5.0f} |")
    main_pages = [rate / floor for _wijk, who, _path, rate, _p50, _p99, floor in rows if not who]
    if main_pages:
        reached = sum(share >= visitors_target for share in main_pages)
        print(f"\n{reached} of {len(main_pages)} main pages at {visitors_target:.0%} of the floor or more "
              f"(lowest {min(main_pages):.2f}, highest {max(main_pages):.2f})")
    signed_in = [(rate / floor, p99) for _wijk, who, _path, rate, _p50, p99, floor in rows if who]
    reached = sum(share >= SIGNED_IN_TARGET and p99 < SIGNED_IN_P99_MS for share, p99 in signed_in)
    print(f"{reached} of {len(signed_in)} signed-in pages at {SIGNED_IN_TARGET:.0%} of the floor or more "
          f"with a p99 below {SIGNED_IN_P99_MS} ms (lowest {min(s for s, _ in signed_in):.2f})")


def time_jobs(env) -> list[tuple[str, float, str]]:
    """Each daily job once for every wijk, as cron calls it (a new process each: its start is
    part of its time), after a command that only starts the app (``kept``, its registry) for
    the start-up alone. Returns (command, seconds, what it printed in short)."""
    timed = []
    for job in ["kept", *JOBS]:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", job], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=1800)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
            timed.append((job, seconds, f"exit {done.returncode}: " + " / ".join(tail)))
            continue
        timed.append((job, seconds, _job_summary(job, done.stdout)))
    return timed


def _job_summary(job: str, output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("[")]
    wijken = len({line.split("]")[0] for line in lines})
    if job == "kept":
        return "start-up only: the app made, nothing asked of the database"
    sent = output.count("-" * 72 + "\n") // 2  # mail to the console: each printed between two rules
    queued = sum(int(n) for n in re.findall(r"^\[[^]]+\] .*: (\d+) klaargezet", output, re.M))
    purged = sum(int(n) for n in re.findall(r"^\[[^]]+\] Persoonlijke gegevens verwijderd uit (\d+)", output,
                                           re.M))
    parts = [f"{wijken} wijken"]
    if job == "send-digests":
        parts.append(f"{queued} mails queued, {sent} sent (to the console)")
    elif job == "send-mail":
        parts.append(f"{sent} mails sent (to the console)")
    elif job == "purge":
        parts.append(f"{purged} help items purged")
    elif job == "sync-signalen":
        parts.append("no SIGNALEN_URL: nothing sent" if "niet ingesteld" in output else "synced")
    return ", ".join(parts)


def print_jobs(jobs, wijken: int) -> None:
    print(f"\ndaily jobs, each once for all {wijken} wijken (a process of its own, as cron starts it)\n")
    print(f"| {'command':<19} | {'seconds':>7} | what it did |")
    print(f"| {'-' * 19} | {'-' * 6}: | {'-' * 11} |")
    for job, seconds, summary in jobs:
        print(f"| {'flask ' + job:<19} | {seconds:>7.2f} | {summary} |")


if __name__ == "__main__":
    main()
