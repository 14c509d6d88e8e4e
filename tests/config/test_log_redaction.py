"""Share-link tokens never reach a log line: gunicorn's access and error logs, Django's own loggers."""

import json
import logging
import runpy
import secrets
import sys

from django.conf import settings

from core.logs import REDACTED, RedactFilter
from delegations.services import share_link_create
from tests.config.test_operations import get, json_lines
from tests.factories import DelegationFactory
from tests.helpers import gunicorn, manage, server_env

CREATE_LINK = """
from delegations.services import share_link_create
from tests.factories import DelegationFactory
print(share_link_create(delegation=DelegationFactory(slug="shared"), label="for Dalkia", created_by=None)[1])
"""


def share_paths(token: str) -> list[str]:
    """A link's addresses as partners and prowlers use them: valid pages, a query string, a 404 under
    the token, the same token in capitals and percent-encoded."""
    return [
        f"/share/{token}/",
        f"/share/{token}/outcomes/",
        f"/share/{token}/meetings/?status=held&q=x",
        f"/share/{token}/meetings/export.csv",
        f"/share/{token}/calendar.ics",
        f"/share/{token}/no-such-page/",
        f"/share/{token}",
        f"/SHARE/{token}/",
        f"/%73hare/{token}/",
    ]


def root_redacting_handler() -> logging.Handler:
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(one, RedactFilter) for one in handler.filters)
    ]
    return handler


def test_every_log_handler_redacts_tokens():
    gunicorn_conf = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))

    for config in (settings.LOGGING, gunicorn_conf["logconfig_dict"]):
        filters = {name: handler.get("filters") for name, handler in config["handlers"].items()}
        assert filters == {name: ["redact"] for name in config["handlers"]}
    # Django's default handlers (standard error in debug, runserver's lines, error e-mails) are replaced.
    assert settings.LOGGING["loggers"]["django"]["handlers"] == []
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == []


def test_django_not_found_log_of_a_share_address_has_no_token(client, db, caplog):
    token = share_link_create(delegation=DelegationFactory(), label="for Dalkia", created_by=None)[1]
    unknown = secrets.token_urlsafe(32)
    handler = root_redacting_handler()

    with caplog.at_level(logging.INFO):
        for path in [*share_paths(token), *share_paths(unknown)]:
            client.get(path)

    not_found = [record for record in caplog.records if record.name == "django.request"]
    assert len(not_found) >= 8
    lines = []
    for record in not_found:
        assert handler.filter(record)
        lines.append(handler.format(record))
    assert token not in "\n".join(lines) + caplog.text
    assert unknown not in "\n".join(lines) + caplog.text
    assert json.loads(lines[0])["message"] == f"Not Found: /share/{REDACTED}/no-such-page/"


def test_redact_filter_covers_arguments_extras_and_tracebacks():
    token = secrets.token_urlsafe(32)
    redact = RedactFilter([r"(?<=/share/)[^/?#\s]+"])
    try:
        raise ValueError(f"no page at /share/{token}/x/")
    except ValueError:
        record = logging.makeLogRecord(
            {
                "msg": "%s %s",
                "args": ("GET", f"/share/{token}/"),
                "request": f"<WSGIRequest: GET '/share/{token}/'>",
                "status_code": 404,
                "exc_info": sys.exc_info(),
            }
        )

    assert redact.filter(record)
    formatted = logging.Formatter("%(message)s %(request)s %(status_code)s").format(record)

    assert token not in formatted
    assert formatted.startswith(f"GET /share/{REDACTED}/ <WSGIRequest: GET '/share/{REDACTED}/'> 404")
    assert f"ValueError: no page at /share/{REDACTED}/x/" in formatted


def test_gunicorn_access_and_error_logs_have_no_token(tmp_path, collected_static):
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_STATIC_ROOT=str(collected_static))
    assert manage("migrate", "--noinput", env=env).returncode == 0
    created = manage("shell", "--no-imports", "-c", CREATE_LINK, env=env)
    token = created.stdout.strip()
    assert len(token) == 43, created.stderr
    unknown = secrets.token_urlsafe(32)
    log = tmp_path / "server.log"

    with gunicorn(env, log) as base:
        statuses = {path: get(f"{base}{path}")[0] for path in [*share_paths(token), *share_paths(unknown)]}

    assert statuses[f"/share/{token}/"] == statuses[f"/share/{token}/calendar.ics"] == 200
    assert statuses[f"/share/{unknown}/"] == statuses[f"/share/{token}/no-such-page/"] == 404
    text = log.read_text()
    assert token not in text
    assert unknown not in text
    access = [line for line in json_lines(log) if line["logger"] == "gunicorn.access"]
    assert len(access) == len(statuses) + 2  # the two addresses without a slash are redirected
    assert {"path": f"/share/{REDACTED}/meetings/", "query": "status=held&q=x", "status": 200} in [
        {key: line[key] for key in ("path", "query", "status")} for line in access
    ]
    assert [line["message"] for line in json_lines(log) if line["logger"] == "django.request"] != []
