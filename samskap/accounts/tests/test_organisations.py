"""Coordinators register and edit partner organisations from the pages."""

import pytest
from django.urls import reverse

from samskap.accounts.models import Organisation
from samskap.conftest import World

CREATE = reverse("accounts:organisation_create")


def _data(world: World, **overrides) -> dict:
    data = {
        "name": "Fjordvik frivilligsentral",
        "kind": "voluntary",
        "org_number": "974 760 673",
        "website": "frivillig.example.org",
        "description": "Volunteers",
        "home_municipality": world.home.pk,
    }
    data.update(overrides)
    return data


def test_a_coordinator_registers_an_organisation(world: World) -> None:
    response = world.client(world.coordinator).post(CREATE, _data(world))
    organisation = Organisation.objects.get(name="Fjordvik frivilligsentral")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    # Spaces removed; the link got its scheme; registered where the coordinator works.
    assert organisation.org_number == "974760673"
    assert organisation.website == "https://frivillig.example.org"
    assert organisation.home_municipality == world.home
    assert organisation.slug == "fjordvik-frivilligsentral"


def test_it_refuses_a_wrong_check_digit_naming_the_field(world: World) -> None:
    response = world.client(world.coordinator).post(CREATE, _data(world, org_number="974760674"))
    assert response.status_code == 200
    assert "check digit" in response.context["form"].errors["org_number"][0]
    assert not Organisation.objects.filter(name="Fjordvik frivilligsentral").exists()


def test_it_refuses_a_number_already_registered_and_names_the_holder(world: World) -> None:
    world.other_org.org_number = "974760673"
    world.other_org.save()
    response = world.client(world.coordinator).post(CREATE, _data(world))
    assert response.status_code == 200
    assert "Grønn Kløver" in response.context["form"].errors["org_number"][0]


def test_it_refuses_unicode_digits(world: World) -> None:
    response = world.client(world.coordinator).post(CREATE, _data(world, org_number="97476067³"))
    assert response.status_code == 200
    assert response.context["form"].errors["org_number"]


@pytest.mark.parametrize("who", ["project_leader", "viewer", "partner"])
def test_only_coordinators_register_organisations(world: World, who: str) -> None:
    response = world.client(getattr(world, who)).post(CREATE, _data(world))
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Fjordvik frivilligsentral").exists()


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = world.client(None).get(CREATE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_coordinator_cannot_register_in_another_municipality(world: World) -> None:
    response = world.client(world.coordinator).post(
        CREATE, _data(world, home_municipality=world.other.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["home_municipality"]
    assert not Organisation.objects.filter(name="Fjordvik frivilligsentral").exists()


def _edit_url(organisation: Organisation) -> str:
    return reverse("accounts:organisation_edit", args=[organisation.slug])


def test_a_coordinator_edits_an_organisation_of_their_municipality(world: World) -> None:
    organisation = Organisation.objects.create(
        name="Sentralen", slug="sentralen", kind="voluntary", home_municipality=world.home
    )
    response = world.client(world.coordinator).post(
        _edit_url(organisation), _data(world, name="Sentralen SA", org_number="923609016")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.org_number) == ("Sentralen SA", "923609016")
    assert organisation.slug == "sentralen"  # its address stays


def test_another_municipalitys_coordinator_cannot_edit(world: World) -> None:
    organisation = Organisation.objects.create(
        name="Sentralen", slug="sentralen", kind="voluntary", home_municipality=world.home
    )
    client = world.client(world.other_coordinator)
    assert client.get(_edit_url(organisation)).status_code == 403
    response = client.post(
        _edit_url(organisation), _data(world, home_municipality=world.other.pk, name="Taken")
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Sentralen"


def test_a_shared_organisation_is_edited_by_the_municipalities_it_works_with(
    world: World,
) -> None:
    # Varme Hender is registered nowhere and takes part in an initiative of Fjordvik only.
    assert world.client(world.coordinator).get(_edit_url(world.partner_org)).status_code == 200
    assert (
        world.client(world.other_coordinator).get(_edit_url(world.partner_org)).status_code == 403
    )
    # Grønn Kløver works with nobody: no coordinator manages it from the pages.
    assert world.client(world.coordinator).get(_edit_url(world.other_org)).status_code == 403


def test_an_unknown_organisation_is_404(world: World) -> None:
    response = world.client(world.coordinator).get(
        reverse("accounts:organisation_edit", args=["nobody"])
    )
    assert response.status_code == 404


def test_the_organisation_page_links_to_editing_for_its_coordinator_only(world: World) -> None:
    url = world.partner_org.get_absolute_url()
    edit = _edit_url(world.partner_org)
    assert edit in world.client(world.coordinator).get(url).content.decode()
    assert edit not in world.client(world.other_coordinator).get(url).content.decode()
    assert edit not in world.client(None).get(url).content.decode()
