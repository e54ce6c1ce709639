"""A write that still finds SQLite locked after its busy timeout answers 503, not 500.

SQLite (the `make run` default) has one writer at a time. The settings make writers queue
(IMMEDIATE transactions, a busy timeout), so this is the rare case of a queue longer than
the timeout: nothing was written, and the same request can simply be sent again.
PostgreSQL never raises it.
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

BUSY = "The database is busy with other changes; nothing was saved. Please try again."
RETRY_AFTER_SECONDS = "2"


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def database_busy_body() -> dict:
    return {"status": 503, "code": "database_busy", "detail": BUSY}


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("%s %s: database locked past the busy timeout", request.method, request.path)
        if request.path.startswith("/api/"):
            response = JsonResponse(database_busy_body(), status=503)
        else:
            response = HttpResponse(BUSY, content_type="text/plain; charset=utf-8", status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
