"""The outbox against a real SMTP server on loopback: nothing lost, nothing sent twice."""

import datetime
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samskap.core import outbox
from samskap.core.outbox.delivery import backoff, deliver, deliver_due
from samskap.core.outbox.models import Message, MessageState
from samskap.health.models import Round


def run_tasks() -> None:
    """What the worker does with ready tasks (django-tasks' database worker, in batch)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()


def make_due() -> None:
    """Time passes: every waiting retry is due now."""
    Message.objects.filter(state=MessageState.QUEUED).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def start_round_by_page(world) -> None:
    client = world.client(world.project_leader)
    response = client.post(
        reverse("health:round_start", args=[world.internal.slug]),
        {
            "title": "Autumn",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "sets": ["core"],
            "municipality_staff": "Mia Municipal; mia@example.org\nOla Office; ola@example.org",
            "partner_staff": "Pia Partner; pia@example.org",
            "start_key": "k1",
        },
    )
    assert response.status_code == 200
    return response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mail_server_down_at_start_then_up_each_invitation_arrives_once(world, smtp):
    response = start_round_by_page(world)  # the server is not running: no error on the page
    assert "Copy" in response.content.decode()
    assert Round.objects.count() == 1
    run_tasks()  # the enqueued deliveries meet a closed port
    messages = list(Message.objects.filter(kind="health_invitation"))
    assert len(messages) == 3
    for message in messages:
        assert message.state == MessageState.QUEUED
        assert message.attempts == 1
        assert "not reachable" in message.last_error
        assert message.next_attempt_at > timezone.now()

    smtp.start()
    run_tasks()  # retries are scheduled for later: nothing runs early
    assert smtp.recorder.received == []
    make_due()
    assert deliver_due() == {"sent": 3}
    run_tasks()  # the scheduled retry tasks find nothing left to do
    make_due()
    assert deliver_due() == {}
    for address in ("mia@example.org", "ola@example.org", "pia@example.org"):
        (mail,) = smtp.recorder.to(address)
        message = Message.objects.get(to=address)
        assert mail["Message-ID"] == message.message_id
        assert "/helsesjekk/svar/" in mail.get_payload(decode=True).decode()
        assert message.state == MessageState.SENT and message.sent_at is not None
    assert len(smtp.recorder.received) == 3


@pytest.mark.django_db
def test_a_temporary_smtp_error_is_retried_with_back_off(world, smtp):
    smtp.recorder.data_reply = "451 4.3.0 Try again later"
    smtp.start()
    message = outbox.send_email(to="a@example.org", subject="Hello", body="Text")
    assert deliver(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.attempts == 1 and "451" in message.last_error
    assert message.next_attempt_at >= timezone.now() + backoff(1) - datetime.timedelta(seconds=5)
    assert deliver(message.pk) == "skipped"  # not due yet
    smtp.recorder.data_reply = "250 OK"
    make_due()
    assert deliver(message.pk) == MessageState.SENT
    message.refresh_from_db()
    assert message.attempts == 2 and message.last_error == ""
    assert len(smtp.recorder.received) == 1


@pytest.mark.django_db
def test_a_permanent_smtp_error_fails_with_the_servers_reason(world, smtp):
    smtp.recorder.rcpt_reply = "550 5.1.1 No such user here"
    smtp.start()
    message = outbox.send_email(to="nobody@example.org", subject="Hello", body="Text")
    assert deliver(message.pk) == MessageState.FAILED
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "550" in message.last_error and "No such user" in message.last_error
    make_due()
    assert deliver_due() == {}  # a failed message is not tried again by itself
    smtp.recorder.rcpt_reply = "250 OK"
    outbox.resend(message)  # … only when someone sends it again
    assert deliver(message.pk) == MessageState.SENT
    assert len(smtp.recorder.received) == 1


@pytest.mark.django_db
def test_retries_end_in_failed_after_the_last_attempt(world, smtp, settings):
    settings.SAMSKAP_OUTBOX_MAX_ATTEMPTS = 2
    message = outbox.send_email(to="a@example.org", subject="Hello", body="Text")
    assert deliver(message.pk) == MessageState.QUEUED
    make_due()
    assert deliver(message.pk) == MessageState.FAILED
    message.refresh_from_db()
    assert "gave up after 2 attempts" in message.last_error


@pytest.mark.django_db
def test_a_worker_killed_mid_delivery_leaves_a_lease_that_runs_out(world, smtp):
    smtp.start()
    message = outbox.send_email(to="a@example.org", subject="Hello", body="Text")
    # A worker claimed it and died before sending: 'sending', lease still running.
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING, attempts=1, lease_until=timezone.now() + datetime.timedelta(1)
    )
    assert deliver_due() == {}  # another worker holds it: not touched
    assert smtp.recorder.received == []
    Message.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert deliver_due() == {"sent": 1}
    assert deliver_due() == {}
    (mail,) = smtp.recorder.to("a@example.org")
    message.refresh_from_db()
    assert mail["Message-ID"] == message.message_id  # the same id as on the first attempt
    assert message.attempts == 2 and message.state == MessageState.SENT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_invitation_queued_twice_is_sent_once(world, smtp):
    smtp.start()
    for _ in range(2):
        with transaction.atomic():
            outbox.send(
                to="pia@example.org",
                template="health_invitation",
                context={"name": "Pia", "initiative": "X", "link": "http://t/1", "closes_on": None},
                language="en",
                dedupe_key="health-invitation:42",
            )
    assert Message.objects.count() == 1
    run_tasks()
    run_tasks()
    make_due()
    deliver_due()
    assert len(smtp.recorder.to("pia@example.org")) == 1


@pytest.mark.django_db
def test_a_message_is_dropped_with_the_change_that_rolls_back(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.send_email(to="a@example.org", subject="Hello", body="Text")
        raise RuntimeError
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_without_a_mail_server_messages_are_files_named_by_message_id(world, settings, tmp_path):
    settings.SAMSKAP_MAIL_BACKEND = "samskap.core.outbox.backends.FileEmailBackend"
    settings.SAMSKAP_MAIL_OPTIONS = {"folder": str(tmp_path)}
    message = outbox.send_email(to="a@example.org", subject="Hei", body="Tekst æøå")
    assert deliver(message.pk) == MessageState.SENT
    # Delivered again (as after a worker died before recording it): still one file.
    Message.objects.filter(pk=message.pk).update(state=MessageState.QUEUED)
    assert deliver(message.pk) == MessageState.SENT
    files = list(Path(tmp_path).rglob("*.eml"))
    assert len(files) == 1
    text = files[0].read_text()
    assert message.message_id in text and "Subject: Hei" in text


@pytest.mark.django_db
def test_djangos_send_mail_is_queued_not_sent(world, settings):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "samskap.core.outbox.backends.OutboxEmailBackend"
    send_mail("Subject", "Body", None, ["x@example.org"])
    assert Message.objects.get().to == "x@example.org"


@pytest.mark.django_db
def test_the_round_page_shows_each_message_state_and_sends_again(world, smtp):
    smtp.recorder.rcpt_reply = "550 5.1.1 No such user here"
    smtp.start()
    start_round_by_page(world)
    for message in Message.objects.all():
        deliver(message.pk)
    round_ = Round.objects.get()
    client = world.client(world.project_leader)
    url = reverse("health:round", args=[world.internal.slug, round_.number])
    html = client.get(url).content.decode()
    assert "Failed" in html and "No such user here" in html
    failed = Message.objects.get(to="pia@example.org")
    smtp.recorder.rcpt_reply = "250 OK"
    resend_url = reverse(
        "health:round_resend", args=[world.internal.slug, round_.number, failed.pk]
    )
    asked = client.post(resend_url)  # a page that asks first, naming the message
    assert asked.status_code == 200 and "pia@example.org" in asked.content.decode()
    assert Message.objects.get(pk=failed.pk).state == MessageState.FAILED
    response = client.post(resend_url, {"confirmed": "yes"})
    assert response.status_code == 302
    assert deliver(failed.pk) == MessageState.SENT
    assert "Sent" in client.get(url).content.decode()
    # Another municipality's coordinator cannot send it again.
    other = world.client(world.other_coordinator).post(resend_url, {"confirmed": "yes"})
    assert other.status_code in (403, 404)


@pytest.mark.django_db
def test_starting_the_same_form_twice_makes_one_round(world):
    start_round_by_page(world)
    client = world.client(world.project_leader)
    # world.client logs in again; the session that started it is another one, so post with the
    # page's own client twice.
    data = {
        "title": "Winter",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "sets": ["core"],
        "municipality_staff": "Mia Municipal; mia@example.org",
        "partner_staff": "Pia Partner; pia@example.org",
        "start_key": "k2",
    }
    url = reverse("health:round_start", args=[world.internal.slug])
    refused = client.post(url, data)
    assert "is still open" in refused.content.decode()
    assert Round.objects.count() == 1
    data["another_round"] = "on"
    assert client.post(url, data).status_code == 200
    again = client.post(url, data)
    assert again.status_code == 302
    assert Round.objects.count() == 2
    assert Message.objects.filter(kind="health_invitation").count() == 3 + 2
