"""Operations: the health check, collectstatic, gunicorn with its configuration, several servers on one database."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests.factories import DelegationFactory
from tests.helpers import free_port, gunicorn, server_env

# /healthz in the test process


def test_healthz_answers_ok_with_one_query_and_no_cookie(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_address_same_in_every_language(client, db):
    with translation.override("fr"):
        assert reverse("healthz") == "/healthz"
        assert client.get("/healthz", HTTP_ACCEPT_LANGUAGE="fr").content == b"ok\n"


# Servers in their own processes, as in production


def get(url: str, opener=None) -> tuple[int, bytes, dict]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def json_lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    closed = free_port()
    env = server_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/visits", DJANGO_STATIC_ROOT=str(tmp_path))

    with gunicorn(env, tmp_path / "server.log") as base:
        status, body, headers = get(f"{base}/healthz")

    assert (status, body) == (503, b"database unavailable\n")
    assert "Set-Cookie" not in headers


def test_gunicorn_logs_each_request_as_a_json_line(tmp_path):
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_STATIC_ROOT=str(tmp_path))
    log = tmp_path / "server.log"

    with gunicorn(env, log) as base:
        assert get(f"{base}/healthz?probe=1")[0] == 200

    access = [line for line in json_lines(log) if line["logger"] == "gunicorn.access"]
    assert len(access) == 1
    assert {key: access[0][key] for key in ("level", "method", "path", "query", "status", "bytes")} == {
        "level": "INFO",
        "method": "GET",
        "path": "/healthz",
        "query": "probe=1",
        "status": 200,
        "bytes": 3,
    }
    assert {"time", "remote_addr", "duration_ms", "user_agent"} <= access[0].keys()
    assert "Booting worker with pid" in " ".join(line["message"] for line in json_lines(log))


def test_collectstatic_writes_hashed_and_compressed_files(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]

    for name in ("css/site.css", "css/admin-grid.css", "admin/js/change_form.js"):
        hashed = manifest[name]
        assert hashed != name
        assert (collected_static / hashed).read_bytes() == (collected_static / name).read_bytes()
        assert (collected_static / f"{hashed}.gz").exists()


# Two app servers on one PostgreSQL database


class FormReader(HTMLParser):
    """The fields a browser would submit with one form: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name, kind = attributes.get("name"), attributes.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "file", "image"}:
            if kind not in {"checkbox", "radio"}:
                self.fields.append((name, attributes.get("value", "")))
            elif "checked" in attributes:
                self.fields.append((name, attributes.get("value", "on")))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attributes, "first": None, "chosen": False}
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attributes:
                self.fields.append((self.select["name"], value))
                self.select["chosen"] = True
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self.textarea:
            self.fields[-1] = (self.textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            # A single select with no option marked selected submits its first option.
            if not self.select["chosen"] and not self.select["multiple"] and self.select["first"] is not None:
                self.fields.append((self.select["name"], self.select["first"]))
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_fields(html: bytes, form_id: str) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(html.decode())
    reader.close()
    return reader.fields


def post(opener, url: str, fields: list[tuple[str, str]]) -> tuple[int, bytes, str]:
    """Post a form as a browser would, with the page as referer; follows the redirect like a browser."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": url})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read(), url


@pytest.mark.postgresql
def test_change_saved_through_one_server_read_through_the_other(
    transactional_db, django_user_model, collected_static, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL database")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    visit = DelegationFactory(title="Visit before", slug="visit")
    user = django_user_model.objects.create(
        username="ops",
        is_staff=True,
        is_superuser=True,
        password=PBKDF2PasswordHasher().encode("ops-pass-1234", "salt"),
    )
    env = server_env(DATABASE_URL=database_url, DJANGO_STATIC_ROOT=str(collected_static))
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    a_log, b_log = tmp_path / "a.log", tmp_path / "b.log"
    with gunicorn(env, a_log, workers=2) as server_a, gunicorn(env, b_log, workers=2) as server_b:
        login = f"{server_a}/admin/login/?next=/admin/"
        fields = [
            (name, value) for name, value in form_fields(get(login, browser)[1], "login-form") if name != "password"
        ]
        status, _, landed = post(browser, login, [*fields, ("username", "ops"), ("password", "ops-pass-1234")])
        assert (status, landed) == (200, f"{server_a}/admin/")

        change = f"{server_a}/admin/delegations/delegation/{visit.pk}/change/"
        fields = form_fields(get(change, browser)[1], "delegation_form")
        assert ("title_en", "Visit before") in fields
        fields = [(name, "Visit saved on A" if name == "title_en" else value) for name, value in fields]
        status, page, landed = post(browser, change, fields)
        assert (status, landed) == (200, f"{server_a}/admin/delegations/delegation/")
        assert b"was changed successfully" in page

        public = get(f"{server_b}/delegations/visit/")
        admin_page = get(f"{server_b}/admin/delegations/delegation/{visit.pk}/change/", browser)
        static_hashed = json.loads((collected_static / "staticfiles.json").read_text())["paths"]["css/site.css"]
        static = [get(f"{server}/static/{static_hashed}") for server in (server_a, server_b)]

    assert public[0] == 200
    assert b"<h1>Visit saved on A</h1>" in public[1]
    assert admin_page[0] == 200  # the session made on A is valid on B
    assert ("title_en", "Visit saved on A") in form_fields(admin_page[1], "delegation_form")
    for status, body, headers in static:
        assert status == 200
        assert body == (collected_static / static_hashed).read_bytes()
        assert "immutable" in headers["Cache-Control"]
    visit.refresh_from_db()
    assert visit.title == "Visit saved on A"
    user.refresh_from_db()
    assert user.last_login is not None
    requests = {
        name: [(line["method"], line["path"], line["status"]) for line in json_lines(log) if "method" in line]
        for name, log in (("a", a_log), ("b", b_log))
    }
    assert ("POST", f"/admin/delegations/delegation/{visit.pk}/change/", 302) in requests["a"]
    assert [request for request in requests["b"] if request[0] == "POST"] == []
    assert ("GET", "/delegations/visit/", 200) in requests["b"]


def test_every_environment_variable_documented():
    base = settings.BASE_DIR
    code = (base / "config" / "settings.py").read_text() + (base / "config" / "gunicorn.conf.py").read_text()
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\("([A-Z_]+)"', code))
    readme, example = (base / "README.md").read_text(), (base / ".env.example").read_text()

    assert "GUNICORN_WORKERS" in read
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
    assert sorted(name for name in read if f"\n{name}=" not in example) == []
