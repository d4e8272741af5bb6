"""Structured logs: one JSON object per line, each tagged with its request's id."""

import contextvars
import json
import logging
import re
import time
import uuid

from .proxies import is_trusted_proxy

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("opsguide.request")


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID if sane), echo it, and log the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        # Kept only from a trusted proxy (which makes it for its own logs), else ours.
        trusted = is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))
        request_id = incoming if trusted and _VALID_ID.match(incoming) else uuid.uuid4().hex
        # Not reset afterwards: Django logs 4xx/5xx responses after the
        # middleware chain returns, and those lines should carry the id too.
        # The next request on this thread sets its own.
        _request_id.set(request_id)
        request.id = request_id
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
