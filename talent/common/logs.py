"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to (also inside the
Celery tasks that request queued).

Personal data stays out by construction: a request is logged by route name (never the path with its ids or
query), role and status; an exception by its type and the code lines it went through (its message may quote a
row's values, so it is left out). Whatever a logger's message says is the caller's responsibility.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

#: The request (or the task, or the request that queued it) being served by this thread.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

#: `extra=` fields written when present, in this order.
FIELDS = (
    "event",
    "method",
    "route",
    "role",
    "status",
    "duration_ms",
    "task",
    "task_id",
    "outcome",
    "queue",
    "check",
)


def new_request_id(offered: str | None = None) -> str:
    """The id a proxy sent (X-Request-ID) when it looks like an id, else a fresh one."""
    if offered and _GOOD_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request id (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exc_type"] = f"{kind.__module__}.{kind.__qualname__}"
            line["stack"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(trace)][-12:]
        return json.dumps(line, ensure_ascii=False, default=str)
