"""A municipality's settings page: its coordinators (and administrators) set its country
(agreement templates and the discounting convention of new value maps), default language and
whether an indicator value needs a second person's approval; nobody else can."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samskap.accounts import services
from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality, Role
from samskap.conftest import make_user
from samskap.measurement import services as measurement_services
from samskap.valuation import services as valuation_services


def _url(municipality) -> str:
    return reverse("accounts:municipality_settings", args=[municipality.slug])


def test_a_coordinator_sets_the_country_and_new_value_maps_follow_it(world) -> None:
    client = world.client(world.coordinator)
    page = client.get(_url(world.home))
    assert page.status_code == 200
    assert 'name="country"' in page.content.decode()
    # The approval by a second person is on (the default), so the box comes ticked.
    assert re.search(r'<input[^>]*name="four_eyes_approval"[^>]*checked', page.content.decode())
    response = client.post(
        _url(world.home), {"country": "SE", "default_language": "sv", "four_eyes_approval": "on"}
    )
    assert response.status_code == 302
    home = Municipality.objects.get(pk=world.home.pk)
    assert (home.country, home.default_language, home.four_eyes_approval) == ("SE", "sv", True)
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
        # An unticked box would turn the approval by a second person off: refused as well.
        response = client.post(_url(world.home), {"country": "DK", "default_language": "da"})
        assert response.status_code == 403
    assert world.client(None).get(_url(world.home)).status_code == 302  # to the log-in page
    assert world.client(None).post(_url(world.home), {"country": "DK"}).status_code == 302
    home = Municipality.objects.get(pk=world.home.pk)
    assert (home.country, home.four_eyes_approval) == ("NO", True)
    missing = reverse("accounts:municipality_settings", args=["no-such-place"])
    assert world.client(world.coordinator).get(missing).status_code == 404


def test_a_coordinator_lets_one_person_enter_and_approve_and_the_rule_follows(world) -> None:
    client = world.client(world.coordinator)
    response = client.post(_url(world.home), {"country": "NO", "default_language": "nb"})
    assert response.status_code == 302
    assert (
        "The municipality&#x27;s settings were saved."
        in client.get(response["Location"]).content.decode()
    )
    assert Municipality.objects.get(pk=world.home.pk).four_eyes_approval is False
    page = client.get(_url(world.home)).content.decode()
    assert not re.search(r'<input[^>]*name="four_eyes_approval"[^>]*checked', page)
    # The rule the measurement service applies reads the setting.
    assert measurement_services.four_eyes_wanted(world.internal) is False
    client.post(
        _url(world.home), {"country": "NO", "default_language": "nb", "four_eyes_approval": "on"}
    )
    assert measurement_services.four_eyes_wanted(world.internal) is True


def test_an_administrator_of_the_municipality_may_change_it_too(world) -> None:
    admin = make_user("kari-admin", Role.ADMINISTRATOR, municipality=world.home)
    response = world.client(admin).post(
        _url(world.home), {"country": "NO", "default_language": "nb"}
    )
    assert response.status_code == 302
    assert Municipality.objects.get(pk=world.home.pk).four_eyes_approval is False
    # Not another municipality's.
    assert world.client(admin).get(_url(world.other)).status_code == 403


def test_the_service_refuses_those_who_do_not_manage_the_municipality(world) -> None:
    for user in (world.project_leader, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.municipality_settings_update(
                access=access_for(user),
                municipality=world.home,
                country="NO",
                default_language="nb",
                four_eyes_approval=False,
            )
    assert Municipality.objects.get(pk=world.home.pk).four_eyes_approval is True


def test_a_coordinator_raises_the_privacy_threshold_and_linked_headlines_follow(
    world, monkeypatch
) -> None:
    from samskap.measurement.models import Survey
    from samskap.valuation import refresh

    survey = Survey.objects.create(
        initiative=world.internal, title="Før og etter", purpose="Læring"
    )
    noted: list[set] = []
    monkeypatch.setattr(
        refresh, "measurement_changed", lambda **k: noted.append(set(k["survey_ids"]))
    )
    client = world.client(world.coordinator)
    form = {"country": "NO", "default_language": "nb", "four_eyes_approval": "on"}
    response = client.post(_url(world.home), {**form, "privacy_threshold": "8"})
    assert response.status_code == 302
    assert Municipality.objects.get(pk=world.home.pk).privacy_threshold == 8
    assert noted == [{survey.pk}]  # the value maps linked to its surveys are recomputed
    # Never below 5: the field is named and nothing changes.
    response = client.post(_url(world.home), {**form, "privacy_threshold": "4"})
    assert response.status_code == 200 and "privacy_threshold" in response.context["form"].errors
    assert Municipality.objects.get(pk=world.home.pk).privacy_threshold == 8
    # Left empty it stays; the same value again recomputes nothing.
    client.post(_url(world.home), {**form, "privacy_threshold": ""})
    client.post(_url(world.home), {**form, "privacy_threshold": "8"})
    assert Municipality.objects.get(pk=world.home.pk).privacy_threshold == 8
    assert len(noted) == 1
