"""The coordinators' list of messages: their municipalities' only, states and reasons, no
text (it may hold a personal link), and "send again" for a failed one."""

import pytest
from django.urls import reverse

from samskap.core import outbox
from samskap.core.outbox.models import Message, MessageState

LIST = reverse("outbox:messages")


def _message(world, municipality, to: str, link: str = "https://x.example/svar/secret-token/"):
    return outbox.send(
        to=to,
        template="health_invitation",
        context={"name": "Kari", "initiative": "Dinner friends", "link": link, "closes_on": None},
        language="en",
        municipality=municipality,
    )


@pytest.mark.django_db
def test_a_coordinator_sees_the_municipalitys_messages_with_state_and_reason(world):
    queued = _message(world, world.home, "kari@example.org")
    failed = _message(world, world.home, "ola@example.org")
    Message.objects.filter(pk=failed.pk).update(
        state=MessageState.FAILED, last_error="SMTP 550 5.1.1 No such user here"
    )
    _message(world, world.other, "bjork@example.org")
    outbox.send_email(to="reset@example.org", subject="Password", body="https://x/reset/")
    html = world.client(world.coordinator).get(LIST).content.decode()
    assert "kari@example.org" in html and "ola@example.org" in html
    assert "Queued" in html and "Failed" in html and "No such user here" in html
    assert queued.subject in html
    # Not another municipality's, not one without a municipality, and never the text.
    assert "bjork@example.org" not in html and "reset@example.org" not in html
    assert "secret-token" not in html
    failed_only = world.client(world.coordinator).get(LIST, {"state": "failed"}).content.decode()
    assert "ola@example.org" in failed_only and "kari@example.org" not in failed_only


@pytest.mark.django_db
def test_a_failed_message_is_sent_again_only_by_its_municipalitys_coordinator(world):
    failed = _message(world, world.home, "ola@example.org")
    Message.objects.filter(pk=failed.pk).update(state=MessageState.FAILED, last_error="550")
    url = reverse("outbox:resend", args=[failed.pk])
    for user in (world.other_coordinator, world.project_leader):
        assert world.client(user).post(url, {"confirmed": "yes"}).status_code == 404
    assert world.client(world.coordinator).get(url).status_code == 405
    asked = world.client(world.coordinator).post(url)  # a page that asks first
    assert asked.status_code == 200 and "ola@example.org" in asked.content.decode()
    failed.refresh_from_db()
    assert failed.state == MessageState.FAILED
    response = world.client(world.coordinator).post(url, {"confirmed": "yes"}, follow=True)
    assert "queued again" in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == MessageState.QUEUED and failed.attempts == 0
    # A message on its way is not sent again from here.
    again = world.client(world.coordinator).post(url, {"confirmed": "yes"}, follow=True)
    again = again.content.decode()
    assert "Only a failed message" in again
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_only_coordinators_see_the_list(world):
    for user in (world.project_leader, world.viewer, world.partner):
        assert world.client(user).get(LIST).status_code == 403
    assert world.client(None).get(LIST).status_code == 302


@pytest.mark.django_db
def test_the_list_takes_the_same_queries_for_many_messages(world, django_assert_max_num_queries):
    client = world.client(world.coordinator)
    _message(world, world.home, "one@example.org")
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(40):
        _message(world, world.home, f"p{number}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)
