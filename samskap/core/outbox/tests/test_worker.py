"""The worker loop, the readiness probe and the start-up checks of `samskap serve`."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.core import outbox
from samskap.core.outbox import worker
from samskap.core.outbox.models import Heartbeat, Message, MessageState, PeriodicRun
from samskap.core.outbox.periodic import run_daily_jobs
from samskap.core.startup import collectstatic_if_needed, unapplied_migrations

job_calls: list = []
OSLO = ZoneInfo("Europe/Oslo")


def counting_job(today):
    job_calls.append(today)
    outbox.send_email(
        to="digest@example.org", subject=f"Day {today}", body="x", dedupe_key=f"test-job:{today}"
    )
    return "one message"


def failing_job(today):
    outbox.send_email(to="lost@example.org", subject="never", body="x")
    raise RuntimeError("boom")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_beats_delivers_and_stops(world, smtp):
    smtp.start()
    message = outbox.send_email(to="a@example.org", subject="Hello", body="Text")
    worker.run(interval=0.05, max_seconds=1.5, worker_id="w-test")
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert len(smtp.recorder.to("a@example.org")) == 1
    # A worker that stops removes its heartbeat: readiness then depends on the others.
    assert not Heartbeat.objects.filter(worker="w-test").exists()


@pytest.mark.django_db
def test_readiness_needs_the_database_and_a_recent_worker_heartbeat(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"]["ok"] and not body["worker"]["ok"]
    worker.beat("w1", timezone.now())
    response = client.get(reverse("readyz"))
    assert response.status_code == 200 and json.loads(response.content)["status"] == "ok"
    Heartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=10))
    assert client.get(reverse("readyz")).status_code == 503
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_daily_jobs_run_once_per_date_and_a_failed_one_leaves_nothing(settings):
    settings.SAMSKAP_DAILY_JOBS = [
        "samskap.core.outbox.tests.test_worker.counting_job",
        "samskap.core.outbox.tests.test_worker.failing_job",
    ]
    job_calls.clear()
    morning = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=OSLO)
    early = datetime.datetime(2026, 3, 2, 5, 0, tzinfo=OSLO)
    assert run_daily_jobs(early) == {}  # before the hour
    results = run_daily_jobs(morning)
    assert results["samskap.core.outbox.tests.test_worker.counting_job"] == "one message"
    assert results["samskap.core.outbox.tests.test_worker.failing_job"] == "failed"
    run_daily_jobs(morning + datetime.timedelta(hours=3))
    assert job_calls == [datetime.date(2026, 3, 2)]  # once for the date
    assert Message.objects.filter(to="digest@example.org").count() == 1
    # The failed job rolled back its message and its run: it is tried again.
    assert not Message.objects.filter(to="lost@example.org").exists()
    assert PeriodicRun.objects.filter(job__endswith="failing_job").count() == 0
    run_daily_jobs(morning + datetime.timedelta(days=1))
    assert len(job_calls) == 2


@pytest.mark.django_db
def test_nothing_to_migrate_on_a_migrated_database():
    assert unapplied_migrations() == []


def test_static_files_are_collected_only_when_they_changed(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    # Plain copies (compressing every file twice would make the test slow).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert collectstatic_if_needed() is True
    assert (tmp_path / "samskap" / "samskap.css").exists()
    assert collectstatic_if_needed() is False
    (tmp_path / ".samskap-static-stamp.json").write_text("{}")  # e.g. a new version installed
    assert collectstatic_if_needed() is True
