"""Logging that keeps secrets out of every line: a filter that redacts what given patterns match (a share
link's token in an address), wherever it is in the record."""

import logging
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

REDACTED = "[redacted]"
# What every record has; any other attribute came as `extra` (Django's request, a status code…).
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RedactFilter(logging.Filter):
    """Replaces each match of the patterns by REDACTED in a record's message and its arguments, its extra
    attributes (an object such as a request becomes its redacted text), its traceback and stack.

    Set it on every handler: a logger's own filters never see the records its children propagate. Each
    pattern matches the secret only (a lookbehind keeps the context: `(?<=/share/)[^/?#\\s]+`). An address
    as a client sent it, percent-encoded, is also matched once decoded.
    """

    def __init__(self, patterns: Iterable[str], replacement: str = REDACTED):
        super().__init__()
        self.pattern = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
        self.replacement = replacement

    def redact(self, text: str) -> str:
        text = self.pattern.sub(self.replacement, text)
        if "%" in text:
            decoded = unquote(text)
            if self.pattern.search(decoded):
                text = self.pattern.sub(self.replacement, decoded)
        return text

    def redact_value(self, value):
        if value is None or isinstance(value, bool | int | float):
            return value
        return self.redact(value if isinstance(value, str) else str(value))

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):  # gunicorn's access log: named parts, which its formatter reads
            for key, value in record.args.items():
                record.args[key] = self.redact_value(value)
        elif isinstance(record.args, Mapping):
            record.args = {key: self.redact_value(value) for key, value in record.args.items()}
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # arguments that do not fit: the formatter reports it
                message = str(record.msg)
            record.msg, record.args = self.redact(message), None
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES:
                setattr(record, name, self.redact_value(value))
        if record.exc_info:
            # Formatters write exc_text when there is no exc_info to format again.
            record.exc_text = self.redact(record.exc_text or logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
