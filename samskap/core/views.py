"""Probes for the load balancer and the process supervisor."""

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (nothing else is checked, so a slow database never makes
    a supervisor restart healthy web processes)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and a worker has written its heartbeat recently.
    200 when both hold, else 503; the JSON says which part failed."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True}
    except DatabaseError as error:
        checks["database"] = {"ok": False, "error": type(error).__name__}
    if checks["database"]["ok"]:
        from samskap.core.outbox.models import Message, MessageState
        from samskap.core.outbox.worker import last_beat

        beat = last_beat()
        limit = datetime.timedelta(seconds=settings.SAMSKAP_WORKER_HEARTBEAT_MAX)
        age = (timezone.now() - beat).total_seconds() if beat else None
        checks["worker"] = {
            "ok": beat is not None and timezone.now() - beat <= limit,
            "last_heartbeat": beat.isoformat() if beat else None,
            "seconds_ago": round(age, 1) if age is not None else None,
        }
        checks["outbox"] = {
            "ok": True,
            "queued": Message.objects.filter(state=MessageState.QUEUED).count(),
            "failed": Message.objects.filter(state=MessageState.FAILED).count(),
        }
    else:
        checks["worker"] = {"ok": False, "error": "database unreachable"}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )
