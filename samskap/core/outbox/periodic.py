"""Daily jobs run by the worker: reminders and digests.

Each job in ``settings.SAMSKAP_DAILY_JOBS`` (a dotted path to ``job(today) -> str``) runs once
per date, after ``SAMSKAP_DAILY_JOBS_HOUR`` local time: the ``PeriodicRun`` row for (job, date)
is written in the job's transaction, so a second worker, a restart or a crash mid-job cannot
run it twice (a crash rolls the row back with the job's messages, and the next worker tries
again). Jobs also give each message a ``dedupe_key`` with its date, so a reminder is sent once
per date whatever happens.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun

logger = logging.getLogger(__name__)


def run_daily_jobs(now: datetime.datetime | None = None, *, force: bool = False) -> dict[str, str]:
    """Run every daily job not yet run today; returns {job: result} for those run now."""
    now = timezone.localtime(now or timezone.now())
    if not force and now.hour < settings.SAMSKAP_DAILY_JOBS_HOUR:
        return {}
    today = now.date()
    results: dict[str, str] = {}
    for path in settings.SAMSKAP_DAILY_JOBS:
        if PeriodicRun.objects.filter(job=path, day=today).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=path, day=today)
                result = import_string(path)(today)
                run.finished_at = timezone.now()
                run.result = str(result or "")[:2000]
                run.save(update_fields=["finished_at", "result"])
        except IntegrityError:
            continue  # another worker has it
        except Exception:
            logger.exception("Daily job %s failed; it is tried again later today", path)
            results[path] = "failed"
            continue
        results[path] = run.result
    return results
