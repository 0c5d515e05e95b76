"""The one log file (in the XDG state dir) and the redaction every record goes through.

Secrets are kept out of messages where they are made; this is the net under that:
every token the session resolved is registered here, and any record that still
contains one has it replaced before it is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tui.core import paths

REDACTED = "[redacted]"

_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Make sure `value` never reaches the log; short values would redact too much."""
    if len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, REDACTED)
    return text


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            record.msg = redact(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


def setup_logging(*, debug: bool = False) -> Path:
    """Send the app's log records to the log file; returns its path."""
    log_file = paths.log_file()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.addFilter(_RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("tui")
    for old in root.handlers:  # set up again (tests, or a second main() in one process)
        old.close()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False
    # httpx logs each request at INFO; only --debug wants those. Nothing reaches stderr,
    # which is the TUI's screen.
    httpx_log = logging.getLogger("httpx")
    httpx_log.handlers[:] = [handler]
    httpx_log.setLevel(logging.DEBUG if debug else logging.WARNING)
    httpx_log.propagate = False
    return log_file
