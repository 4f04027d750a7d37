"""The country discounting presets in the app (issue 15): a new value map starts from its
municipality's country's convention, the settings form offers every preset, and Sweden's ASEK
rate is described as what it is, a constant 3.5 %."""

import pytest
from django.urls import reverse
from django.utils import translation

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.core.coded_texts import translated
from samskap.valuation import selectors, services
from samskap.valuation.models import Schedule
from samskap.valuation.valuemap import SCHEDULES, Discounting, parse

from .test_engine import ranged_map


@pytest.mark.parametrize(
    ("country", "schedule"), [("NO", "R-109"), ("SE", "se-asek"), ("DK", "dk-fm")]
)
def test_a_new_map_starts_from_its_countrys_convention(world, country, schedule) -> None:
    Municipality.objects.filter(pk=world.home.pk).update(country=country)
    value_map = services.value_map_create(
        access=access_for(world.coordinator), initiative=world.internal
    )
    assert value_map.schedule == schedule
    assert selectors.to_data(value_map)["discounting"]["schedule"] == schedule


def test_the_settings_form_offers_every_country_preset(world) -> None:
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    value_map = services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(ranged_map())
    )
    client = world.client(world.coordinator)
    url = reverse("valuation:settings", args=[world.internal.slug])
    page = client.get(url).content.decode()
    for code in ("R-109", "se-asek", "dk-fm"):
        assert f'value="{code}"' in page
    data = {
        "expected_version": value_map.version,
        "title": value_map.title,
        "currency": value_map.currency,
        "price_year": value_map.price_year or "",
        "discount_rate": "0.04",
        "schedule": "dk-fm",
        "first_year": value_map.first_year,
    }
    assert client.post(url, data).status_code == 302
    value_map.refresh_from_db()
    assert value_map.schedule == Schedule.DK_FM
    assert selectors.to_engine(value_map).discounting.schedule_name == "dk-fm"


def test_asek_is_a_constant_rate_not_a_declining_schedule() -> None:
    asek = Discounting(None, SCHEDULES["se-asek"], "se-asek", "undiscounted").convention
    assert asek.code == "convention_named_constant"
    assert "declining" not in str(asek)
    assert [asek.params["rate"]] == [rate for _s, _e, rate in SCHEDULES["se-asek"]] == [0.035]
    with translation.override("sv"):
        shown = translated(asek)
    assert "3,5" in shown and "varje år" in shown
    danish = Discounting(None, SCHEDULES["dk-fm"], "dk-fm", "undiscounted").convention
    assert danish.code == "convention_named"  # 3.5/2.5/1.5 %: declining indeed
