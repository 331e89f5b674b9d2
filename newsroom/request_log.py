"""One JSON line per request on stdout, for whatever collects the logs.

Each line says what was asked and answered, how long it took, how many SQL
queries it cost (on every database alias) and who asked, under a request id
that the load balancer may send in X-Request-ID and that the response echoes,
so one slow or failing request can be followed from the proxy to the database.
"""

import json
import logging
import re
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime

from django.db import connections

logger = logging.getLogger("newsroom.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# An id sent by the proxy is kept when it looks like one; anything else is
# replaced, so a client cannot put arbitrary text into the logs.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,200}")


class JSONFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message and its ``fields``."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class QueryCounter:
    """A database execute wrapper that counts what runs through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def request_id_of(request):
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if VALID_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def user_id_of(request):
    user = getattr(request, "user", None)  # set by AuthenticationMiddleware, or the API's auth
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Logs each request to "newsroom.requests" at INFO; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        if not logger.isEnabledFor(logging.INFO):
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            return response

        queries = QueryCounter()
        started = time.perf_counter()
        with ExitStack() as wrappers:
            for alias in connections:
                wrappers.enter_context(connections[alias].execute_wrapper(queries))
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "queries": queries.count,
                    "user_id": user_id_of(request),
                    "request_id": request.request_id,
                }
            },
        )
        return response
