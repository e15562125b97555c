"""The pages as a browser sees them: gunicorn, DEBUG off, PostgreSQL, compared with a bare `login_required` view.

A standalone script, not a test. It builds (or reuses, when already built) three PostgreSQL databases next to
the one DATABASE_URL names:

* ``420``: the demo school (``seed_demo``), about 420 pupils;
* ``20k-trust``: the demo school plus 47 more schools of about 415 pupils (a trust of 20,000 pupils: what one
  school's pages cost when the tables hold everybody else's rows too);
* ``20k-school``: the demo school grown to 20,000 pupils (715 classes, 720 staff, ~3,200 on the register,
  ~500 EHC plans, three subjects and six assessment points of scores, flags computed).

Each is loaded once, and ``VACUUM ANALYZE``d before every run, as autovacuum would leave it in production (it is
off on the project's machines). The script then starts gunicorn (2 sync workers, DEBUG off, production-like
settings with plain HTTP) with a bench-only URLconf that adds ``/bench/bare/``, a ``login_required`` view
through the same middleware, signs in through the login form and the second-factor form as the demo SENCO (the
demo's documented key), and measures every page and the bare view interleaved:

* p50 and p95 of single requests (pages taken in turn, round after round, so load on the machine hits them all);
* throughput with 4 clients (requests per second, 4 processes for a few seconds per page);
* in three states: **warm** (the page asked again with nothing changed: served by the page cache,
  send_mis/pagecache.py); **after a write elsewhere** (before each request, the generations in Redis bumped as
  recording a group's sessions bumps them: the global one and the sessions' and attendance's tables, which the
  page may or may not read); and **cold** (the generations bumped as a change to every table would: the page
  rendered in full, as on the first request after a change to what it shows). Each state's throughput clients
  bump before each request, and so do the bare view's, so the ratio compares like with like;
* SQL queries per request (a header that the bench settings add).

With ``--before PATH`` (a checkout of an earlier commit, e.g. ``git worktree add ../before main``) a second
gunicorn runs that code against the same database, and every page is measured on both, interleaved, so that
before and after share the machine's load. When the schema has changed since that commit (a column renamed, so
the earlier code cannot read this code's tables), add ``--before-databases``: the earlier code then reads
databases of its own (named with ``_before``), built the same way by its own migrations and demo.

Run from the repository root:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/http_bench.py \
        [--sizes 420,20k-trust,20k-school] [--before ../before [--before-databases]] [--rounds 40] [--seconds 3]
        [--rebuild]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BUILD_VERSION = "http_bench v1"  # the bulk data: bench/http_bench_data.py


# ---------------------------------------------------------------------------------------------------------------
# Databases


def _admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(parts._replace(path="/postgres"))


def _db_url(name: str) -> str:
    return urlunsplit(urlsplit(_admin_url())._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _db_name(size: str, suffix: str = "") -> str:
    prefix = os.environ.get("BENCH_DB_PREFIX", "sendmis_speed_http")
    return f"{prefix}_{size.replace('-', '_')}{suffix}"


def ensure_database(size: str, rebuild: bool, code: Path = BASE_DIR, suffix: str = "") -> str:
    """The size's database, built by `code`'s migrations, demo and models (an earlier checkout's under `suffix`)."""
    import psycopg

    name = _db_name(size, suffix)
    with psycopg.connect(_conninfo(_admin_url()), autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is not None and row[0] == BUILD_VERSION and not rebuild:
            print(
                f"reusing database {name} (migrated to {'this' if code == BASE_DIR else 'that'} code's models)",
                flush=True,
            )
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"],
                env={**os.environ, "DATABASE_URL": _db_url(name), "REDIS_URL": ""},
                check=True,
                cwd=code,
            )
            return _settled(name)
        if row is not None:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    env = {
        **os.environ,
        "DATABASE_URL": _db_url(name),
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BENCH_CODE": str(code),
    }
    subprocess.run([sys.executable, __file__, "--build", size], env=env, check=True, cwd=code)
    with psycopg.connect(_conninfo(_admin_url()), autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{BUILD_VERSION}'")
    print(f"built database {name} in {time.perf_counter() - started:.0f} s", flush=True)
    return _settled(name)


def _settled(name: str) -> str:
    """VACUUM ANALYZE, as autovacuum would have done after the bulk load in production (it is off on the
    project's machines): statistics for the planner, the visibility map for index-only scans, and the trigram
    index's pending list merged (until then every search reads that list whole: 26 ms, not 0.3 ms, at 20,000)."""
    import psycopg

    with psycopg.connect(_conninfo(_db_url(name)), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return _db_url(name)


# ---------------------------------------------------------------------------------------------------------------
# Servers

SETTINGS = '''
"""Bench-only settings: production's, over plain HTTP on 127.0.0.1, with a query count in a header."""
from send_mis.settings import *  # noqa: F403

ROOT_URLCONF = "http_bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
MIDDLEWARE = ["http_bench_urls.count_queries", *MIDDLEWARE]  # noqa: F405
'''

URLS = '''
"""Bench-only URLconf: the project's, plus a bare login_required view through the same middleware."""
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from send_mis.urls import urlpatterns as project_urlpatterns


@login_required
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]


def count_queries(get_response):
    def middleware(request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response

    return middleware
'''


class Server:
    def __init__(self, label: str, code: Path, db_url: str, port: int, shim: Path):
        self.label, self.port = label, port
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "http_bench_settings",
            "DJANGO_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": "http-bench-" + "x" * 60,
            "DATABASE_URL": db_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "CACHE_URL": "locmemcache://",
            "DEFAULT_FROM_EMAIL": "bench <bench@example.org>",
            "SECURE_SSL_REDIRECT": "false",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "https://bench.example.org",
            "PYTHONPATH": f"{shim}:{code}",
            "EMAIL_URL": "smtp://127.0.0.1:2525",  # nothing on the measured pages sends mail
        }
        static = Path(tempfile.mkdtemp(prefix="http-bench-static-"))
        env["STATIC_ROOT"] = str(static)
        python = str(BASE_DIR / ".venv" / "bin" / "python")
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=code,
            env={**env, "DJANGO_SETTINGS_MODULE": "http_bench_settings"},
            check=True,
        )
        self.process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",
                "--chdir",
                str(code),
                "send_mis.wsgi",
            ],
            env=env,
            cwd=code,
            start_new_session=True,
        )
        for _ in range(300):
            if self.process.poll() is not None:
                sys.exit(f"gunicorn ({label}) stopped with code {self.process.returncode}")
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# send_mis.pagecache's keys as Django's Redis cache stores them (key prefix "", version 1).
GENERATION_KEY = ":1:send_mis:pages:generation"
TABLE_KEY = ":1:send_mis:pages:table:"
# The counters each state bumps before a request: nothing; what recording a group's sessions bumps; everything.
STATES = {
    "warm": [],
    "elsewhere": [GENERATION_KEY, TABLE_KEY + "provision_session", TABLE_KEY + "provision_attendance"],
    "cold": [GENERATION_KEY, TABLE_KEY + "*"],
}


