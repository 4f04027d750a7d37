"""The Nordic languages: selectable, translated, with each language's date convention."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

NORDIC = ["nb", "nn", "sv", "da"]


def test_every_nordic_language_is_offered() -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[:2] == ["nb", "en"]
    assert set(NORDIC) <= set(codes)


@pytest.mark.django_db
def test_the_switcher_lists_every_language_in_its_own_name(client) -> None:
    content = client.get("/").content.decode()
    for code, own_name in [("nn", "norsk (nynorsk)"), ("sv", "svenska"), ("da", "dansk")]:
        assert f'<option value="{code}"' in content
        assert own_name in content.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "search", "lessons"),
    [("nn", "Søk", "Lærdomar"), ("sv", "Sök", "Lärdomar"), ("da", "Søg", "Erfaringer")],
)
def test_choosing_a_language_translates_the_page(
    client, code: str, search: str, lessons: str
) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert f'lang="{code}"' in content
    assert search in content
    assert lessons in content
    assert "Skip to content" not in content


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("nb", "7. desember 2026"),
        ("nn", "7. desember 2026"),
        ("sv", "7 december 2026"),
        ("da", "7. december 2026"),
    ],
)
def test_dates_follow_the_language(code: str, written: str) -> None:
    with translation.override(code):
        assert formats.date_format(datetime.date(2026, 12, 7), "DATE_FORMAT") == written


def test_the_payer_state_is_the_state_not_an_agreement_state() -> None:
    # Both the agreements and the valuation catalogue translate "State"; Django merges them, so
    # without a context the payer read "Tilstand" (an agreement's state).
    from samskap.valuation.models import Payer

    with translation.override("nb"):
        assert str(Payer.STATE.label) == "Staten"
    with translation.override("sv"):
        assert str(Payer.STATE.label) == "Staten"


@pytest.mark.parametrize("language", NORDIC)
def test_every_catalogue_message_is_shown_as_translated(language: str) -> None:
    # Django merges its own catalogues (the admin translates "Change" as "Endre"), every app's
    # and ours: a message translated by an earlier catalogue shadows ours. The column "Change"
    # showed "Endre" instead of "Endring" that way. Different meanings need a context.
    shadowed = []
    with translation.override(language):
        for catalogue in _catalogues(language):
            for entry in catalogue.translated_entries():
                if entry.msgid_plural:
                    continue
                if entry.msgctxt:
                    shown = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    shown = translation.gettext(entry.msgid)
                if shown != entry.msgstr:
                    shadowed.append((entry.msgctxt, entry.msgid, entry.msgstr, shown))
    assert shadowed == []


def _catalogues(language: str) -> list:
    import polib

    root = Path(settings.BASE_DIR)
    paths = sorted(root.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))
    return [polib.pofile(str(path)) for path in paths]


@pytest.mark.parametrize("language", NORDIC)
def test_catalogues_agree_on_every_message_they_share(language: str) -> None:
    # Django merges every app's catalogue into one: a message translated two ways shows only
    # one of them everywhere. Different meanings need a context (pgettext).
    seen: dict = {}
    disagreements = []
    for catalogue in _catalogues(language):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key] != entry.msgstr:
                disagreements.append((key, seen[key], entry.msgstr))
            seen.setdefault(key, entry.msgstr)
    assert disagreements == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", NORDIC)
def test_the_indicator_library_speaks_every_nordic_language(language: str) -> None:
    # "Self-efficacy (General Self-Efficacy Scale)" and "free to use (CC0)" were shown in English
    # on bokmål pages; nynorsk, Swedish and Danish had no library texts at all.
    from samskap.measurement.models import LibraryIndicator

    entries = list(LibraryIndicator.objects.filter(municipality=None))
    assert entries
    with translation.override(language):
        for entry in entries:
            for field in ("name", "definition", "licence"):
                assert entry.text(field) != getattr(entry, field), (entry.code, field)
            if entry.questions and entry.code != "general-self-efficacy":
                assert entry.text("questions") != entry.questions, entry.code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "language", "shown", "expected"),
    [
        ("NO", "nb", "nb", "Partnerskap med ideell organisasjon"),
        ("NO", "nn", "nn", "Partnarskap med ideell organisasjon"),
        ("SE", "sv", "sv", "Idéburet offentligt partnerskap (IOP)"),
        ("DK", "da", "da", "Partnerskabsaftale med en frivillig organisation"),
        ("DK", "nb", "da", "Partnerskabsaftale med en frivillig organisation"),
    ],
)
def test_templates_are_offered_in_the_countrys_terms_sorted_by_name(
    country: str, language: str, shown: str, expected: str
) -> None:
    # The template list mixed English and Norwegian templates, unsorted (issue 16).
    from samskap.accounts.models import Municipality
    from samskap.agreements.selectors import collation_key, templates_for

    place = Municipality.objects.create(name="Prøvevik", slug="provevik", number="9901")
    place.country = country
    place.save()
    with translation.override(language):
        templates = list(templates_for(place.pk))
    assert {t.language for t in templates} == {shown}
    assert len(templates) == 7
    names = [t.name for t in templates]
    assert expected in names
    assert names == sorted(names, key=lambda name: collation_key(name, language))


def test_names_sort_as_the_language_sorts() -> None:
    from samskap.agreements.selectors import collation_key

    words = ["Øya", "Åsen", "Zeta", "Ærlig", "Ärlig", "Örn"]
    assert sorted(words, key=lambda w: collation_key(w, "nb")) == [
        "Zeta", "Ærlig", "Ärlig", "Örn", "Øya", "Åsen"
    ]  # fmt: skip
    assert sorted(words, key=lambda w: collation_key(w, "sv")) == [
        "Zeta", "Åsen", "Ærlig", "Ärlig", "Örn", "Øya"
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nn", "sv", "da"])
def test_the_health_item_bank_speaks_every_nordic_language(language: str) -> None:
    # The bank had bokmål and English only: nynorsk, Swedish and Danish readers got bokmål.
    from samskap.health.models import Dimension, Item, ItemSet

    texts = [(i, "text") for i in Item.objects.filter(municipality=None)]
    texts += [(d, field) for d in Dimension.objects.all() for field in ("name", "description")]
    texts += [(s, "name") for s in ItemSet.objects.all()]
    assert len(texts) > 30
    from samskap.health.models import _nordic_texts

    with translation.override(language):
        untranslated = [
            getattr(row, f"{field}_nb")
            for row, field in texts
            if getattr(row, field)
            != _nordic_texts().get(getattr(row, f"{field}_en"), {}).get(language)
        ]
    assert untranslated == []


def test_an_export_shows_the_labels_beside_the_codes() -> None:
    # Exports showed codes to people ('operation', 'elderly_care'); the codes stay for machines.
    from samskap.reports.exchange import with_labels

    rows = [{"stage": "operation", "sectors": "elderly_care,health", "title": "Matvenner"}]
    with translation.override("nb"):
        labelled, columns = with_labels(rows, ["title", "stage", "sectors"])
    assert columns == ["title", "stage", "fase", "sectors", "sektorer"]
    assert labelled[0]["fase"] == "Drift"
    assert labelled[0]["sektorer"] == "Eldreomsorg, Helse"
    assert labelled[0]["stage"] == "operation"
