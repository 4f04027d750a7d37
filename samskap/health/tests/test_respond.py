"""The respondent's link: save and resume, hand in once, and clear messages with nothing stored
for a wrong, reused or expired link."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.conftest import error_summary
from samskap.core.outbox.models import Message
from samskap.core.tokens import digest
from samskap.health import services
from samskap.health.models import Answer, Respondent, RespondentToken, Round

from .conftest import start_round

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return reverse("health:respond", args=[token])


def _form(round_, value: str = "4", **extra) -> dict:
    data = {f"item_{ri.pk}": value for ri in round_.round_items.all()}
    data.update(extra)
    return data


def test_the_item_bank_is_loaded_by_the_migration(db):
    from samskap.health.models import BankVersion, Dimension, Item

    bank = BankVersion.objects.get(version="1")
    codes = set(Dimension.objects.filter(bank=bank).values_list("code", flat=True))
    assert codes == {"understanding", "anchoring", "commitment", "trust"}
    for code in codes:
        items = Item.objects.filter(bank=bank, dimension__code=code)
        assert items.count() >= 4
        assert all(item.text_nb and item.text_en for item in items)


def test_tokens_are_stored_only_as_digests(world, started):
    token = started.token_of("municipality", 0)
    assert len(token) >= 43
    assert not RespondentToken.objects.filter(digest=token).exists()
    assert RespondentToken.objects.filter(digest=digest(token)).count() == 1


def test_the_page_shows_every_statement_and_the_scale(world, started):
    response = world.client(None).get(_url(started.token_of("partner", 0)))
    assert response.status_code == 200
    html = response.content.decode()
    assert started.round.round_items.count() == 18  # core set: 3 dimensions × 6
    assert "I know what the other party is meant to contribute" in html
    assert "Don&#x27;t know" in html
    assert 'name="viewport"' in html


def test_save_and_resume_then_hand_in(world, started):
    client = world.client(None)
    token = started.token_of("partner", 1)
    first = started.round.round_items.first()
    response = client.post(_url(token), {f"item_{first.pk}": "2", "save": "1"})
    assert response.status_code == 302
    respondent = started.respondents["partner1@example.org"]
    respondent.refresh_from_db()
    assert respondent.submitted_at is None and respondent.started_at is not None
    assert Answer.objects.get(respondent=respondent).value == 2
    # Coming back: the saved answer is ticked.
    html = client.get(_url(token)).content.decode()
    assert re.search(rf'<input[^>]*name="item_{first.pk}" value="2"[^>]*checked', html)
    assert not re.search(rf'<input[^>]*name="item_{first.pk}" value="3"[^>]*checked', html)
    response = client.post(_url(token), _form(started.round, "dk", submit="1"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    assert set(respondent.answers.values_list("value", flat=True)) == {None}


def test_handing_in_with_missing_answers_names_them_and_keeps_the_rest(world, started):
    client = world.client(None)
    token = started.token_of("municipality", 2)
    items = list(started.round.round_items.all())
    data = {f"item_{ri.pk}": "5" for ri in items[1:]}
    response = client.post(_url(token), {**data, "submit": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an answer, or “don&#x27;t know”." in html
    assert items[0].item.text in html
    # One error summary at the top, its link on the first answer of the open statement.
    [(anchor, text)] = error_summary(html)
    assert anchor == f"id_item_{items[0].pk}_0"
    assert text.startswith(items[0].item.text.replace("'", "&#x27;"))
    respondent = started.respondents["municipality2@example.org"]
    respondent.refresh_from_db()
    assert respondent.submitted_at is None
    assert respondent.answers.count() == len(items) - 1


def test_a_second_hand_in_counts_once_and_stores_nothing(world, started):
    client = world.client(None)
    token = started.token_of("municipality", 0)
    client.post(_url(token), _form(started.round, "4", submit="1"))
    respondent = Respondent.objects.get(email="municipality0@example.org")
    submitted_at = respondent.submitted_at
    before = list(Answer.objects.order_by("pk").values_list("pk", "value"))
    response = client.post(_url(token), _form(started.round, "1", submit="1"))
    assert response.status_code == 409
    assert "You have already answered" in response.content.decode()
    assert list(Answer.objects.order_by("pk").values_list("pk", "value")) == before
    respondent.refresh_from_db()
    assert respondent.submitted_at == submitted_at
    with pytest.raises(services.TokenProblem) as problem:
        services.answers_save(token=token, answers={}, submit=True)
    assert problem.value.reason == "submitted"


def test_a_wrong_token_says_so_and_stores_nothing(world, started):
    client = world.client(None)
    for token in ["not-a-real-token", started.token_of("partner", 0)[:-1] + "x"]:
        assert client.get(_url(token)).status_code == 404
        response = client.post(_url(token), _form(started.round, submit="1"))
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert Answer.objects.count() == 0
    assert not Respondent.objects.filter(started_at__isnull=False).exists()


def test_a_closed_round_says_so_and_stores_nothing(world, started):
    client = world.client(None)
    token = started.token_of("partner", 2)
    services.round_close(access=access_for(world.project_leader), round_=started.round)
    response = client.post(_url(token), _form(started.round, submit="1"))
    assert response.status_code == 410
    assert "This health check is closed" in response.content.decode()
    assert Answer.objects.count() == 0


def test_a_round_past_its_closing_date_is_closed(world, started):
    Round.objects.filter(pk=started.round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = world.client(None).post(
        _url(started.token_of("partner", 3)), _form(started.round, submit="1")
    )
    assert response.status_code == 410
    assert Answer.objects.count() == 0


def test_an_answer_off_the_scale_is_refused(world, started):
    first = started.round.round_items.first()
    response = world.client(None).post(
        _url(started.token_of("partner", 0)), {f"item_{first.pk}": "7", "submit": "1"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Answer.objects.count() == 0


def test_answers_of_another_round_are_refused(world, started):
    other = start_round(world)
    foreign = other.round.round_items.first()
    with pytest.raises(services.ValidationError):
        services.answers_save(token=started.token_of("partner", 0), answers={foreign.pk: "3"})
    assert Answer.objects.count() == 0


def test_starting_a_round_sends_each_person_their_link(world, client):
    client.force_login(world.project_leader)
    closes = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("health:round_start", args=[world.internal.slug]),
        {
            "title": "Autumn",
            "closes_on": closes,
            "sets": ["core", "trust"],
            "include_own_items": "on",
            "municipality_staff": "Mia Municipal; mia@example.org\nOla Office; ola@example.org",
            "partner_staff": "Pia Partner; pia@example.org",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "shown only this once" in html
    # The invitations are queued in the outbox with the round, not sent inside the request.
    queued = list(Message.objects.filter(kind="health_invitation"))
    assert len(queued) == 3 and {m.state for m in queued} == {"queued"}
    assert len(mail.outbox) == 0
    round_ = Round.objects.get(title="Autumn")
    assert round_.round_items.count() == 25  # 18 core + 7 trust
    for message in queued:
        link = next(word for word in message.body.split() if "/helsesjekk/svar/" in word)
        assert link in html
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert world.client(None).get(_url(token)).status_code == 200


def test_a_bad_respondent_line_names_the_field_and_line(world, client):
    client.force_login(world.project_leader)
    response = client.post(
        reverse("health:round_start", args=[world.internal.slug]),
        {
            "closes_on": timezone.localdate().isoformat(),
            "sets": ["core"],
            "municipality_staff": "Mia Municipal; mia@example.org\nJust a name",
            "partner_staff": "Pia; not-an-email",
        },
    )
    html = response.content.decode()
    assert "Line 2: write “name; e-mail”." in html
    assert "Line 1: “not-an-email” is not an e-mail address." in html
    assert not Round.objects.exists()


def test_a_round_needs_both_sides_and_a_future_closing_date(world):
    with pytest.raises(services.ValidationError) as error:
        services.round_start(
            access=access_for(world.project_leader),
            initiative=world.internal,
            title="",
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
            set_codes=["core"],
            respondents=[services.RespondentSpec("A", "a@example.org", "municipality")],
        )
    problems = error.value.message_dict
    assert "The closing date cannot be in the past." in problems["closes_on"]
    assert "Ask people from both the municipality and the partner." in problems["respondents"]
    assert not Round.objects.exists()


def test_a_partner_respondent_must_belong_to_a_partner_of_the_initiative(world):
    with pytest.raises(services.ValidationError) as error:
        services.round_start(
            access=access_for(world.project_leader),
            initiative=world.internal,
            title="",
            closes_on=timezone.localdate(),
            set_codes=["core"],
            respondents=[
                services.RespondentSpec("A", "a@example.org", "municipality"),
                services.RespondentSpec("B", "b@example.org", "partner", world.other_org),
            ],
        )
    assert "B: choose one of the initiative's partner organisations." in str(error.value)


def test_the_link_pages_speak_the_visitors_language() -> None:
    # The texts were once evaluated at import, in whatever language was active then.
    from django.utils import translation

    from samskap.health.views import TOKEN_MESSAGES

    with translation.override("en"):
        assert str(TOKEN_MESSAGES["submitted"][1]) == "You have already answered"
    with translation.override("nb"):
        assert str(TOKEN_MESSAGES["submitted"][1]) == "Du har allerede svart"