def _redis():
    import redis

    return redis.Redis.from_url(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))


def _get(port: int, path: str, cookie: str, conn=None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    return conn, response, body


def sign_in(port: int) -> str:
    """Through the login form and the second-factor form, as the demo SENCO; returns the Cookie header."""
    from base64 import b32decode

    from django_otp.oath import totp

    # The demo's documented password and authenticator key, read from its source (no Django needed here).
    source = (BASE_DIR / "demo" / "school.py").read_text()
    DEMO_PASSWORD = re.search(r'^DEMO_PASSWORD = "([^"]+)"', source, re.M).group(1)
    DEMO_TOTP_SECRET = re.search(r'^DEMO_TOTP_SECRET = "([^"]+)"', source, re.M).group(1)

    cookies: dict[str, str] = {}

    def request(method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";")[0]
        return response, text

    def token(text: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    _, text = request("GET", "/accounts/login/")
    response, text = request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token(text), "username": "senco", "password": DEMO_PASSWORD},
    )
    assert response.status == 302, ("login", response.status)
    location = urllib.parse.urlsplit(response.getheader("Location"))
    path = location.path + (f"?{location.query}" if location.query else "")
    for _ in range(6):  # follow the redirects: the second-factor page comes on the way to the first page
        if "/accounts/two-factor/" in path and "setup" not in path:
            _, text = request("GET", path)
            # A code is good once: wait for a fresh 30-second step if the last sign-in used this one.
            marker = Path(tempfile.gettempdir()) / "http-bench-totp-step"
            if marker.exists() and marker.read_text() == str(int(time.time() // 30)):
                time.sleep(30 - time.time() % 30 + 1)
            code = f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"
            marker.write_text(str(int(time.time() // 30)))
            response, text = request("POST", path, {"csrfmiddlewaretoken": token(text), "code": code})
            assert response.status == 302, ("second factor", response.status, text[:2000])
        else:
            response, text = request("GET", path)
        if response.status != 302:
            break
        location = urllib.parse.urlsplit(response.getheader("Location"))
        path = location.path + (f"?{location.query}" if location.query else "")
    response, _ = request("GET", "/bench/bare/")
    assert response.status == 200, ("signed in", response.status, response.getheader("Location"))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# ---------------------------------------------------------------------------------------------------------------
# Measuring


def pages(db_url: str) -> list[tuple[str, str]]:
    import psycopg

    with psycopg.connect(_conninfo(db_url)) as conn:
        school_id = conn.execute("SELECT id FROM pupils_school WHERE urn = '122001'").fetchone()[0]
        pupil_id = conn.execute(
            "SELECT p.id FROM pupils_pupil p JOIN ehc_ehcplan e ON e.pupil_id = p.id "
            "WHERE p.school_id = %s ORDER BY p.legal_surname LIMIT 1",
            [school_id],
        ).fetchone()[0]
        _class_id, year = conn.execute(
            "SELECT id, year_group FROM pupils_schoolclass WHERE school_id = %s ORDER BY name LIMIT 1", [school_id]
        ).fetchone()
    return [
        ("bare view", "/bench/bare/"),
        ("dashboard", "/dashboard/"),
        ("pupil list", "/pupils/"),
        ("pupil list, filtered", f"/pupils/?status=K&year_group={year}&sort=year"),
        ("pupil list, search", "/pupils/?q=son"),
        ("deadline list", "/deadlines/"),
        ("EHC list", "/ehc/"),
        ("flags list", "/provision/flags/"),
        ("pupil profile", f"/pupils/{pupil_id}/"),
        ("SEND history", f"/pupils/{pupil_id}/history/"),
        ("governors' summary", "/reports/register-summary/"),
    ]


def _bump(changed, state: str) -> None:
    for key in STATES[state]:
        changed.incr(key)


def _hammer(args) -> int:
    port, path, cookie, seconds, state = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    changed = _redis()
    done = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        _bump(changed, state)
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        done += 1
    return done


def measure(servers: list[tuple[Server, str, dict]], names: list[str], rounds: int, seconds: float, pool) -> dict:
    """Every page in each state (cold: the first request after a change, rendered in full; after a write
    elsewhere; warm: asked again with nothing changed), interleaved with the bare view and the other server.
    Each server comes with its session cookie and its paths by page name (its own database's ids)."""
    results: dict = {}
    conns = {server.label: None for server, _, _ in servers}
    changed = _redis()
    for server, cookie, paths in servers:  # warm up: templates compiled, connections open, caches filled
        for name in names:
            for _ in range(3):
                conns[server.label], response, _ = _get(server.port, paths[name], cookie, conns[server.label])
                assert response.status == 200, (server.label, paths[name], response.status)
    for _ in range(rounds):
        for name in names:
            for server, cookie, paths in servers:
                entry = results.setdefault((server.label, name), {state: {"times": []} for state in STATES})
                # The first request after a change, then after a write elsewhere, then the page asked again.
                for state in ("cold", "elsewhere", "warm"):
                    _bump(changed, state)
                    started = time.perf_counter()
                    conns[server.label], response, _ = _get(server.port, paths[name], cookie, conns[server.label])
                    entry[state]["times"].append(time.perf_counter() - started)
                    entry[state]["queries"] = int(response.getheader("X-Bench-Queries", "0"))
    for name in names:
        for server, cookie, paths in servers:
            for state in STATES:
                started = time.perf_counter()
                done = sum(pool.map(_hammer, [(server.port, paths[name], cookie, seconds, state)] * 4))
                results[(server.label, name)][state]["rps"] = done / (time.perf_counter() - started)
    return results


def report(size: str, labels: list[str], names: list[str], results: dict) -> None:
    print()
    print(
        f"== {size}: ms (p50 / p95), requests per second with 4 clients, ratio to the bare view, SQL queries; "
        "warm (asked again, nothing changed), after a write elsewhere (sessions recorded), cold (the first "
        "request after a change to what the page shows)"
    )
    header = f"{'page':<22}"
    for label in labels:
        for state in STATES:
            header += f" | {label + ' ' + state + ' p50/p95':>26} {'req/s':>6} {'x bare':>6} {'SQL':>4}"
    print(header)
    for name in names:
        line = f"{name:<22}"
        for label in labels:
            for state in STATES:
                entry = results[(label, name)][state]
                bare = results[(label, "bare view")][state]
                ordered = sorted(entry["times"])
                p50 = statistics.median(ordered) * 1000
                p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000
                ratio = entry["rps"] / bare["rps"]
                line += f" | {p50:>15.0f} / {p95:>6.0f}   {entry['rps']:>6.1f} {ratio:>6.2f} {entry['queries']:>4}"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build")
    parser.add_argument("--sizes", default="420,20k-trust,20k-school")
    parser.add_argument("--before", type=Path)
    parser.add_argument(
        "--before-databases", action="store_true", help="the earlier code reads databases it builds itself"
    )
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--port", type=int, default=8610)
    parser.add_argument("--build-only", action="store_true", help="build (or keep) the databases, measure nothing")
    args = parser.parse_args()
    if args.build:
        from http_bench_data import build  # bench/ is the script's own folder, so first on sys.path

        build(args.build)
        return
    if args.build_only:
        for size in args.sizes.split(","):
            ensure_database(size, args.rebuild)
        return
    shim = Path(tempfile.mkdtemp(prefix="http-bench-"))
    (shim / "http_bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    (shim / "http_bench_urls.py").write_text(textwrap.dedent(URLS))
    print(
        f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        "gunicorn 2 sync workers, DEBUG off, PostgreSQL",
        flush=True,
    )
    with multiprocessing.Pool(4) as pool:
        for size in args.sizes.split(","):
            db_url = ensure_database(size, args.rebuild)
            codes = [("after", BASE_DIR, db_url)]
            if args.before:
                before = args.before.resolve()
                before_url = ensure_database(size, args.rebuild, before, "_before") if args.before_databases else db_url
                codes.insert(0, ("before", before, before_url))
            servers = []
            try:
                for offset, (label, code, url) in enumerate(codes):
                    servers.append(Server(label, code, url, args.port + offset, shim))
                # A session for each database: one serves both servers when they share it (a second sign-in
                # would wait for a fresh authenticator code).
                cookies: dict[str, str] = {}
                signed_in = []
                for server, (_, _, url) in zip(servers, codes, strict=True):
                    if url not in cookies:
                        cookies[url] = sign_in(server.port)
                    signed_in.append((server, cookies[url], dict(pages(url))))
                names = [name for name, _ in pages(db_url)]
                results = measure(signed_in, names, args.rounds, args.seconds, pool)
                report(size, [s.label for s in servers], names, results)
            finally:
                for server in servers:
                    server.stop()


if __name__ == "__main__":
    main()
