"""`make bench`: the app under gunicorn on PostgreSQL at scale, measured against the database's own limit.

    .venv/bin/python -m bench.run --scale full|small

Starts PostgreSQL if it is down, fills the `bench` database with `manage.py generate_visits` (kept
between runs: a marker table records the scale, seed and generator it was made with), collects the
static files, serves the app with gunicorn (2 workers, debug off) on a free loopback port, then:

- loads each public page with 4 concurrent clients (after a warm-up) and reports requests/s, p50, p95, p99,
  once served from the page cache and once rendered afresh at every request (cold, as after an edit);
- loads the admin meetings list and four searches of it, as staff;
- opens and saves (an unchanged re-post of the whole form) the admin change page of a draft visit of
  30 items and 20 members, each client its own copy, and counts the queries of both, there and for a
  visit of 5 items and 3 members;
- downloads the CSV export of every meeting and of about a tenth of them, reporting rows/s, time to
  first byte and to the first row, and the growth of the serving worker's peak RSS, next to
  PostgreSQL's own `COPY (same rows) TO STDOUT WITH CSV` timed in the same run.

Then, with the server stopped, the PDFs (bench/pdf.py): the large visit's programme, and the agendas of
up to 300 organizations meeting in it as one batch.

The last line printed is `csv_vs_copy=<ratio> export_rss_mb=<MB> worst_public_p95_ms=<ms>
worst_cold_p95_ms=<ms> itinerary_cold_p95_ms=<ms> admin_list_p95_ms=<ms> admin_search_ms=<ms>
admin_visit_open_p95_ms=<ms> admin_visit_save_p95_ms=<ms> pdf_programme_s=<s> agendas_per_s=<x>`
(worst_cold_p95_ms leaves out the large itinerary, whose target is its own; admin_search_ms is the p95 of
the slowest search). `--only REGEX` measures only the parts whose name matches, for work on one of them.
"""

