"""``samskap worker``: runs the django-tasks database worker, the outbox sweep, the heartbeat
read by ``/readyz`` and the daily jobs, in one process and one thread.

Each turn of the loop: write the heartbeat; every ``sweep`` seconds deliver messages that are
due (a lost enqueue or a killed worker never loses a message); every few minutes run the daily
jobs not yet run today; then run every task that is ready (django-tasks' own worker in batch
mode); then wait ``interval`` seconds. SIGTERM/SIGINT stop it after the current task.
"""

import datetime
import logging
import os
import signal
import socket
import time

from django.db import close_old_connections
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger("samskap.worker")


class _Stop(Exception):
    pass


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    Heartbeat.objects.update_or_create(
        worker=worker_id, defaults={"beat_at": timezone.now(), "started_at": started_at}
    )


def last_beat() -> datetime.datetime | None:
    latest = Heartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return latest


def run(
    *,
    interval: float = 1.0,
    sweep_every: float = 30.0,
    jobs_every: float = 300.0,
    max_seconds: float | None = None,
    worker_id: str | None = None,
) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    from .delivery import deliver_due
    from .periodic import run_daily_jobs

    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"[:64]
    tasks = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    state = {"busy": False, "stop": False}

    def stop(signum, frame):
        state["stop"] = True
        tasks.running = False
        if not state["busy"]:
            raise _Stop

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    started = timezone.now()
    deadline = time.monotonic() + max_seconds if max_seconds else None
    next_sweep = next_jobs = 0.0
    logger.info("Samskap worker %s started", worker_id)
    try:
        while not state["stop"] and (deadline is None or time.monotonic() < deadline):
            close_old_connections()
            state["busy"] = True
            try:
                beat(worker_id, started)
                if time.monotonic() >= next_sweep:
                    counts = deliver_due()
                    if counts:
                        logger.info("Sweep delivered: %s", counts)
                    Heartbeat.objects.filter(
                        beat_at__lt=timezone.now() - datetime.timedelta(days=1)
                    ).delete()
                    next_sweep = time.monotonic() + sweep_every
                if time.monotonic() >= next_jobs:
                    for job, result in run_daily_jobs().items():
                        logger.info("Daily job %s: %s", job, result)
                    next_jobs = time.monotonic() + jobs_every
                tasks.running = True
                tasks.run()
            except _Stop:
                raise
            except Exception:
                # A database that is briefly away must not end the worker: log, wait, go on.
                logger.exception("Worker turn failed; trying again")
            finally:
                state["busy"] = False
                close_old_connections()
            if state["stop"]:
                break
            time.sleep(interval)
    except _Stop:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        Heartbeat.objects.filter(worker=worker_id).delete()
        logger.info("Samskap worker %s stopped", worker_id)
