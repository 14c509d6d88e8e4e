"""Log records as JSON lines on standard output (python-json-logger), for Django and gunicorn alike."""

from collections.abc import Mapping

from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Secrets in addresses, kept out of every log line: a share link's token (/share/<token>/…) and an
# invitation link's (/invite/<token>/…).
SECRET_PATTERNS = (
    r"(?<=/[sS][hH][aA][rR][eE]/)[^/?#\s\"'<>]+",
    r"(?<=/[iI][nN][vV][iI][tT][eE]/)[^/?#\s\"'<>]+",
)
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


def json_formatter(**overrides) -> dict:
    """A logging dictConfig formatter entry."""
    return {"()": "pythonjsonlogger.json.JsonFormatter", "format": FIELDS, "rename_fields": RENAMED, **overrides}


def redact_filter() -> dict:
    """A logging dictConfig filter entry that redacts SECRET_PATTERNS (core.logs.RedactFilter)."""
    return {"()": "core.logs.RedactFilter", "patterns": SECRET_PATTERNS}


class AccessFormatter(JsonFormatter):
    """Gunicorn's access log: the request's parts as fields rather than one Apache-style line."""

    ATOMS = {
        "remote_addr": "h",
        "forwarded_for": "{x-forwarded-for}i",
        "method": "m",
        "path": "U",
        "query": "q",
        "status": "s",
        "bytes": "B",
        "duration_ms": "M",
        "referer": "f",
        "user_agent": "a",
    }

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        if isinstance(record.args, Mapping):
            for field, atom in self.ATOMS.items():
                log_data[field] = record.args[atom]
            if str(log_data["status"]).isdigit():
                log_data["status"] = int(log_data["status"])
