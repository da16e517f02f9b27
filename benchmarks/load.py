"""Load test of the board: seed 100,000 posts into a temporary SQLite database, serve the
portal with gunicorn (4 workers, loopback only) and measure req/s and p50/p99 latency per
page, beside a minimal Flask page served the same way as the floor.

    /work/main/.venv/bin/python benchmarks/load.py [--posts 100000] [--seconds 5]

Uses wrk (Debian's /usr/bin/wrk) when present, else a bounded Python thread client. Every
step is bounded in time; the servers it starts are stopped at the end.
"""

import argparse
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/themas", "/themas/verkeer", "/themas/verkeer?pagina=50", "/berichten/{post}",
         "/zoeken?q=fietspad", "/signalen"]
HEADERS = {"Accept-Encoding": "gzip"}  # what browsers send: compression is part of the cost


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="board-load-") as tmp:
        database = Path(tmp) / "portal.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "RATELIMIT_ENABLED": "0",
               "SECRET_KEY": "load-test-secret-key-not-for-production", "PORTAL_ENV": "development"}
        seconds = seed(env, args.posts)
        print(f"seed-demo --posts {args.posts}: {seconds:.1f} s (migrations, demo data and bulk posts)")
        post = a_post_with_replies(database)
        measure = wrk if shutil.which("wrk") and not args.python_client else thread_client
        print(f"client: {measure.__name__}, {args.seconds} s per page, {args.connections} connections, "
              f"gunicorn {args.workers} workers\n")
        rows = []
        with gunicorn("wsgi:app", env, args.workers) as base:
            for page in PAGES:
                path = page.format(post=post)
                check(base + path)
                rows.append((path, *measure(base + path, args.seconds, args.connections)))
        with gunicorn("benchmarks.hello:app", env, args.workers) as base:
            rows.append(("floor: minimal Flask page", *measure(base + "/", args.seconds, args.connections)))
    print_table(rows)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5, help="per page (bounded: 1-30)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    args.seconds = max(1, min(args.seconds, 30))
    return args


def flask(env, *args, timeout=300):
    command = [sys.executable, "-m", "flask", "--app", "portal", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=timeout, capture_output=True)


def seed(env, posts: int) -> float:
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    flask(env, "seed-demo", "--password", "load-test-wachtwoord", "--posts", str(posts))
    return time.perf_counter() - started


def a_post_with_replies(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT id FROM posts WHERE reply_count > 0 ORDER BY reply_count DESC, id LIMIT 1"
        ).fetchone()[0]


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


def check(url: str) -> None:
    """Warm up and make sure the page answers 200 before it is measured."""
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            assert response.status == 200, url


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", *(f"-H{k}: {v}" for k, v in HEADERS.items()), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 30).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url}: error responses under load\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, _wrk_latency(output, "50"), _wrk_latency(output, "99")


def _wrk_latency(output: str, percent: str) -> float:
    value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def thread_client(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    """Without wrk: ``connections`` threads request the page until the time is up."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 - loopback only
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


def print_table(rows) -> None:
    print(f"| {'page':<32} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} |")
    print(f"| {'-' * 32} | {'-' * 6}: | {'-' * 6}: | {'-' * 6}: |")
    for path, rate, p50, p99 in rows:
        print(f"| {path:<32} | {rate:>7.0f} | {p50:>7.1f} | {p99:>7.1f} |")


if __name__ == "__main__":
    main()
