"""Survey invitations by e-mail: one personal link per person through the outbox, the links
shown to copy, each message's state, and no address left beside the answers."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from samskap.core.outbox.delivery import deliver, deliver_due
from samskap.core.outbox.models import Message, MessageState
from samskap.core.outbox.tests.conftest import smtp  # noqa: F401  (the fixture)
from samskap.measurement import surveys
from samskap.measurement.models import Participant, Response
from samskap.measurement.tests.conftest import answer_all

LINK = re.compile(r"https?://\S+/svar/[\w-]+/")


def invite_url(world, setup, point=None) -> str:
    point = point or setup.before
    return reverse("measurement:invitations", args=[world.internal.slug, setup.survey.pk, point.pk])


def post_invitations(client, url: str, recipients: str, *, batch: str = "a" * 32, language="nb"):
    return client.post(url, {"recipients": recipients, "language": language, "batch": batch})


def shown_links(html: str) -> dict[str, tuple[str, str]]:
    """address → (code, link) from the table of the page that sent them."""
    rows = re.findall(
        r"<tr><td>([^<]+@[^<]+)</td><td>([A-Z0-9]+)</td>.*?value=\"([^\"]+)\"", html, re.S
    )
    return {email: (code, link) for email, code, link in rows}


def file_backend(settings, folder: Path) -> None:
    settings.SAMSKAP_MAIL_BACKEND = "samskap.core.outbox.backends.FileEmailBackend"
    settings.SAMSKAP_MAIL_OPTIONS = {"folder": str(folder)}


def every_text_column_contains(needle: str) -> list[str]:
    """Every table.column of the database whose text holds ``needle`` (a full scan)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            quoted = connection.ops.quote_name(table)
            for column in description:
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE CAST({name} AS TEXT) LIKE %s",  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.mark.django_db
def test_each_address_gets_its_own_link_by_mail_and_the_page_shows_them_to_copy(
    world, setup, settings, tmp_path
):
    file_backend(settings, tmp_path)
    client = world.client(world.project_leader)
    response = post_invitations(
        client, invite_url(world, setup), "kari@example.org\nOla@Example.org; \n\n"
    )
    assert response.status_code == 200
    html = response.content.decode()
    links = shown_links(html)
    assert set(links) == {"kari@example.org", "ola@example.org"}
    assert 'data-copy="link-1"' in html and "Copy" in html
    codes = {code for code, _link in links.values()}
    assert set(world.internal.participants.values_list("code", flat=True)) == codes
    assert Message.objects.filter(kind="survey_invitation", state="queued").count() == 2

    assert deliver_due() == {"sent": 2}
    files = {}
    for path in tmp_path.rglob("*.eml"):
        text = path.read_text()
        to = re.search(r"^To: (.+)$", text, re.M).group(1).strip()
        files[to] = text
    assert set(files) == {"kari@example.org", "ola@example.org"}
    for address, (_code, link) in links.items():
        assert link in files[address]  # the link on the page is the one in that person's mail
        assert "Content-Language: nb" in files[address]
        # The link opens that person's survey (the consent page first).
        opened = world.client(None).get(link)
        assert opened.status_code == 200
        assert setup.survey.consent_text in opened.content.decode()
    assert links["kari@example.org"][1] != links["ola@example.org"][1]


