"""Pages, permissions per persona, PDF, API, reminders and the demo."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.accounts.models import ApiToken
from samskap.agreements import services
from samskap.agreements.models import AgreementState, AgreementTemplate, AgreementVersion
from samskap.conftest import error_summary

from .conftest import complete


def _signed(aw):
    complete(aw, aw.agreement)
    version = services.agreement_send(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
    )
    for user, org in ((aw.partner, aw.partner_org), (aw.coordinator, aw.unit)):
        services.agreement_sign(
            access=access_for(user),
            agreement=aw.agreement,
            organisation=org,
            name=f"{user} Signer",
            accepted_hash=version.content_hash,
        )
    aw.agreement.refresh_from_db()
    return version


def test_who_sees_an_agreement(aw):
    url = aw.agreement.get_absolute_url()
    for user in (aw.coordinator, aw.project_leader, aw.partner, aw.viewer):
        assert aw.client(user).get(url).status_code == 200, user
    for user in (aw.other_partner, aw.other_coordinator):
        assert aw.client(user).get(url).status_code == 404, user
    response = aw.client(None).get(url)
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_the_list_shows_only_visible_agreements(aw):
    url = reverse("agreements:list", args=[aw.internal.slug])
    assert aw.agreement.title in aw.client(aw.partner).get(url).content.decode()
    # The other partner cannot even see the internal initiative.
    assert aw.client(aw.other_partner).get(url).status_code == 404


def test_a_viewer_may_read_but_not_edit_or_send(aw):
    client = aw.client(aw.viewer)
    edit = reverse("agreements:edit", args=[aw.agreement.pk, "grunnlag"])
    assert client.get(edit).status_code == 403
    send = reverse("agreements:send", args=[aw.agreement.pk])
    assert client.post(send, {"lock": aw.agreement.lock_version}).status_code == 403
    assert "Send for signing" not in client.get(aw.agreement.get_absolute_url()).content.decode()


def test_sending_asks_first_and_carries_the_lock(aw):
    client = aw.client(aw.coordinator)
    send = reverse("agreements:send", args=[aw.agreement.pk])
    page = client.post(send, {"lock": aw.agreement.lock_version}).content.decode()
    assert "Yes, send for signing" in page
    assert f'name="lock" value="{aw.agreement.lock_version}"' in page
    assert 'name="confirmed" value="yes"' in page
    assert services.latest_version(aw.agreement).status == "draft"


def test_create_from_a_template_through_the_page(world, unit):
    client = world.client(world.project_leader)
    url = reverse("agreements:create", args=[world.internal.slug])
    page = client.get(url).content.decode()
    assert "Reserved contract" in page and "anskaffelser.no" in page
    template = AgreementTemplate.objects.get(municipality=None, type="pilot", language="en")
    response = client.post(
        url,
        {"template": template.pk, "municipal_unit": unit.pk, "partners": [world.partner_org.pk]},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Pilot agreement: Dinner friends" in detail
    assert "The overall goal in plain words" in detail
    assert world.client(world.partner).get(url).status_code == 403


def test_edit_a_section_and_the_missing_list_shrinks(aw):
    client = aw.client(aw.partner)
    detail = aw.agreement.get_absolute_url()
    assert "The overall goal in plain words" in client.get(detail).content.decode()
    url = reverse("agreements:edit", args=[aw.agreement.pk, "grunnlag"])
    response = client.post(
        url,
        {
            "lock": aw.agreement.lock_version,
            "title": "Dinner agreement",
            "purpose": "Eat together",
            "goal": "Nobody eats alone",
            "leader_name": "Lea",
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "The overall goal in plain words" not in page
    assert "Dinner agreement" in page


def test_a_stale_form_is_refused_with_a_message_and_nothing_is_lost(aw):
    url = reverse("agreements:edit", args=[aw.agreement.pk, "grunnlag"])
    stale = aw.agreement.lock_version
    data = {"title": "T", "purpose": "", "goal": "First", "leader_name": ""}
    assert aw.client(aw.coordinator).post(url, {**data, "lock": stale}).status_code == 302
    response = aw.client(aw.partner).post(url, {**data, "goal": "Second", "lock": stale})
    assert response.status_code == 400
    assert "Someone else changed this agreement" in response.content.decode()
    assert services.latest_version(aw.agreement).content["goal"] == "First"


def test_list_sections_save_through_formsets(aw):
    url = reverse("agreements:edit", args=[aw.agreement.pk, "forankring"])
    unit_key = f"o{aw.unit.pk}"
    data = {
        "lock": aw.agreement.lock_version,
        "anchoring-TOTAL_FORMS": "2",
        "anchoring-INITIAL_FORMS": "0",
        "anchoring-0-kind": "political_decision",
        "anchoring-0-body": "Council",
        "anchoring-0-date": "2025-01-31",
        "anchoring-0-url": "example.org/case",
        "anchoring-1-kind": "plan",
        "anchoring-1-body": "",
    }
    assert aw.client(aw.coordinator).post(url, data).status_code == 302
    rows = services.latest_version(aw.agreement).content["anchoring"]
    assert [(r["kind"], r["body"], r["date"], r["url"]) for r in rows] == [
        ("political_decision", "Council", "2025-01-31", "https://example.org/case")
    ]
    aw.agreement.refresh_from_db()
    money = reverse("agreements:edit", args=[aw.agreement.pk, "okonomi"])
    response = aw.client(aw.coordinator).post(
        money,
        {
            "lock": aw.agreement.lock_version,
            "currency": "nok",
            "schedule": "Quarterly",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-payer": unit_key,
            "items-0-amount": "-5",
            "items-1-payer": "",
            "items-1-amount": "5",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say who pays this amount." in page and "greater than or equal to 0" in page
    aw.agreement.refresh_from_db()
    response = aw.client(aw.coordinator).post(
        money,
        {
            "lock": aw.agreement.lock_version,
            "currency": "nok",
            "schedule": "Quarterly",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-payer": unit_key,
            "items-0-description": "Grant",
            "items-0-amount": "1200.5",
        },
    )
    assert response.status_code == 302
    money_doc = services.latest_version(aw.agreement).content["money"]
    assert money_doc["currency"] == "NOK"
    assert money_doc["items"][0]["amount"] == "1200.50"


def test_send_refused_on_the_page_lists_what_is_missing(aw):
    client = aw.client(aw.coordinator)
    response = client.post(
        reverse("agreements:send", args=[aw.agreement.pk]),
        {"lock": aw.agreement.lock_version, "confirmed": "yes"},
        follow=True,
    )
    page = response.content.decode()
    assert "cannot be sent for signing while parts are missing" in page
    assert "Start date" in page


def test_sign_on_the_page_and_the_second_signature_is_refused(aw):
    complete(aw, aw.agreement)
    version = services.agreement_send(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
    )
    client = aw.client(aw.partner)
    assert "Sign this version" in client.get(aw.agreement.get_absolute_url()).content.decode()
    url = reverse("agreements:sign", args=[aw.agreement.pk])
    data = {
        "organisation": aw.partner_org.pk,
        "name": "Pia Partner",
        "content_hash": version.content_hash,
        "confirm": "on",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "Your signature was recorded." in page
    assert "Sign this version" not in page
    page = client.post(url, data, follow=True).content.decode()
    assert "Varme Hender has already signed version 1" in page
    assert version.signatures.count() == 1
    # Someone who may sign for no party gets 403.
    assert aw.client(aw.viewer).post(url, data).status_code == 403


def test_changed_after_signing_is_shown_on_the_page_pdf_and_api(aw):
    version = _signed(aw)
    client = aw.client(aw.coordinator)
    assert (
        "Changed after signing" not in client.get(aw.agreement.get_absolute_url()).content.decode()
    )
    tampered = dict(version.content, goal="Quietly rewritten")
    AgreementVersion.objects.filter(pk=version.pk).update(content=tampered)
    page = client.get(aw.agreement.get_absolute_url()).content.decode()
    assert "Changed after signing" in page
    token = ApiToken.issue(aw.coordinator, "test")[1]
    response = aw.client(None).get(
        f"/api/v1/agreements/{aw.agreement.pk}/versions", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    body = response.json()[0]
    assert body["intact"] is False and body["content_hash"] == version.content_hash
    assert body["computed_hash"] != version.content_hash


def test_api_versions_with_hash_for_parties_only(aw):
    version = _signed(aw)
    url = f"/api/v1/agreements/{aw.agreement.pk}/versions"
    response = aw.client(aw.partner).get(url)
    assert response.status_code == 200
    (body,) = response.json()
    assert body["content_hash"] == body["computed_hash"] == version.content_hash
    assert body["intact"] is True and len(body["signatures"]) == 2
    assert body["content"]["goal"] == "Fewer people eat alone."
    assert aw.client(aw.other_partner).get(url).status_code == 404
    assert aw.client(aw.other_coordinator).get(url).status_code == 404
    assert aw.client(None).get(url).status_code == 401
    listed = aw.client(aw.other_partner).get("/api/v1/agreements/").json()
    assert listed == {"items": [], "count": 0}
    aw.agreement.refresh_from_db()
    state = aw.agreement.state
    mine = aw.client(aw.partner).get("/api/v1/agreements/", {"state": state}).json()
    assert [a["id"] for a in mine["items"]] == [aw.agreement.pk]
    other = "ended" if state != "ended" else "draft"
    assert aw.client(aw.partner).get("/api/v1/agreements/", {"state": other}).json()["count"] == 0


def test_diff_shows_a_readable_difference(aw):
    _signed(aw)
    services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"goal": "Twice as many dinners."},
    )
    page = (
        aw.client(aw.partner)
        .get(reverse("agreements:diff", args=[aw.agreement.pk]))
        .content.decode()
    )
    assert "Changes from version 1 to version 2" in page
    assert (
        '<del><span class="visually-hidden">Removed: </span>Fewer people eat alone.</del>' in page
    )
    assert '<ins><span class="visually-hidden">Added: </span>Twice as many dinners.</ins>' in page
    assert "Responsibility matrix" not in page.split("<h1>")[1]  # unchanged sections left out


def test_pdf_contains_parties_sections_signatures_and_hash(aw):
    version = _signed(aw)
    response = aw.client(aw.partner).get(reverse("agreements:pdf", args=[aw.agreement.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is missing")
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for expected in (
        "Fjordvik health and care",
        "Varme Hender",
        "Fewer people eat alone.",
        "Responsibility matrix",
        "Mutual requirements",
        "Municipal council",
        "NOK 250,000",  # written as the reader writes amounts
        "Partner Signer",
        "Coordinator Signer",
        version.content_hash[:32],
    ):
        assert expected in flat, expected
    assert (
        aw.client(aw.other_partner)
        .get(reverse("agreements:pdf", args=[aw.agreement.pk, 1]))
        .status_code
        == 404
    )


def test_reminders_on_initiative_and_portfolio_pages(aw, django_assert_max_num_queries):
    _signed(aw)  # review date in 30 days, end date in 365
    page = aw.client(aw.project_leader).get(aw.internal.get_absolute_url()).content.decode()
    assert "Review" in page and aw.agreement.title in page
    client = aw.client(aw.coordinator)
    page = client.get(reverse("registry:portfolio")).content.decode()
    assert "reviews and end dates coming up" in page
    review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert f'datetime="{review}"' in page
    # The foreign coordinator's portfolio does not show it.
    other = aw.client(aw.other_coordinator).get(reverse("registry:portfolio")).content.decode()
    assert aw.agreement.title not in other


def test_portfolio_panel_uses_a_fixed_number_of_queries(aw, rf):
    from django.apps import apps

    from samskap.registry.selectors import municipality_initiatives

    _signed(aw)
    config = apps.get_app_config("agreements")
    request = rf.get("/")
    access = access_for(aw.coordinator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        config.portfolio_panel(request, access, municipality_initiatives(aw.home))
    for _ in range(3):
        from .conftest import make_agreement

        _signed_more = make_agreement(aw.world, aw.unit)
        complete(aw, _signed_more)
    with CaptureQueriesContext(connection) as many:
        config.portfolio_panel(request, access, municipality_initiatives(aw.home))
    assert len(many) == len(one) <= 4


def test_settings_rules_and_own_template(aw):
    client = aw.client(aw.coordinator)
    url = reverse("agreements:settings", args=[aw.home.slug])
    assert client.post(url, {"text": "Equal partners.", "version": 0}).status_code == 302
    default = AgreementTemplate.objects.get(municipality=None, type="grant", language="nb")
    edit = reverse("agreements:template_edit", args=[aw.home.slug, default.pk])
    response = client.post(
        edit,
        {
            "name": "Fjordvik tilskudd",
            "type": "grant",
            "language": "nb",
            "purpose": "Tilskudd",
            "tasks": "Drive aktiviteten | I | RA\nRapportere | A | R",
            "requirements_municipal": "Rapport",
            "requirements_partner": "Svar",
            "termination": "3 mnd",
            "exit": "Avslutt",
        },
    )
    assert response.status_code == 302
    own = AgreementTemplate.objects.get(municipality=aw.home)
    assert own.content["responsibilities"][0] == {
        "task": "Drive aktiviteten",
        "roles": {"municipal": "I", "partner": "RA"},
    }
    default.refresh_from_db()
    assert default.name == "Tilskuddsavtale"  # the shipped template is unchanged
    bad = client.post(edit, {"name": "x", "type": "grant", "language": "nb", "tasks": "a | X | R"})
    assert bad.status_code == 400 and "Line 1" in bad.content.decode()
    for user in (aw.project_leader, aw.other_coordinator, aw.partner):
        assert aw.client(user).get(url).status_code == 404


def test_ending_through_the_page(aw):
    _signed(aw)
    url = reverse("agreements:end", args=[aw.agreement.pk])
    assert (
        aw.client(aw.partner)
        .post(url, {"reason": "x", "lock": aw.agreement.lock_version})
        .status_code
        == 403
    )
    response = aw.client(aw.coordinator).post(
        url, {"reason": "Moved to ordinary operation", "lock": aw.agreement.lock_version}
    )
    assert response.status_code == 302
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.ENDED


def test_demo_has_agreements_in_every_state_and_is_idempotent(db):
    from samskap.agreements.models import Agreement
    from samskap.core.demo import load_demo

    load_demo()
    states = set(Agreement.objects.values_list("state", flat=True))
    assert states == {s.value for s in AgreementState}
    assert all(v.is_intact for v in AgreementVersion.objects.all())
    before = Agreement.objects.count()
    load_demo()
    assert Agreement.objects.count() == before


def test_the_templates_are_listed_own_first_then_in_the_readers_language(aw):
    from django.utils import translation

    from samskap.agreements import selectors
    from samskap.agreements.models import AgreementTemplate

    shipped = AgreementTemplate.objects.filter(municipality=None).first()
    AgreementTemplate.objects.create(
        municipality=aw.world.home,
        name="Zebra (own)",
        type=shipped.type,
        language="en",
        content=shipped.content,
    )
    with translation.override("nb"):
        listed = list(selectors.templates_for(aw.world.home.pk))
    assert listed[0].name == "Zebra (own)"
    languages = [t.language for t in listed[1:]]
    # Bokmål first, then each other language together, never interleaved.
    assert languages[0] == "nb"
    blocks = [lang for i, lang in enumerate(languages) if i == 0 or languages[i - 1] != lang]
    assert len(blocks) == len(set(blocks)), languages
    for lang in set(languages):
        names = [t.name.lower() for t in listed[1:] if t.language == lang]
        assert names == sorted(names)


def test_an_invalid_section_lists_each_problem_once_at_the_top(aw):
    url = reverse("agreements:edit", args=[aw.agreement.pk, "grunnlag"])
    response = aw.client(aw.coordinator).post(
        url, {"lock": aw.agreement.lock_version, "title": "", "goal": "Kept"}
    )
    assert response.status_code == 400
    lines = error_summary(response.content.decode())
    assert lines == [("id_title", "Title: This field is required.")]


def test_a_party_problem_names_the_party_and_links_to_its_field(aw):
    version = services.latest_version(aw.agreement)
    party = version.content["parties"][1]
    data = {"lock": aw.agreement.lock_version}
    for each in version.content["parties"]:
        data[f"{each['key']}-contact_name"] = "Someone"
    data[f"{party['key']}-contact_email"] = "not an address"
    response = aw.client(aw.coordinator).post(
        reverse("agreements:edit", args=[aw.agreement.pk, "parter"]), data
    )
    assert response.status_code == 400
    [(anchor, text)] = error_summary(response.content.decode())
    assert anchor == f"id_{party['key']}-contact_email"
    assert text.startswith(f"{party['name']} – E-mail: ")


def test_a_formset_row_problem_names_its_row(aw):
    data = {
        "lock": aw.agreement.lock_version,
        "anchoring-TOTAL_FORMS": "1",
        "anchoring-INITIAL_FORMS": "0",
        "anchoring-0-kind": "political_decision",
        "anchoring-0-body": "Council",
        "anchoring-0-date": "not a date",
    }
    response = aw.client(aw.coordinator).post(
        reverse("agreements:edit", args=[aw.agreement.pk, "forankring"]), data
    )
    assert response.status_code == 400
    lines = error_summary(response.content.decode())
    assert ("id_anchoring-0-date", "Row 1 – Date: Enter a valid date.") in lines
