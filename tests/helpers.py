"""Helpers shared by test modules: running manage.py and gunicorn as production would, and reading admin
forms and pages back as a browser would."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra) -> dict[str, str]:
    """A production environment over plain HTTP on loopback."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "two-servers-share-this-secret-" + "x" * 30,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        **extra,
    }


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 1):
    """gunicorn with config/gunicorn.conf.py on a free loopback port, stopped by SIGTERM as a service manager does."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(300):  # up to a minute on a busy machine
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"gunicorn did not listen on {port}:\n{log.read_text()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text()


def change_form_data(response) -> dict:
    """The change form as a browser sends it back unchanged: the main form, each inline row and
    each inline's management form."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", ()):  # none on a past version's page
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[form[name].html_name] = [str(item) for item in value]
            else:
                data[form[name].html_name] = "on" if value is True else str(value)
    return data


def opened_state(client, url: str) -> dict[str, str]:
    """The state of the record that a change form carries (core.concurrency): what a browser that has
    just opened the page sends back with the fields a test posts."""
    form = client.get(url).context["adminform"].form
    return {"opened_state": form["opened_state"].value()}


def blocked_inline_code(response) -> list[str]:
    nonce = re.search(r"'nonce-([A-Za-z0-9+/=]+)'", response["Content-Security-Policy"])
    finder = InlineCodeFinder(nonce.group(1) if nonce else None)
    finder.feed(response.content.decode())
    finder.close()
    return finder.blocked


class InlineCodeFinder(HTMLParser):
    """What a policy without 'unsafe-inline' blocks: inline scripts and styles without the nonce,
    event-handler and style attributes, javascript: URLs."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        has_nonce = self.nonce is not None and attributes.get("nonce") == self.nonce
        if tag == "script" and not attributes.get("src") and not has_nonce:
            self.blocked.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style" and not has_nonce:
            self.blocked.append(f"inline <style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.blocked.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            url = (value or "").strip().lower()
            if name in {"href", "src", "action", "formaction"} and url.startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


@contextlib.contextmanager
def links_across_visits_allowed():
    """Drop the database's triggers that keep links inside one visit, then create them again: for tests that
    plant such links on purpose, as data written before the rule (or by a bug) would hold them."""
    from importlib import import_module

    from django.db import connection

    from core.same_owner import create_statements, drop_statements

    rules = [
        rule
        for module in (
            "delegations.migrations.0010_links_inside_one_visit",
            "meetings.migrations.0009_links_inside_one_visit",
        )
        for rule in import_module(module).RULES
    ]
    with connection.cursor() as cursor:
        for statement in drop_statements(connection.vendor, rules):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in create_statements(connection.vendor, rules):
                cursor.execute(statement)


def in_threads(count: int, work) -> list:
    """Run work(rank) in `count` threads released together; their results in rank order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(rank: int):
        try:
            barrier.wait(timeout=30)
            results[rank] = work(rank)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(rank,)) for rank in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def opened_item_detail(client, visit, item, row: int) -> dict:
    """What a browser that opened an item's folded detail on the visit's page posts of it: the fields the
    page fetched (delegations.admin_detail), with the input that says they were loaded."""
    from django.urls import reverse

    from bench.admin_visit import change_form_fields

    url = reverse("admin:delegations_delegation_item_detail", args=[visit.pk, item.pk])
    response = client.get(url, {"prefix": f"itinerary_items-{row}"})
    assert response.status_code == 200, response.content
    data: dict = {}
    for name, value in change_form_fields(f'<form id="detail">{response.content.decode()}</form>', "detail"):
        if name in data:
            data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]]), value]
        else:
            data[name] = value
    return data