@pytest.mark.django_db
def test_a_delivered_invitation_keeps_no_address_or_link_anywhere_in_the_database(
    world, setup, settings, tmp_path
):
    file_backend(settings, tmp_path)
    client = world.client(world.project_leader)
    html = post_invitations(client, invite_url(world, setup), "kari@example.org").content.decode()
    (code, link) = shown_links(html)["kari@example.org"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    # While queued, the outbox holds the address (it has to, to send it) …
    assert every_text_column_contains("kari@example.org") == ["outbox_message.to"]
    assert deliver_due() == {"sent": 1}
    # … once delivered, nothing in the database holds it, nor the link's token.
    assert every_text_column_contains("kari@example.org") == []
    assert every_text_column_contains(token) == []
    message = Message.objects.get(kind="survey_invitation")
    assert message.state == MessageState.SENT and message.forgotten
    assert "removed after delivery" in message.body or "fjernet" in message.body
    # The person answers through the link; the answers sit with the code only.
    response = surveys.response_for_token(token)
    surveys.consent(response)
    surveys.response_save(
        response=response, answers=answer_all(setup.survey, 7, (1, 2, 1)), submit=True
    )
    assert Response.objects.get(participant__code=code).submitted_at is not None
    page = client.get(invite_url(world, setup)).content.decode()
    assert "removed after delivery" in page and "kari@example.org" not in page


@pytest.mark.django_db
def test_smtp_down_then_up_delivers_each_invitation_once_and_failures_can_be_sent_again(
    world,
    setup,
    smtp,  # noqa: F811
):
    client = world.client(world.project_leader)
    url = invite_url(world, setup)
    post_invitations(client, url, "kari@example.org\nnobody@example.org", language="en")
    assert deliver_due() == {"queued": 2}  # the server is down: retried later, nothing lost
    assert "not reachable" in client.get(url).content.decode()

    smtp.start()
    smtp.recorder.rcpt_reply = "550 5.1.1 No such user here"
    Message.objects.filter(to="kari@example.org").update(next_attempt_at="2000-01-01T00:00Z")
    assert deliver(Message.objects.get(to="kari@example.org").pk) == MessageState.FAILED
    smtp.recorder.rcpt_reply = "250 OK"
    Message.objects.filter(to="nobody@example.org").update(next_attempt_at="2000-01-01T00:00Z")
    assert deliver_due() == {"sent": 1}
    assert deliver_due() == {}

    html = client.get(url).content.decode()
    assert "Failed" in html and "No such user here" in html and "kari@example.org" in html
    assert "removed after delivery" in html and "nobody@example.org" not in html
    failed = Message.objects.get(state=MessageState.FAILED)
    resend_url = reverse(
        "measurement:invitation_resend",
        args=[world.internal.slug, setup.survey.pk, setup.before.pk, failed.pk],
    )
    # Another municipality's coordinator and another partner cannot send it again.
    for user in (world.other_coordinator, world.other_partner):
        refused = world.client(user).post(resend_url, {"confirmed": "yes"})
        assert refused.status_code in (403, 404)
    asked = client.post(resend_url)  # a page that asks first, naming the address
    assert asked.status_code == 200 and "kari@example.org" in asked.content.decode()
    assert client.post(resend_url, {"confirmed": "yes"}).status_code == 302
    assert deliver(failed.pk) == MessageState.SENT
    (mail,) = smtp.recorder.to("kari@example.org")
    assert "/svar/" in mail.get_payload(decode=True).decode()
    assert len(smtp.recorder.received) == 1 + 1  # one each, none twice
    # A delivered invitation has forgotten its address: it cannot be sent again.
    refused = client.post(resend_url, {"confirmed": "yes"}, follow=True).content.decode()
    assert "removed after delivery" in refused
    assert Message.objects.filter(kind="survey_invitation").count() == 2


@pytest.mark.django_db
def test_the_same_form_sent_twice_sends_once(world, setup):
    client = world.client(world.project_leader)
    url = invite_url(world, setup)
    first = post_invitations(client, url, "kari@example.org", batch="b" * 32)
    assert first.status_code == 200
    again = post_invitations(client, url, "kari@example.org", batch="b" * 32)
    assert again.status_code == 302
    assert "already sent" in client.get(url).content.decode()
    assert Message.objects.filter(kind="survey_invitation").count() == 1
    assert world.internal.participants.count() == 1


@pytest.mark.django_db
def test_a_later_time_point_reaches_the_same_code_and_pairs(world, setup):
    client = world.client(world.project_leader)
    html = post_invitations(client, invite_url(world, setup), "kari@example.org").content.decode()
    code, _link = shown_links(html)["kari@example.org"]
    after = post_invitations(
        client, invite_url(world, setup, setup.after), f"kari@example.org {code.lower()}"
    ).content.decode()
    assert shown_links(after)["kari@example.org"][0] == code
    assert world.internal.participants.count() == 1
    assert Response.objects.filter(participant__code=code).count() == 2


@pytest.mark.django_db
def test_bad_lines_are_named_and_nothing_is_written(world, setup):
    client = world.client(world.project_leader)
    url = invite_url(world, setup)
    html = post_invitations(
        client, url, "kari@example.org\nnot-an-address@\nola@example.org ZZZZZZZZ"
    ).content.decode()
    assert "Line 2" in html and "is not an e-mail address" in html
    html = post_invitations(
        client, url, "kari@example.org\nola@example.org ZZZZZZZZ\nKari@example.org"
    ).content.decode()
    assert "No active participant has the code ZZZZZZZZ" in html
    assert "kari@example.org is written twice" in html
    assert not Participant.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_someone_who_answered_is_not_invited_again(world, setup):
    client = world.client(world.project_leader)
    html = post_invitations(client, invite_url(world, setup), "kari@example.org").content.decode()
    code, link = shown_links(html)["kari@example.org"]
    response = surveys.response_for_token(link.rstrip("/").rsplit("/", 1)[1])
    surveys.consent(response)
    surveys.response_save(
        response=response, answers=answer_all(setup.survey, 7, (1, 2, 1)), submit=True
    )
    html = post_invitations(
        client, invite_url(world, setup), f"kari@example.org {code}", batch="c" * 32
    ).content.decode()
    assert f"Participant {code} has already answered" in html
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_only_those_who_edit_the_initiative_may_invite(world, setup):
    url = invite_url(world, setup)
    for user in (world.viewer, world.other_partner, world.other_coordinator):
        client = world.client(user)
        assert client.get(url).status_code in (403, 404), user
        assert post_invitations(client, url, "kari@example.org").status_code in (403, 404), user
    assert world.client(None).get(url).status_code == 302  # to the sign-in page
    assert not Message.objects.exists()
    assert world.client(world.coordinator).get(url).status_code == 200


@pytest.mark.django_db
def test_the_invitation_is_written_in_the_chosen_language(world, setup):
    client = world.client(world.project_leader)
    post_invitations(client, invite_url(world, setup), "kari@example.org", language="sv")
    message = Message.objects.get()
    assert message.language == "sv"
    assert "Dinner friends" in message.subject
    assert LINK.search(message.body)


@pytest.mark.django_db
def test_a_failed_invitations_address_and_link_can_be_removed(world, setup):
    client = world.client(world.project_leader)
    url = invite_url(world, setup)
    html = post_invitations(client, url, "kari@example.org").content.decode()
    token = shown_links(html)["kari@example.org"][1].rstrip("/").rsplit("/", 1)[1]
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, last_error="SMTP 550 No such user here"
    )
    forget_url = reverse(
        "measurement:invitation_forget",
        args=[world.internal.slug, setup.survey.pk, setup.before.pk, message.pk],
    )
    refused = world.client(world.other_coordinator).post(forget_url, {"confirmed": "yes"})
    assert refused.status_code in (403, 404)
    asked = client.post(forget_url)  # a page that asks first
    assert asked.status_code == 200 and "kari@example.org" in asked.content.decode()
    assert client.post(forget_url, {"confirmed": "yes"}).status_code == 302
    assert every_text_column_contains("kari@example.org") == []
    assert every_text_column_contains(token) == []
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and message.forgotten
    page = client.get(url).content.decode()
    assert "address removed" in page and "No such user here" in page
    resend_url = reverse(
        "measurement:invitation_resend",
        args=[world.internal.slug, setup.survey.pk, setup.before.pk, message.pk],
    )
    client.post(resend_url, {"confirmed": "yes"})
    message.refresh_from_db()
    assert message.state == MessageState.FAILED  # it can no longer be sent
    # The link itself still works: the person got it another way.
    assert world.client(None).get(reverse("measurement:respond", args=[token])).status_code == 200
