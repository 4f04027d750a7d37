"""The library's texts in bokmål: the active language's text, English as the fallback, in the
participant's survey, on adoption, on the library pages, and filled by the migration."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samskap.accounts.access import access_for
from samskap.measurement import services, surveys
from samskap.measurement.library import LIBRARY, sync_library
from samskap.measurement.models import Indicator, LibraryIndicator

LIFE_NB = "Alt i alt, hvor fornøyd er du med livet ditt for tiden?"
LIFE_EN = "Overall, how satisfied are you with your life nowadays?"


def _consented_token(world, setup) -> str:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    surveys.consent(surveys.response_for_token(token))
    return token


def test_text_gives_bokmal_under_nb_and_english_otherwise(world) -> None:
    entry = LibraryIndicator.objects.get(code="ucla-loneliness-3")
    for language in ("nb", "nb-no", "no"):
        with translation.override(language):
            assert entry.text("name") == "Ensomhet (UCLA, tre spørsmål)"
            assert entry.text("questions")[1] == "Hvor ofte føler du deg utenfor?"
            assert str(entry) == "Ensomhet (UCLA, tre spørsmål)"
            assert entry.local["answer_labels"].startswith("1 = sjelden eller aldri")
    with translation.override("en"):
        assert entry.text("name") == "Loneliness (UCLA three-item scale)"
        assert entry.local["questions"] == entry.questions


def test_entry_without_nb_text_falls_back_to_english(world) -> None:
    efficacy = LibraryIndicator.objects.get(code="general-self-efficacy")
    own = LibraryIndicator(name="Meals shared", definition="Meals eaten together.")
    half = LibraryIndicator(
        name="Feeling safe",
        questions=["Do you feel safe at home?"],
        translations={"nb": {"name": "Trygghet"}},
    )
    with translation.override("nb"):
        # Its name and licence note are translated (issue 15); its validated items are not.
        assert "questions" not in efficacy.translations["nb"]
        assert efficacy.text("name") == "Mestringstro (General Self-Efficacy Scale)"
        assert efficacy.text("questions") == efficacy.questions
        assert own.text("name") == "Meals shared" and own.text("definition").startswith("Meals")
        assert half.text("name") == "Trygghet"
        assert half.text("questions") == ["Do you feel safe at home?"]


def test_self_efficacy_points_to_the_published_norwegian_adaptation(world) -> None:
    efficacy = LibraryIndicator.objects.get(code="general-self-efficacy")
    assert "Røysamb, Schwarzer & Jerusalem 1998" in efficacy.licence


def test_shipped_bokmal_texts_match_the_english_ones() -> None:
    for entry in LIBRARY:
        nb = entry.get("translations", {}).get("nb")
        if entry["code"] == "general-self-efficacy":
            assert nb is None
            continue
        assert nb and nb["name"] and nb["definition"], entry["code"]
        assert len(nb.get("questions", [])) == len(entry.get("questions", [])), entry["code"]
        assert bool(nb.get("answer_labels")) == bool(entry.get("answer_labels")), entry["code"]


def test_respond_page_shows_bokmal_by_default_and_english_on_request(
    world, setup, settings
) -> None:
    token = _consented_token(world, setup)
    url = reverse("measurement:respond", args=[token])
    settings.LANGUAGE_CODE = "nb"
    html = Client().get(url).content.decode()
    assert LIFE_NB in html and LIFE_EN not in html
    assert "Hvor ofte føler du deg isolert fra andre?" in html
    assert "0 = ikke fornøyd i det hele tatt, 10 = svært fornøyd" in html
    assert "1 = sjelden eller aldri, 2 = av og til, 3 = ofte" in html
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert LIFE_EN in html and LIFE_NB not in html
    assert "1 = hardly ever, 2 = some of the time, 3 = often" in html


def test_answers_sent_under_bokmal_are_saved_for_every_question(world, setup, settings) -> None:
    token = _consented_token(world, setup)
    settings.LANGUAGE_CODE = "nb"
    items = {i.library.code: i for i in setup.survey.survey_items.select_related("library")}
    data = {f"q-{items['life-satisfaction'].pk}-1": "7", "send": "1"}
    data.update({f"q-{items['ucla-loneliness-3'].pk}-{n}": "2" for n in (1, 2, 3)})
    Client().post(reverse("measurement:respond", args=[token]), data)
    response = surveys.response_for_token(token)
    assert response.submitted_at is not None and response.answers.count() == 4


def test_adoption_copies_the_adopters_language(world, setup) -> None:
    access = access_for(world.coordinator)
    belonging = LibraryIndicator.objects.get(code="belonging")
    with translation.override("nb"):
        nb = services.indicator_adopt(
            access=access, initiative=world.internal, library=belonging, chain_item=setup.outcome
        )
    with translation.override("en"):
        en = services.indicator_adopt(
            access=access, initiative=world.internal, library=belonging, chain_item=setup.outcome
        )
    assert nb.name == "Tilhørighet til lokalsamfunnet"
    assert nb.definition.startswith("Hvor sterkt man føler")
    assert en.name == "Belonging to the local community"


def test_adopt_page_under_bokmal_copies_the_bokmal_name(world, setup) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world.coordinator)
    trust = LibraryIndicator.objects.get(code="trust-municipality")
    client.post(
        reverse("measurement:adopt", args=[world.internal.slug]),
        {"library": trust.pk, "chain_item": setup.outcome.pk},
    )
    adopted = Indicator.objects.get(initiative=world.internal, library=trust)
    assert adopted.name == "Tillit til kommunen"
    assert adopted.definition == "Hvor stor tillit man har til kommunen, 0–10."


def test_library_pages_show_the_active_language(world) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world.viewer)
    html = client.get(reverse("measurement:library", args=[world.home.slug])).content.decode()
    assert "Tilfredshet med livet" in html and "Gjennomførte aktiviteter" in html
    assert "Mestringstro (General Self-Efficacy Scale)" in html  # its name, not its items
    life = LibraryIndicator.objects.get(code="life-satisfaction")
    detail = reverse("measurement:library_entry", args=[world.home.slug, life.pk])
    html = client.get(detail).content.decode()
    assert LIFE_NB in html and "Samlet vurdering av eget liv" in html
    assert "svært fornøyd" in html
    html = world.client(world.viewer).get(detail).content.decode()
    assert LIFE_EN in html and "Life satisfaction" in html
    efficacy = LibraryIndicator.objects.get(code="general-self-efficacy")
    html = client.get(
        reverse("measurement:library_entry", args=[world.home.slug, efficacy.pk])
    ).content.decode()
    assert "I can usually handle whatever comes my way." in html
    assert "Røysamb, Schwarzer &amp; Jerusalem 1998" in html


def test_migration_fills_the_translations(world) -> None:
    # the test database is built by the migrations: the shared rows carry their bokmål
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    assert life.translations["nb"]["questions"] == [LIFE_NB]
    LibraryIndicator.objects.filter(municipality=None).update(translations={})
    migration = importlib.import_module("samskap.measurement.migrations.0008_library_translations")
    from django.apps import apps

    migration.fill(apps, None)
    life.refresh_from_db()
    assert life.translations["nb"]["name"] == "Tilfredshet med livet"
    # every shared entry has texts now (issue 15: the GSE too, its name and licence note)
    assert LibraryIndicator.objects.filter(municipality=None, translations={}).count() == 0


@pytest.mark.django_db
def test_sync_library_works_with_an_earlier_migrations_model() -> None:
    """Migration 0002 runs ``sync_library`` on a model without ``translations``."""
    state = MigrationLoader(connection).project_state(("measurement", "0002_library"))
    old_model = state.apps.get_model("measurement", "LibraryIndicator")
    assert sync_library(old_model) == len(LIBRARY)
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    assert life.translations["nb"]["name"] == "Tilfredshet med livet"
