"""State moves and every refusal of the agreement services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.agreements import content as doc
from samskap.agreements import services
from samskap.agreements.models import (
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    FrozenVersionError,
    VersionStatus,
)

from .conftest import complete, completion, make_agreement


def send(aw):
    aw.agreement.refresh_from_db()
    return services.agreement_send(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
    )


def sign(aw, user, organisation, version=None, **kwargs):
    version = version or services.latest_version(aw.agreement)
    kwargs.setdefault("name", str(user))
    return services.agreement_sign(
        access=access_for(user),
        agreement=aw.agreement,
        organisation=organisation,
        accepted_hash=version.content_hash,
        **kwargs,
    )


def test_every_shipped_template_expands_to_a_valid_document(aw):
    # 7 types × nb, nn, sv, da, en
    assert AgreementTemplate.objects.filter(municipality=None).count() == 35
    parties = [
        services._party(aw.unit, aw.home),
        services._party(aw.partner_org, aw.home),
    ]
    for template in AgreementTemplate.objects.filter(municipality=None):
        doc.validate_content(doc.expand_template(template.content, parties))


def test_create_starts_a_draft_from_the_template(aw):
    version = services.latest_version(aw.agreement)
    assert aw.agreement.state == AgreementState.DRAFT
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    keys = [p["key"] for p in version.content["parties"]]
    assert keys == [f"o{aw.unit.pk}", f"o{aw.partner_org.pk}"]
    # The template's placeholders became the real parties.
    assert {(r["from"], r["to"]) for r in version.content["requirements"]} == {
        (keys[0], keys[1]),
        (keys[1], keys[0]),
    }
    assert version.content["project_leader"]["name"] == "Leader"


def test_create_refuses_partners_outside_the_initiative_and_a_foreign_unit(aw):
    foreign_unit = type(aw.unit).objects.create(
        name="Bjørkelia school", slug="bs", kind="municipal_unit", home_municipality=aw.other
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            access=access_for(aw.coordinator),
            initiative=aw.internal,
            template=AgreementTemplate.objects.filter(municipality=None).first(),
            municipal_unit=foreign_unit,
            partners=[aw.other_org],
        )
    assert set(error.value.message_dict) == {"municipal_unit", "partners"}
    assert "Grønn Kløver does not take part" in str(error.value.message_dict["partners"])


def test_create_is_refused_to_partners_and_viewers(aw):
    template = AgreementTemplate.objects.filter(municipality=None).first()
    for user in (aw.partner, aw.viewer, aw.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.agreement_create(
                access=access_for(user),
                initiative=aw.internal,
                template=template,
                municipal_unit=aw.unit,
                partners=[aw.partner_org],
            )


def test_send_is_refused_listing_every_missing_part(aw):
    with pytest.raises(ValidationError) as error:
        send(aw)
    messages = error.value.messages
    assert "cannot be sent for signing while parts are missing" in messages[0]
    assert any("The overall goal in plain words" in m for m in messages)
    assert any("A political or leadership decision" in m for m in messages)
    assert any("Contact person (name and e-mail) for Varme Hender" in m for m in messages)
    assert any(m.startswith("Anchoring") for m in messages)
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.DRAFT
    assert services.latest_version(aw.agreement).status == VersionStatus.DRAFT


def test_completeness_shrinks_as_parts_are_filled(aw):
    content = services.latest_version(aw.agreement).content
    before = doc.missing_parts(content)
    codes = {m.code for m in before}
    assert {"goal", "plan", "decision", "start_date", "project_leader"} - {
        "project_leader"
    } <= codes
    services.agreement_update(
        access=access_for(aw.partner),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"goal": "Nobody eats alone."},
    )
    after = doc.missing_parts(services.latest_version(aw.agreement).content)
    assert len(after) == len(before) - 1
    assert "goal" not in {m.code for m in after}
    complete(aw, aw.agreement)
    assert doc.missing_parts(services.latest_version(aw.agreement).content) == []


def test_requirements_must_go_both_ways(aw):
    complete(aw, aw.agreement)
    version = services.latest_version(aw.agreement)
    one_way = [r for r in version.content["requirements"] if r["from"] == f"o{aw.unit.pk}"]
    services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version + 0,
        changes={"requirements": one_way},
    )
    missing = doc.missing_parts(services.latest_version(aw.agreement).content)
    assert [m.message for m in missing] == [
        "What Varme Hender may require of Fjordvik health and care"
    ]


def test_the_whole_life_draft_sent_signed_in_force_ended(aw):
    complete(aw, aw.agreement)
    version = send(aw)
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.SENT
    assert version.content_hash == version.compute_hash()
    assert len(version.content_hash) == 64

    sign(aw, aw.partner, aw.partner_org, name="Pia Partner")
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.SENT  # one party still to sign
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    version.refresh_from_db()
    assert version.status == VersionStatus.SIGNED
    assert aw.agreement.effective_version == version
    assert aw.agreement.state == AgreementState.IN_FORCE  # the start date is today
    assert [s.content_hash for s in version.signatures.all()] == [version.content_hash] * 2

    services.agreement_end(
        access=access_for(aw.project_leader),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        reason="The initiative closed.",
    )
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.ENDED
    assert aw.agreement.end_reason == "The initiative closed."


def test_signed_with_a_future_start_waits_then_comes_into_force_and_expires(aw):
    complete(aw, aw.agreement)
    start = timezone.localdate() + datetime.timedelta(days=10)
    term = {**services.latest_version(aw.agreement).content["term"], "start_date": str(start)}
    term["end_date"] = str(start + datetime.timedelta(days=30))
    services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"term": term},
    )
    send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.SIGNED
    assert not services.agreement_sync_state(
        agreement=aw.agreement, today=start - datetime.timedelta(days=1)
    )
    assert services.agreement_sync_state(agreement=aw.agreement, today=start)
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.IN_FORCE
    assert services.agreements_sync_states(today=start + datetime.timedelta(days=31)) == 1
    aw.agreement.refresh_from_db()
    assert aw.agreement.state == AgreementState.ENDED
    assert aw.agreement.end_reason == "The end date has passed."


def test_second_signature_by_the_same_party_is_refused(aw):
    complete(aw, aw.agreement)
    send(aw)
    sign(aw, aw.partner, aw.partner_org)
    with pytest.raises(ValidationError) as error:
        sign(aw, aw.partner, aw.partner_org)
    assert error.value.code == "already_signed"
    assert "Varme Hender has already signed version 1" in error.value.messages[0]


def test_only_a_partys_own_users_sign_for_it(aw):
    complete(aw, aw.agreement)
    send(aw)
    # A partner cannot sign for the municipal unit; a project leader is not a signatory;
    # a coordinator cannot sign for the partner; another organisation is not a party.
    for user, organisation in (
        (aw.partner, aw.unit),
        (aw.project_leader, aw.unit),
        (aw.viewer, aw.unit),
        (aw.coordinator, aw.partner_org),
        (aw.other_coordinator, aw.unit),
    ):
        with pytest.raises(PermissionDenied):
            sign(aw, user, organisation)
    with pytest.raises(ValidationError) as error:
        sign(aw, aw.other_partner, aw.other_org)
    assert error.value.code == "not_party"
    assert not services.latest_version(aw.agreement).signatures.exists()


def test_signing_a_draft_or_a_stale_text_is_refused(aw):
    complete(aw, aw.agreement)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            access=access_for(aw.partner),
            agreement=aw.agreement,
            organisation=aw.partner_org,
            name="P",
            accepted_hash="",
        )
    assert error.value.code == "not_sent"
    send(aw)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            access=access_for(aw.partner),
            agreement=aw.agreement,
            organisation=aw.partner_org,
            name="P",
            accepted_hash="0" * 64,
        )
    assert error.value.code == "stale"


def test_editing_a_sent_version_makes_a_new_draft_and_withdraws_the_sent_one(aw):
    complete(aw, aw.agreement)
    first = send(aw)
    sign(aw, aw.partner, aw.partner_org)
    aw.agreement.refresh_from_db()
    second = services.agreement_update(
        access=access_for(aw.partner),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"goal": "Nobody eats alone, ever."},
    )
    first.refresh_from_db()
    aw.agreement.refresh_from_db()
    assert (first.status, second.number, second.status) == (
        VersionStatus.WITHDRAWN,
        2,
        VersionStatus.DRAFT,
    )
    assert aw.agreement.state == AgreementState.DRAFT
    assert first.content["goal"] == "Fewer people eat alone."
    assert first.is_intact


def test_editing_a_signed_version_makes_a_new_version_that_needs_signing_again(aw):
    complete(aw, aw.agreement)
    first = send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    amendment = services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        changes={"goal": "Twice as many dinners."},
    )
    first.refresh_from_db()
    aw.agreement.refresh_from_db()
    assert (
        first.status == VersionStatus.SIGNED and first.content["goal"] != amendment.content["goal"]
    )
    assert aw.agreement.state == AgreementState.IN_FORCE
    assert aw.agreement.effective_version == first
    second = send(aw)
    assert second.content_hash != first.content_hash
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    assert aw.agreement.effective_version == second


def test_a_frozen_version_refuses_changes_at_model_level(aw):
    complete(aw, aw.agreement)
    version = send(aw)
    version.content["goal"] = "Changed behind everyone's back"
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        AgreementVersion.objects.get(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.content["goal"] == "Fewer people eat alone."


def test_rehashing_a_signed_version_gives_the_stored_hash_and_detects_tampering(aw):
    complete(aw, aw.agreement)
    version = send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    stored = AgreementVersion.objects.get(pk=version.pk)
    assert stored.compute_hash() == stored.content_hash and stored.is_intact
    # Every field of the document is covered: alter each in the database, one at a time.
    for path in (("goal",), ("term", "start_date"), ("money", "items"), ("parties",)):
        content = stored.content
        target = content
        for key in path[:-1]:
            target = target[key]
        original = target[path[-1]]
        target[path[-1]] = [] if isinstance(original, list) else "x"
        AgreementVersion.objects.filter(pk=version.pk).update(content=content)
        assert not AgreementVersion.objects.get(pk=version.pk).is_intact, path
        target[path[-1]] = original
        AgreementVersion.objects.filter(pk=version.pk).update(content=content)
        assert AgreementVersion.objects.get(pk=version.pk).is_intact


def test_a_tampered_sent_version_cannot_be_signed(aw):
    complete(aw, aw.agreement)
    version = send(aw)
    content = dict(version.content, goal="Tampered")
    AgreementVersion.objects.filter(pk=version.pk).update(content=content)
    with pytest.raises(ValidationError) as error:
        sign(aw, aw.partner, aw.partner_org, version=version)
    assert error.value.code == "tampered"


def test_the_hash_is_sha256_of_the_canonical_json():
    import hashlib

    content = {"b": "ø", "a": [1, {"d": None, "c": "2024-01-31"}]}
    expected = hashlib.sha256(
        '{"agreement":7,"content":{"a":[1,{"c":"2024-01-31","d":null}],"b":"ø"},"version":2}'.encode()
    ).hexdigest()
    assert doc.content_hash(7, 2, content) == expected


def test_a_concurrent_edit_is_refused_and_nothing_is_overwritten(aw):
    token = aw.agreement.lock_version
    services.agreement_update(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=token,
        changes={"goal": "First editor's goal"},
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            access=access_for(aw.partner),
            agreement=aw.agreement,
            expected_lock=token,
            changes={"goal": "Second editor's goal"},
        )
    assert error.value.code == "conflict"
    assert "Someone else changed this agreement" in error.value.messages[0]
    assert services.latest_version(aw.agreement).content["goal"] == "First editor's goal"


def test_viewers_and_outsiders_cannot_edit(aw):
    for user in (aw.viewer, aw.other_partner, aw.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.agreement_update(
                access=access_for(user),
                agreement=aw.agreement,
                expected_lock=aw.agreement.lock_version,
                changes={"goal": "x"},
            )


def test_parties_cannot_be_swapped_by_an_edit(aw):
    parties = services.latest_version(aw.agreement).content["parties"]
    changed = [dict(parties[0]), dict(parties[1], organisation_id=aw.other_org.pk)]
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            access=access_for(aw.coordinator),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            changes={"parties": changed},
        )
    assert "parties" in error.value.message_dict


def test_invalid_content_is_refused_with_the_path(aw):
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            access=access_for(aw.coordinator),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            changes={
                "money": {
                    "currency": "NOK",
                    "items": [{"payer": "nobody", "description": "", "amount": "1,5", "due": None}],
                    "schedule": "",
                }
            },
        )
    text = str(error.value)
    assert "money.items[0].payer" in text and "money.items[0].amount" in text


def test_only_signed_agreements_can_be_ended(aw):
    with pytest.raises(ValidationError) as error:
        services.agreement_end(
            access=access_for(aw.coordinator),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            reason="No longer needed",
        )
    assert error.value.code == "not_signed"


def test_ending_needs_a_reason_and_a_manager(aw):
    complete(aw, aw.agreement)
    send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.agreement_end(
            access=access_for(aw.partner),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            reason="x",
        )
    with pytest.raises(ValidationError) as error:
        services.agreement_end(
            access=access_for(aw.coordinator),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            reason=" ",
        )
    assert "reason" in error.value.message_dict


def test_an_ended_agreement_cannot_be_edited(aw):
    complete(aw, aw.agreement)
    send(aw)
    sign(aw, aw.partner, aw.partner_org)
    sign(aw, aw.coordinator, aw.unit)
    aw.agreement.refresh_from_db()
    services.agreement_end(
        access=access_for(aw.coordinator),
        agreement=aw.agreement,
        expected_lock=aw.agreement.lock_version,
        reason="Done",
    )
    aw.agreement.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            access=access_for(aw.coordinator),
            agreement=aw.agreement,
            expected_lock=aw.agreement.lock_version,
            changes={"goal": "x"},
        )


def test_rules_of_the_road_are_copied_into_new_agreements(aw):
    services.rules_update(
        access=access_for(aw.coordinator),
        municipality=aw.home,
        text="We meet as equals.",
        expected_version=0,
    )
    with pytest.raises(ValidationError):
        services.rules_update(
            access=access_for(aw.coordinator),
            municipality=aw.home,
            text="Stale",
            expected_version=0,
        )
    with pytest.raises(PermissionDenied):
        services.rules_update(
            access=access_for(aw.project_leader),
            municipality=aw.home,
            text="x",
            expected_version=1,
        )
    agreement = make_agreement(aw.world, aw.unit, "grant", "nb")
    content = services.latest_version(agreement).content
    assert content["principles"] == "We meet as equals."
    assert content["title"].startswith("Tilskuddsavtale")


def test_the_completion_fixture_covers_every_type(aw):
    for agreement_type in (
        "operating",
        "grant",
        "reserved_contract",
        "innovation_partnership",
        "non_profit_partnership",
        "letter_of_intent",
    ):
        agreement = make_agreement(aw.world, aw.unit, agreement_type)
        assert doc.missing_parts(services.latest_version(agreement).content)
        complete(aw, agreement)
        assert doc.missing_parts(services.latest_version(agreement).content) == [], agreement_type
        assert completion(agreement)
