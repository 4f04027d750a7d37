"""A municipality's settings page: its coordinators set its country (agreement templates and
the discounting convention of new value maps) and default language; nobody else can."""

from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.valuation import services as valuation_services


def _url(municipality) -> str:
    return reverse("accounts:municipality_settings", args=[municipality.slug])


def test_a_coordinator_sets_the_country_and_new_value_maps_follow_it(world) -> None:
    client = world.client(world.coordinator)
    page = client.get(_url(world.home))
    assert page.status_code == 200
    assert 'name="country"' in page.content.decode()
    response = client.post(_url(world.home), {"country": "SE", "default_language": "sv"})
    assert response.status_code == 302
    home = Municipality.objects.get(pk=world.home.pk)
    assert (home.country, home.default_language) == ("SE", "sv")
    value_map = valuation_services.value_map_create(
        access=access_for(world.coordinator), initiative=world.internal
    )
    assert value_map.schedule == "se-asek"


def test_the_profile_links_a_coordinator_to_the_settings(world) -> None:
    page = world.client(world.coordinator).get(reverse("accounts:profile")).content.decode()
    assert _url(world.home) in page
    page = world.client(world.partner).get(reverse("accounts:profile")).content.decode()
    assert _url(world.home) not in page


def test_a_bad_country_is_refused_naming_the_field(world) -> None:
    client = world.client(world.coordinator)
    response = client.post(_url(world.home), {"country": "XX", "default_language": "nb"})
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert Municipality.objects.get(pk=world.home.pk).country == "NO"


def test_nobody_else_changes_a_municipalitys_settings(world) -> None:
    for user in (world.partner, world.project_leader, world.viewer, world.other_coordinator):
        client = world.client(user)
        assert client.get(_url(world.home)).status_code == 403
        response = client.post(_url(world.home), {"country": "DK", "default_language": "da"})
        assert response.status_code == 403
    assert world.client(None).get(_url(world.home)).status_code == 302  # to the log-in page
    assert Municipality.objects.get(pk=world.home.pk).country == "NO"
    missing = reverse("accounts:municipality_settings", args=["no-such-place"])
    assert world.client(world.coordinator).get(missing).status_code == 404
