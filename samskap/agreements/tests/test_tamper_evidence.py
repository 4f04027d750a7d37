"""Tamper evidence that holds: a signed version's text changed in the database together with
its stored hash (and even with every signature's accepted hash) is still detected, by the
hash each party accepted and by a keyed seal whose key lives outside the database."""

from django.test import override_settings

from samskap.agreements.models import AgreementVersion, Signature

from .test_pages import _signed


def _rewrite(version, *, signatures: bool = False) -> AgreementVersion:
    """What someone with write access to the database (and no key) can do: rewrite the text
    and recompute the stored hash, perhaps the signatures' hashes too."""
    changed = AgreementVersion.objects.get(pk=version.pk)
    changed.content = dict(changed.content, goal="Quietly rewritten")
    new_hash = changed.compute_hash()
    AgreementVersion.objects.filter(pk=version.pk).update(
        content=changed.content, content_hash=new_hash
    )
    if signatures:
        Signature.objects.filter(version=version).update(content_hash=new_hash)
    return AgreementVersion.objects.get(pk=version.pk)


def test_text_and_hash_changed_together_are_detected(aw):
    version = _signed(aw)
    assert AgreementVersion.objects.get(pk=version.pk).is_intact
    changed = _rewrite(version)
    assert changed.compute_hash() == changed.content_hash  # the old check is fooled
    assert not changed.is_intact
    page = aw.client(aw.coordinator).get(aw.agreement.get_absolute_url()).content.decode()
    assert "Changed after signing" in page
    body = aw.client(aw.partner).get(f"/api/v1/agreements/{aw.agreement.pk}/versions").json()
    assert body[0]["intact"] is False


def test_text_hash_and_every_signature_changed_are_detected_by_the_seal(aw):
    version = _signed(aw)
    changed = _rewrite(version, signatures=True)
    assert not changed.is_intact
    assert "seal" in changed.integrity_problems


def test_the_seal_needs_the_key_outside_the_database(aw):
    version = AgreementVersion.objects.get(pk=_signed(aw).pk)
    assert version.content_mac and version.is_intact
    with override_settings(SAMSKAP_SIGNING_KEY="another key, as an attacker would guess"):
        assert not AgreementVersion.objects.get(pk=version.pk).is_intact
