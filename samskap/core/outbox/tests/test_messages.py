"""Every kind of message renders in bokmål and English, and the changes that cause them queue
them (once) for the right people."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.agreements.tests import conftest as agreement_fixtures
from samskap.core import notifications
from samskap.core.outbox.models import Message
from samskap.core.outbox.services import render
from samskap.registry import services as registry_services
from samskap.registry.models import IdeaProposal, Sector

# The agreement tests' fixtures, used here too.
aw = agreement_fixtures.aw
unit = agreement_fixtures.unit

DAY = datetime.date(2026, 3, 2)
KINDS = {
    "health_invitation": {
        "name": "Pia",
        "initiative": "Matvenner",
        "link": "https://x/l",
        "closes_on": DAY,
    },
    "health_reminder": {
        "name": "Pia",
        "initiative": "Matvenner",
        "link": "https://x/l",
        "closes_on": DAY,
    },
    "survey_invitation": {"initiative": "Matvenner", "link": "https://x/s", "closes_on": DAY},
    "signature_requested": {
        "title": "Pilot agreement",
        "initiative": "Matvenner",
        "version": 2,
        "organisation": "Varme Hender SA",
        "link": "https://x/a",
    },
    "agreement_signed": {
        "title": "Pilot agreement",
        "initiative": "Matvenner",
        "version": 2,
        "in_force": False,
        "start_date": DAY,
        "end_date": DAY,
        "link": "https://x/a",
    },
    "agreement_in_force": {
        "title": "Pilot agreement",
        "initiative": "Matvenner",
        "version": 2,
        "start_date": DAY,
        "end_date": DAY,
        "link": "https://x/a",
    },
    "agreement_review_due": {
        "title": "Pilot agreement",
        "initiative": "Matvenner",
        "date": DAY,
        "days": 30,
        "link": "https://x/a",
    },
    "agreement_end_due": {
        "title": "Pilot agreement",
        "initiative": "Matvenner",
        "date": DAY,
        "days": 7,
        "link": "https://x/a",
    },
    "idea_received": {"name": "Kari", "title": "Benk", "municipality": "Fjordvik"},
    "idea_accepted": {"name": "Kari", "title": "Benk", "municipality": "Fjordvik", "note": "Fin"},
    "idea_declined": {
        "name": "",
        "title": "Benk",
        "municipality": "Fjordvik",
        "note": "Finnes alt",
    },
    "weekly_digest": {
        "name": "Kim",
        "stuck": [
            SimpleNamespace(title="Matvenner", slug="matvenner", planned_transition_date=DAY)
        ],
        "waiting": 3,
        "closing": [
            SimpleNamespace(
                initiative=SimpleNamespace(title="Matvenner"), title="Vår", closes_on=DAY
            )
        ],
        "link": "https://x/p",
        "base": "https://x",
    },
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_message_renders_in_bokmal_and_english(kind):
    subject_nb, body_nb = render(kind, KINDS[kind], "nb")
    subject_en, body_en = render(kind, KINDS[kind], "en")
    for text in (subject_nb, body_nb, subject_en, body_en):
        assert text.strip() and "{%" not in text and "{{" not in text and "%(" not in text
    assert subject_nb != subject_en and body_nb != body_en  # translated, not left in English
    assert "Samskap" in body_nb and "Ikke svar" in body_nb  # the bokmål footer
    for value in ("https://x/l", "https://x/s", "https://x/a", "https://x/p"):
        if value in KINDS[kind].values():
            assert value in body_nb and value in body_en
    assert "\n" not in subject_nb


def test_the_digest_counts_and_links(settings):
    _subject, body = render("weekly_digest", KINDS["weekly_digest"], "nb")
    assert "3 indikatorverdier" in body
    assert "https://x/initiativ/matvenner/" in body


@pytest.mark.django_db
def test_an_idea_tells_its_proposer_when_received_accepted_and_declined(world):
    idea = registry_services.idea_submit(
        municipality=world.home,
        title="Benk",
        need="Sitte",
        proposer_name="Kari",
        proposer_email="kari@example.org",
    )
    silent = registry_services.idea_submit(municipality=world.home, title="Lys", need="Se")
    declined = registry_services.idea_submit(
        municipality=world.home, title="Mur", need="Ly", proposer_email="ola@example.org"
    )
    registry_services.idea_accept(
        access=access_for(world.coordinator),
        idea=idea,
        target_group="Alle",
        sectors=[Sector.objects.first()],
    )
    registry_services.idea_reject(
        access=access_for(world.coordinator), idea=declined, note="Finnes alt"
    )
    kinds = sorted(Message.objects.values_list("kind", "to"))
    assert kinds == [
        ("idea_accepted", "kari@example.org"),
        ("idea_declined", "ola@example.org"),
        ("idea_received", "kari@example.org"),
        ("idea_received", "ola@example.org"),
    ]
    assert "Finnes alt" in Message.objects.get(kind="idea_declined").body
    assert not Message.objects.filter(cause_id=str(silent.pk)).exists()
    assert IdeaProposal.objects.count() == 3


@pytest.mark.django_db
def test_agreement_messages_go_to_the_signers_and_dates_once_per_date(aw):
    from samskap.agreements.tests.conftest import complete
    from samskap.agreements.tests.test_services import send, sign

    complete(aw.world, aw.agreement)
    aw.coordinator.email = "coord@example.org"
    aw.coordinator.save()
    aw.partner.email = "partner@example.org"
    aw.partner.save()
    version = send(aw)
    requested = Message.objects.filter(kind="signature_requested")
    assert sorted(requested.values_list("to", flat=True)) == [
        "coord@example.org",
        "partner@example.org",
    ]
    sign(aw, aw.coordinator, aw.unit)
    assert not Message.objects.filter(kind="agreement_signed").exists()
    sign(aw, aw.partner, aw.partner_org)
    signed = Message.objects.filter(kind="agreement_signed")
    assert {"coord@example.org", "partner@example.org"} <= set(signed.values_list("to", flat=True))
    aw.agreement.refresh_from_db()
    assert aw.agreement.end_date
    today = aw.agreement.end_date - datetime.timedelta(days=30)
    notifications.agreement_dates_coming_up(today)
    notifications.agreement_dates_coming_up(today)  # a second run that day: nothing new
    assert Message.objects.filter(kind="agreement_end_due").count() == len(
        notifications.managers_of(aw.agreement.municipality_id)
        | notifications._people([aw.agreement.initiative.project_leader])
    )
    assert version.number == 1


@pytest.mark.django_db
def test_an_agreement_that_reaches_its_start_date_tells_everyone_once(aw, settings):
    from samskap.agreements import services
    from samskap.agreements.models import AgreementState
    from samskap.agreements.tests.conftest import complete
    from samskap.agreements.tests.test_services import send, sign
    from samskap.core.outbox.periodic import run_daily_jobs

    complete(aw.world, aw.agreement)
    for user, address in ((aw.coordinator, "coord@example.org"), (aw.partner, "p@example.org")):
        user.email = address
        user.save()
    start = timezone.localdate() + datetime.timedelta(days=10)
    term = {**services.latest_version(aw.agreement).content["term"], "start_date": str(start)}
    services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"term": term},
    )
    send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    assert not Message.objects.filter(kind="agreement_in_force").exists()  # not yet
    # The worker's daily jobs move it into force on the start date, with no command to run.
    assert "samskap.agreements.services.agreements_sync_states" in settings.SAMSKAP_DAILY_JOBS
    settings.SAMSKAP_DAILY_JOBS = ["samskap.agreements.services.agreements_sync_states"]
    morning = timezone.make_aware(datetime.datetime.combine(start, datetime.time(hour=9)))
    assert run_daily_jobs(morning) == {"samskap.agreements.services.agreements_sync_states": "1"}
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.IN_FORCE
    in_force = Message.objects.filter(kind="agreement_in_force")
    assert {"coord@example.org", "p@example.org"} <= set(in_force.values_list("to", flat=True))
    count = in_force.count()
    assert not services.agreement_sync_state(agreement=aw.agreement, today=start)
    assert run_daily_jobs(morning) == {}  # once per date
    assert in_force.count() == count
    assert aw.agreement.title in in_force.first().subject


@pytest.mark.django_db
def test_rounds_closing_remind_once_and_the_digest_goes_on_mondays(world):
    from samskap.health.tests.conftest import start_round

    started = start_round(world, closes_in=3)
    today = timezone.localdate()
    assert notifications.health_rounds_closing(today) == "12 reminders"
    assert notifications.health_rounds_closing(today) == "0 reminders"
    world.coordinator.email = "coord@example.org"
    world.coordinator.save()
    monday = today + datetime.timedelta(days=-today.weekday())
    if monday < today:
        monday += datetime.timedelta(days=7)
    assert notifications.weekly_digest(monday + datetime.timedelta(days=1)) == "not Monday"
    notifications.weekly_digest(today - datetime.timedelta(days=today.weekday()))
    digest = Message.objects.filter(kind="weekly_digest", to="coord@example.org")
    assert digest.count() == 1
    assert started.round.title in digest.get().body