import argparse
import contextlib
import hashlib
import html
import http.client
import itertools
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import pdf
from bench.admin_visit import admin_visit, change_form_fields
from bench.report import ExportResult, PageResult, export_table, page_table, query_table, summary_line

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCALES = {"full": 1.0, "small": 0.1}
SEED = 1
CLIENTS = 4
BENCH_USER = "bench-staff"
GENERATOR_SOURCES = ("sampledata/generator.py", "sampledata/generator_data.py")


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_postgresql() -> None:
    def ready() -> bool:
        return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0

    if ready():
        return
    version = sorted(os.listdir("/etc/postgresql"))[0]
    say(f"starting PostgreSQL {version}")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    for _ in range(30):
        if ready():
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL did not start")


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            say(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_SOURCES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def ensure_data(scale: float) -> None:
    """Generate the data set unless the marker says this scale, seed and generator made it."""
    from django.db import connection

    wanted = (scale, SEED, generator_fingerprint())
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (scale double precision, seed integer, generator text, "
            "generated_at timestamptz DEFAULT now())"
        )
        cursor.execute("SELECT scale, seed, generator FROM bench_dataset")
        if cursor.fetchall() == [wanted]:
            say(f"reusing the data generated at scale {scale:g}, seed {SEED}")
            return
        cursor.execute("DELETE FROM bench_dataset")
    connection.close()
    say(f"generating data at scale {scale:g}, seed {SEED}")
    started = time.monotonic()
    manage("generate_visits", "--scale", f"{scale:g}", "--seed", str(SEED), "--flush")
    say(f"generated in {time.monotonic() - started:.0f}s; vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("INSERT INTO bench_dataset (scale, seed, generator) VALUES (%s, %s, %s)", list(wanted))
    connection.close()


def bench_user_password() -> str:
    from django.contrib.auth import get_user_model

    password = secrets.token_urlsafe(24)
    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def targets(total_fraction: float = 0.1) -> dict:
    """What to request, read from the data: the large visit, the busiest organization, common filters,
    and a date from which about a tenth of the public meetings are exported."""
    from django.db.models import Count

    from delegations.models import Delegation
    from meetings.models import Meeting
    from sampledata.generator import LARGE_VISIT_SLUG

    public = Meeting.objects.published().order_by()
    total = public.count()
    organization = (
        public.values("host_organization__slug").annotate(n=Count("id")).order_by("-n", "host_organization__slug")
    )[0]["host_organization__slug"]
    common = (
        public.filter(sector__isnull=False)
        .values("city", "sector__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "city", "sector__slug")
    )[0]
    date_from, selected = None, 0
    for day in public.values("date").annotate(n=Count("id")).order_by("-date"):
        date_from, selected = day["date"], selected + day["n"]
        if selected >= total * total_fraction:
            break
    from contacts.models import Organization
    from meetings.models import MeetingParticipant

    # The person who took part in the most public meetings, and a word of the busiest organization's name.
    person = (
        MeetingParticipant.objects.filter(meeting__in=public, person__is_public=True)
        .values("person__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "person__slug")
    )[0]["person__slug"]
    word = max(Organization.objects.get(slug=organization).name.split(), key=len)
    # The results page narrowed to the large visit's year, origin and first host country.
    large = Delegation.objects.get(slug=LARGE_VISIT_SLUG)
    results = {
        "year": large.start_date.year,
        "origin_country": large.origin_country,
        "host_country": large.host_countries[0],
    }
    return {
        "large": LARGE_VISIT_SLUG,
        "results_filters": urllib.parse.urlencode(results),
        "organization": organization,
        "person": person,
        "search": urllib.parse.urlencode({"q": word}),
        "filters": urllib.parse.urlencode({"city": common["city"], "sector": common["sector__slug"], "status": "held"}),
        "date_from": date_from.isoformat(),
        "total": total,
        "tenth": selected,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 workers on a loopback port, debug off."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=300",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if get(self.port, "/")[0] == 200 and len(self.workers()) == 2:
                    return
            time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def login(port: int, password: str) -> str:
    """The session cookie of the bench staff user, logged in through the admin's login form."""
    _, body, headers = get(port, "/admin/login/")
    csrf = headers["Set-Cookie"].split("csrftoken=")[1].split(";")[0]
    token = body.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": BENCH_USER, "password": password, "next": "/admin/"}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/admin/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{port}/admin/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    connection.close()
    session = [c.split(";")[0] for c in cookies if c.startswith("sessionid=")]
    if response.status != 302 or not session:
        raise SystemExit(f"admin login failed ({response.status})")
    # The token rotated at login, which the admin's forms carry from now on.
    rotated = [c.split(";")[0] for c in cookies if c.startswith("csrftoken=")]
    return "; ".join([session[0], rotated[0] if rotated else f"csrftoken={csrf}"])


def load(
    port: int,
    name: str,
    path: str,
    seconds: float,
    warm_up: float,
    *,
    cookie=None,
    public=True,
    cold=False,
    role="",
) -> PageResult:
    """The page requested by CLIENTS clients at once. `cold`: each request with a parameter of its own that
    no page knows, which the page cache never stores (public.cache.cache_key), so that each is rendered
    afresh, as after an edit emptied the cache."""
    headers = {"Cookie": cookie} if cookie else {}
    requests = itertools.count()
    separator = "&" if "?" in path else "?"

    def client(until: float) -> tuple[list[float], int]:
        latencies, errors = [], 0
        while time.perf_counter() < until:
            address = f"{path}{separator}bench_cold={next(requests)}" if cold else path
            started = time.perf_counter()
            status, _, _ = get(port, address, headers)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        return latencies, errors

    with ThreadPoolExecutor(CLIENTS) as pool:
        until = time.perf_counter() + warm_up
        list(pool.map(client, [until] * CLIENTS))
        started = time.perf_counter()
        until = started + seconds
        results = list(pool.map(client, [until] * CLIENTS))
        elapsed = time.perf_counter() - started
    latencies = [ms for client_latencies, _ in results for ms in client_latencies]
    errors = sum(e for _, e in results)
    say(f"{name}: {len(latencies)} requests, {errors} errors")
    return PageResult(name, path, len(latencies), elapsed, latencies, errors, public, cold, role)


# The admin meetings list's searches: a word, two words, Cyrillic, a short name.
ADMIN_SEARCHES = ("baikal", "nordlicht biotech", "Иркутск", "wang")
ADMIN_VISITS = {"large": (30, 20), "small": (5, 3)}
ADMIN_VISIT_ROUNDS = 5  # at least, by each client: a slow page gives few rounds in the time a page has
OPENED_STATE = re.compile(r'name="opened_state" value="([^"]*)"')


def admin_visit_slug(items: int, members: int, copy: int = 0) -> str:
    return f"bench-admin-{items}-items-{members}-members-{copy}"


def admin_visit_paths() -> dict[str, list[str]]:
    """The admin change pages of the draft visits made for the benchmark: a copy of the large one for
    each client (a save changes the visit, so a form opened by one client would be stale for another)."""
    from django.urls import reverse

    copies = {"large": CLIENTS, "small": 1}
    return {
        size: [
            reverse("admin:delegations_delegation_change", args=[admin_visit(admin_visit_slug(*rows, copy), *rows).pk])
            for copy in range(copies[size])
        ]
        for size, rows in ADMIN_VISITS.items()
    }


def post(port: int, path: str, fields: list[tuple[str, str]], cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load_admin_visit(port: int, paths: list[str], seconds: float, warm_up: float, cookie: str):
    """Each client opens its visit's change page, then posts its form back unchanged (a redirect to the
    list when saved); both timed, for the page's time and at least ADMIN_VISIT_ROUNDS times. An answer
    other than 200 to the opening, or than 302 to the save (a form shown again with an error), counts
    as an error."""

    def client(path: str, until: float, rounds: int) -> tuple[list[float], list[float], int, int]:
        opened, saved, open_errors, save_errors = [], [], 0, 0
        form = None
        while time.perf_counter() < until or len(opened) < rounds:
            started = time.perf_counter()
            status, body, _ = get(port, path, {"Cookie": cookie})
            opened.append((time.perf_counter() - started) * 1000)
            if status != 200:
                open_errors += 1
                continue
            # The page is read once (parsing 1.6 MB of HTML here would take the CPU the server is timed on):
            # posted back unchanged, the form differs from one opening to the next only by its fingerprint.
            page = body.decode()
            form = form or [*change_form_fields(page, "delegation_form"), ("_save", "Save")]
            state = OPENED_STATE.search(page).group(1)
            fields = [(name, html.unescape(state) if name == "opened_state" else value) for name, value in form]
            started = time.perf_counter()
            status = post(port, path, fields, cookie)
            saved.append((time.perf_counter() - started) * 1000)
            save_errors += status != 302
        return opened, saved, open_errors, save_errors

    with ThreadPoolExecutor(len(paths)) as pool:
        until = time.perf_counter() + warm_up
        list(pool.map(client, paths, [until] * len(paths), [1] * len(paths)))
        started = time.perf_counter()
        until = started + seconds
        results = list(pool.map(client, paths, [until] * len(paths), [ADMIN_VISIT_ROUNDS] * len(paths)))
        elapsed = time.perf_counter() - started
    name = "admin visit 30/20 {}"
    opened = [ms for r in results for ms in r[0]]
    saved = [ms for r in results for ms in r[1]]
    errors = (sum(r[2] for r in results), sum(r[3] for r in results))
    say(f"admin visit: {len(opened)} opened, {len(saved)} saved, errors {errors}")
    return (
        PageResult(name.format("open"), paths[0], len(opened), elapsed, opened, errors[0], public=False),
        PageResult(name.format("save"), paths[0], len(saved), elapsed, saved, errors[1], public=False),
    )


def admin_visit_queries(paths: dict[str, list[str]]) -> list[tuple[str, int, int]]:
    """The queries of opening each visit's change page and of saving it unchanged, counted in this
    process (Django's test client, the same database and settings, debug off) after one warm-up."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    rows = []
    for size, (items, members) in ADMIN_VISITS.items():
        path = paths[size][0]
        client.get(path)
        with CaptureQueriesContext(connection) as opened:
            response = client.get(path)
        fields = [*change_form_fields(response.content.decode(), "delegation_form"), ("_save", "Save")]
        with CaptureQueriesContext(connection) as saved:
            status = client.post(path, urllib.parse.urlencode(fields), "application/x-www-form-urlencoded").status_code
        if response.status_code != 200 or status != 302:
            raise SystemExit(f"{path}: opened {response.status_code}, saved {status}")
        rows.append((f"visit of {items} items, {members} members", len(opened), len(saved)))
    return rows


def proc_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def download(server: Server, path: str) -> dict:
    """One export through the app: timings, bytes, and the peak RSS growth of the worker that served it."""
    workers = server.workers()
    before = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets the peak RSS (VmHWM) to the current RSS
        before[pid] = (proc_kb(pid, "VmRSS"), cpu_ticks(pid))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    chunks, received, first_byte, first_row, header_end = [], 0, None, None, None
    while chunk := response.read1(1 << 20):
        now = time.perf_counter()
        first_byte = first_byte or now
        chunks.append(chunk)
        received += len(chunk)
        if header_end is None and b"\r\n" in chunks[0]:
            header_end = chunks[0].index(b"\r\n") + 2
        if first_row is None and header_end is not None and received > header_end:
            first_row = now
    finished = time.perf_counter()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    served_by = max(workers, key=lambda pid: cpu_ticks(pid) - before[pid][1])
    growth_kb = proc_kb(served_by, "VmHWM") - before[served_by][0]
    return {
        "seconds": finished - started,
        "first_byte_ms": (first_byte - started) * 1000,
        "first_row_ms": ((first_row or finished) - started) * 1000,
        "rss_growth_mb": growth_kb / 1024,
        "content": b"".join(chunks),
    }


def copy_seconds(query: dict) -> float:
    """PostgreSQL's own COPY of the same rows: the export's values for the same filters, unformatted, read
    the way the export reads them (each meeting's people from the rows meetings.people keeps), with the
    server's settings or JIT off, whichever is faster."""
    from django.db import connection

    from meetings.table import stored_sql_source
    from public.filters import MeetingFilter
    from public.views import meetings as views

    filterset = MeetingFilter(query, queryset=views.public_meetings())
    assert filterset.is_valid(), filterset.errors
    rows = stored_sql_source(filterset.qs)

    class Sink:
        size = 0

        def write(self, data):
            self.size += len(data)

    # Timed with the server's settings and with JIT off (as the export runs): the faster counts.
    timings = []
    with connection.cursor() as cursor:
        select = cursor.mogrify(rows.select(), rows.params).decode()
        for jit in ("DEFAULT", "off"):
            cursor.execute(f"SET jit = {jit}")
            started = time.perf_counter()
            cursor.copy_expert(f"COPY ({select}) TO STDOUT WITH CSV", Sink())
            timings.append(time.perf_counter() - started)
        cursor.execute("SET jit = DEFAULT")
    say(f"COPY {timings[0]:.2f}s with the server's JIT setting, {timings[1]:.2f}s with JIT off")
    return min(timings)


def count_rows(content: bytes) -> int:
    import csv
    import io

    assert content.startswith(b"\xef\xbb\xbfdate,"), content[:40]
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))) - 1


def measure_export(server: Server, name: str, query: dict, rows: int, runs: int) -> ExportResult:
    path = "/meetings/export.csv" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    downloads, copies = [], []
    for run in range(runs):
        result = download(server, path)
        if run == 0:
            counted = count_rows(result["content"])
            if counted != rows:
                raise SystemExit(f"{path}: {counted} rows, expected {rows}")
        del result["content"]
        downloads.append(result)
        copies.append(copy_seconds(query))
        say(f"{name}: app {result['seconds']:.2f}s, COPY {copies[-1]:.2f}s, RSS +{result['rss_growth_mb']:.1f} MB")
    return ExportResult(
        name=name,
        rows=rows,
        seconds=statistics.median(d["seconds"] for d in downloads),
        first_byte_ms=statistics.median(d["first_byte_ms"] for d in downloads),
        first_row_ms=statistics.median(d["first_row_ms"] for d in downloads),
        rss_growth_mb=max(d["rss_growth_mb"] for d in downloads),
        copy_seconds=statistics.median(copies),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--seconds", type=float, help="measuring time per page (default 15 full, 6 small)")
    parser.add_argument("--runs", type=int, default=3, help="downloads of each export (median reported)")
    parser.add_argument(
        "--only",
        metavar="REGEX",
        help="measure only the parts whose name matches (pages by name, 'admin meetings', 'admin search', "
        "'admin visit', 'csv export', 'pdf'); the last line then reports only those",
    )
    args = parser.parse_args()

    def wanted(name: str) -> bool:
        return args.only is None or re.search(args.only, name, re.IGNORECASE) is not None

    scale = SCALES[args.scale]
    seconds = args.seconds or (15 if args.scale == "full" else 6)
    warm_up = 3 if args.scale == "full" else 2

    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS (as in the tests).
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        # The page cache shared by both workers, as in production; a fresh key prefix for each run.
        "DJANGO_REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        "DJANGO_CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
    }
    os.environ.update(env)
    ensure_postgresql()
    ensure_database(env["DATABASE_URL"])
    say("migrate")
    manage("migrate", "--noinput", "-v", "0")

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    ensure_data(scale)
    say("collectstatic")
    manage("collectstatic", "--noinput", "-v", "0")
    password = bench_user_password()
    target = targets()
    say(f"targets: {target}")
    admin_paths = admin_visit_paths() if wanted("admin visit") else {}
    queries = admin_visit_queries(admin_paths) if admin_paths else []
    from django.db import connection

    connection.close()

    server = Server(env)
    page_results, admin_visit_results, exports = [], None, []
    try:
        cookie = login(server.port, password)
        large, organization = target["large"], target["organization"]
        pages = [
            ("/", "/", ""),
            ("/delegations/", "/delegations/", ""),
            ("large visit itinerary", f"/delegations/{large}/", "itinerary"),
            ("large visit outcomes", f"/delegations/{large}/outcomes/", ""),
            ("/meetings/ 3 filters", f"/meetings/?{target['filters']}", ""),
            ("organization page", f"/organizations/{organization}/", ""),
            ("organization iCal", f"/organizations/{organization}/calendar.ics", ""),
            ("person page", f"/people/{target['person']}/", ""),
            ("/search/", f"/search/?{target['search']}", ""),
            ("/results/", "/results/", ""),
            ("/results/ 3 filters", f"/results/?{target['results_filters']}", ""),
        ]
        pages = [page for page in pages if wanted(page[0])]
        # Each public page served from the page cache, then rendered afresh at every request (cold), as after
        # an edit emptied the cache.
        for name, path, role in pages:
            page_results.append(load(server.port, name, path, seconds, warm_up, role=role))
        for name, path, role in pages:
            page_results.append(load(server.port, f"{name} (cold)", path, seconds, warm_up, cold=True, role=role))
        staff = {"cookie": cookie, "public": False}
        if wanted("admin meetings"):
            page_results.append(
                load(
                    server.port,
                    "admin meetings",
                    "/admin/meetings/meeting/",
                    seconds,
                    warm_up,
                    role="admin-list",
                    **staff,
                )
            )
        for term in ADMIN_SEARCHES:
            if wanted(f"admin search {term}"):
                path = f"/admin/meetings/meeting/?{urllib.parse.urlencode({'q': term})}"
                page_results.append(
                    load(server.port, f"admin search {term}", path, seconds, warm_up, role="admin-search", **staff)
                )
        if wanted("admin visit"):
            admin_visit_results = load_admin_visit(server.port, admin_paths["large"], seconds, warm_up, cookie)
            page_results.extend(admin_visit_results)
        if wanted("csv export"):
            # Both workers warmed up on the export's code path before memory is measured.
            with ThreadPoolExecutor(CLIENTS) as pool:
                list(pool.map(lambda _: get(server.port, f"/meetings/export.csv?delegation={large}"), range(CLIENTS)))
            tenth = f"{target['tenth']:,} rows (date_from)"
            exports = [
                measure_export(server, f"all {target['total']:,} rows", {}, target["total"], args.runs),
                measure_export(server, tenth, {"date_from": target["date_from"]}, target["tenth"], args.runs),
            ]
    finally:
        server.stop()
    pdfs = None
    if wanted("pdf"):
        say("PDF programme and agendas of the large visit")
        pdfs = pdf.measure()

    for name, path, _role in pages:
        print(f"{name}: {path}")
    print()
    print(
        f"scale {args.scale} ({scale:g}), {CLIENTS} concurrent clients, {seconds:g}s a page after {warm_up:g}s warm-up"
    )
    if page_results:
        print(page_table(page_results))
        print()
    if queries:
        print(query_table(queries))
        print()
    if exports:
        print(export_table(exports))
    if pdfs:
        print(pdf.report(pdfs))
    line = summary_line(page_results, exports, admin_visit_results)
    print(f"{line} {pdf.summary(pdfs)}".strip() if pdfs else line)


if __name__ == "__main__":
    main()
