"""The shipped financial proxies in every language: the migration fills their texts, the
library page and the outcome form show them in the reader's language, and picking one copies
its source in that language (issue 15)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation

from samskap.accounts.access import access_for
from samskap.core.tests.words_crawl import english_words
from samskap.valuation import services
from samskap.valuation.models import PROXY_TEXT_FIELDS, Proxy
from samskap.valuation.proxy_library import PROXIES, sync_proxies

NORDIC = ("nb", "nn", "sv", "da")


def test_every_shipped_proxy_has_every_text_in_every_nordic_language(world) -> None:
    for entry in PROXIES:
        proxy = Proxy.objects.get(code=entry["code"])
        for language in NORDIC:
            texts = proxy.translations[language]
            assert set(texts) == set(PROXY_TEXT_FIELDS), (entry["code"], language)
            for field in PROXY_TEXT_FIELDS:
                with translation.override(language):
                    shown = proxy.text(field)
                assert shown == texts[field]
                assert shown != getattr(proxy, field), (entry["code"], language, field)
                assert english_words(shown, language) == [], (language, shown)


def test_the_stored_text_is_english_and_nynorsk_falls_back_to_bokmal() -> None:
    proxy = Proxy(name="Meals", unit="per meal", translations={"nb": {"name": "Måltider"}})
    with translation.override("en"):
        assert proxy.text("name") == "Meals"
    with translation.override("nn"):
        assert proxy.text("name") == "Måltider"
        assert proxy.text("unit") == "per meal"  # no translation: as typed
    with translation.override("sv"):
        assert proxy.text("name") == "Meals"


@pytest.mark.parametrize("language", NORDIC)
def test_the_library_page_shows_the_readers_language(world, language) -> None:
    client = world.client(world.partner)
    page = client.get(reverse("valuation:proxies"), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    vsl = Proxy.objects.get(code="vsl-2012")
    assert vsl.translations[language]["method"].split(".")[0] in html
    assert "Willingness to pay" not in html
    assert "Public document, free of copyright" not in html


def test_picking_a_proxy_copies_its_source_in_the_readers_language(world) -> None:
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    proxy = Proxy.objects.get(code="grunnbelop-2025")
    with translation.override("sv"):
        outcome = services.outcome_save(
            access=access,
            value_map=value_map,
            expected_version=value_map.version,
            stakeholder="Staten",
            outcome="Sparad förmån",
            quantity=1,
            duration=1,
            proxy=proxy,
        )
        assert str(proxy).startswith("Grundbeloppet i norska folketrygden (1 G) (130\xa0160 NOK")
    assert outcome.proxy_source == proxy.translations["sv"]["source"]


@pytest.mark.django_db
def test_sync_finds_the_proxies_shipped_before_they_had_a_code() -> None:
    """Migration 0001 shipped them by their bokmål name; 0005 gives them a code and texts."""
    state = MigrationLoader(connection).project_state(("valuation", "0005_proxy_translations"))
    model = state.apps.get_model("valuation", "Proxy")
    entry = PROXIES[0]
    model.objects.filter(code=entry["code"]).update(
        code="", name=entry["former_name"], translations={}
    )
    assert sync_proxies(model) == len(PROXIES)
    assert Proxy.objects.filter(code=entry["code"]).count() == 1
    assert Proxy.objects.filter(name=entry["former_name"]).count() == 0
    assert Proxy.objects.get(code=entry["code"]).translations["nn"]["name"].startswith("Grunn")
