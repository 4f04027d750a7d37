"""A municipality's programmes: pages, permissions, validation and totals computed when read."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.conftest import make_initiative
from samskap.measurement import programmes, services
from samskap.measurement.models import LibraryIndicator, Programme

D = Decimal


@pytest.fixture(autouse=True)
def _one_person_may_enter_and_approve(world):
    """These tests are about totals, not review: one coordinator enters and approves."""
    Municipality.objects.update(four_eyes_approval=False)


def _list(world) -> str:
    return reverse("measurement:programmes", args=[world.home.slug])


def _programme(world, name="Together", initiatives=None) -> Programme:
    return programmes.programme_save(
        access=access_for(world.coordinator),
        municipality=world.home,
        name=name,
        initiatives=initiatives if initiatives is not None else [world.internal, world.public],
    )


def _approved(world, initiative, library_code, values: dict, cumulative=False) -> None:
    """Adopt a library indicator in the initiative and approve actual values per period."""
    access = access_for(world.coordinator)
    item = services.chain_item_add(
        access=access, initiative=initiative, level="output", text="Reach"
    )
    indicator = services.indicator_adopt(
        access=access,
        initiative=initiative,
        library=LibraryIndicator.objects.get(code=library_code),
        chain_item=item,
    )
    if cumulative:
        indicator.cumulative = True
        indicator.save()
    for label, number in values.items():
        period = services.period_add(
            access=access,
            indicator=indicator,
            label=label,
            start=datetime.date(int(label), 1, 1),
            end=datetime.date(int(label), 12, 31),
        )
        numbers = (
            {"numerator": D(number[0]), "denominator": D(number[1])}
            if isinstance(number, tuple)
            else {"value": D(number)}
        )
        value = services.value_save(access=access, period=period, kind="actual", **numbers)
        value = services.value_submit(access=access, value=value)
        services.value_approve(access=access, value=value)


def _percentage_library() -> LibraryIndicator:
    return LibraryIndicator.objects.create(
        code="in-work",
        name="Share in work",
        definition="Participants in work after a year.",
        kind="outcome",
        unit="percentage",
        source="Own",
        licence="CC0",
    )


# --- list and empty state ---------------------------------------------------------------------


def test_list_shows_empty_state_and_create_link_to_coordinator(world) -> None:
    page = world.client(world.coordinator).get(_list(world)).content.decode()
    assert "No programmes yet." in page
    assert reverse("measurement:programme_create", args=[world.home.slug]) in page


def test_viewer_reads_but_cannot_create(world) -> None:
    _programme(world)
    page = world.client(world.viewer).get(_list(world))
    assert page.status_code == 200 and "Together" in page.content.decode()
    assert "2 initiatives" in page.content.decode()
    create = reverse("measurement:programme_create", args=[world.home.slug])
    assert create not in page.content.decode()
    assert world.client(world.viewer).get(create).status_code == 403
    assert world.client(world.viewer).post(create, {"name": "Mine"}).status_code == 403
    assert not Programme.objects.filter(name="Mine").exists()


def test_other_municipality_and_partners_get_404(world) -> None:
    programme = _programme(world)
    urls = [
        _list(world),
        reverse("measurement:programme", args=[world.home.slug, programme.slug]),
        reverse("measurement:programme_edit", args=[world.home.slug, programme.slug]),
        reverse("measurement:programme_create", args=[world.home.slug]),
    ]
    for user in (world.other_coordinator, world.partner, world.other_partner):
        for url in urls:
            assert world.client(user).get(url).status_code == 404, (user, url)
    assert world.client(None).get(urls[0]).status_code == 302
    # Another municipality's programme is not found under the home municipality either.
    foreign = programmes.programme_save(
        access=access_for(world.other_coordinator), municipality=world.other, name="Theirs"
    )
    url = reverse("measurement:programme", args=[world.home.slug, foreign.slug])
    assert world.client(world.coordinator).get(url).status_code == 404


def test_home_redirects_to_the_users_municipality(world) -> None:
    response = world.client(world.viewer).get(reverse("measurement:programmes_home"))
    assert response.status_code == 302 and response.url == _list(world)
    assert (
        world.client(world.partner).get(reverse("measurement:programmes_home")).status_code == 404
    )


# --- create and edit --------------------------------------------------------------------------


def test_coordinator_creates_and_edits_a_programme(world) -> None:
    create = reverse("measurement:programme_create", args=[world.home.slug])
    page = world.client(world.coordinator).get(create).content.decode()
    assert "Dinner friends" in page and "Youth loft" in page
    assert world.foreign_internal.title not in page
    response = world.client(world.coordinator).post(
        create, {"name": "Healthy ageing", "initiatives": [world.internal.pk]}
    )
    programme = Programme.objects.get(slug="healthy-ageing")
    assert response.url == reverse(
        "measurement:programme", args=[world.home.slug, "healthy-ageing"]
    )
    assert list(programme.initiatives.all()) == [world.internal]
    edit = reverse("measurement:programme_edit", args=[world.home.slug, programme.slug])
    response = world.client(world.coordinator).post(
        edit,
        {"name": "Healthy ageing", "slug": "ageing", "initiatives": [world.public.pk]},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.slug == "ageing" and list(programme.initiatives.all()) == [world.public]


def test_slug_is_unique_and_named_in_the_message(world) -> None:
    _programme(world, "Together")
    response = world.client(world.coordinator).post(
        reverse("measurement:programme_create", args=[world.home.slug]),
        {"name": "Together", "initiatives": []},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another programme already uses the slug “together”."
    ]
    response = world.client(world.coordinator).post(
        reverse("measurement:programme_create", args=[world.home.slug]), {"name": ""}
    )
    assert response.context["form"].errors["name"] == ["This field is required."]
    with pytest.raises(ValidationError) as error:
        _programme(world, "ny")
    assert "slug" in error.value.message_dict


def test_only_initiatives_the_municipality_owns(world) -> None:
    response = world.client(world.coordinator).post(
        reverse("measurement:programme_create", args=[world.home.slug]),
        {"name": "Sneaky", "initiatives": [world.foreign_internal.pk]},
    )
    assert response.status_code == 200 and "initiatives" in response.context["form"].errors
    with pytest.raises(ValidationError) as error:
        _programme(world, "Sneaky", [world.foreign_internal])
    assert "initiatives" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        programmes.programme_save(
            access=access_for(world.viewer), municipality=world.home, name="Viewer's"
        )


# --- detail and totals ------------------------------------------------------------------------


def test_detail_shows_totals_and_how_they_were_computed(world) -> None:
    _approved(world, world.internal, "participants-reached", {"2024": 10, "2025": 25}, True)
    _approved(world, world.public, "participants-reached", {"2024": 4})
    _percentage_library()
    _approved(world, world.internal, "in-work", {"2025": (3, 10)})
    _approved(world, world.public, "in-work", {"2025": (6, 20)})
    programme = _programme(world)
    url = reverse("measurement:programme", args=[world.home.slug, programme.slug])
    page = world.client(world.viewer).get(url)
    assert page.status_code == 200
    totals = {entry["library"].code: entry for entry in page.context["totals"]}
    reached = {p["label"]: p["total"] for p in totals["participants-reached"]["periods"]}
    assert reached["2024"] == D(14)
    in_work = totals["in-work"]["periods"][0]
    assert (in_work["numerator"], in_work["denominator"]) == (D(9), D(30))
    assert in_work["total"] == D(30)
    html = " ".join(page.content.decode().split())
    assert "Participants reached" in html and "Share in work" in html
    assert ">14<" in html  # the sum 10 + 4
    assert "Dinner friends: 10" in html and "Youth loft: 4" in html
    assert "30.0%" in html  # (3 + 6) / (10 + 20), not the mean of 30 % and 30 %
    assert "9 of 30, from:" in html and "Dinner friends: 3/10" in html


def test_cumulative_total_carries_the_latest_value(world) -> None:
    _approved(world, world.internal, "participants-reached", {"2025": 25})
    _approved(world, world.public, "participants-reached", {"2024": 4}, cumulative=True)
    programme = _programme(world)
    url = reverse("measurement:programme", args=[world.home.slug, programme.slug])
    html = " ".join(world.client(world.coordinator).get(url).content.decode().split())
    assert ">29<" in html
    assert 'Youth loft: 4 <span class="help">(latest value, from 2024)' in html


def test_percentage_total_differs_from_the_mean_of_percentages(world) -> None:
    _percentage_library()
    _approved(world, world.internal, "in-work", {"2025": (1, 2)})
    _approved(world, world.public, "in-work", {"2025": (1, 8)})
    programme = _programme(world)
    url = reverse("measurement:programme", args=[world.home.slug, programme.slug])
    html = " ".join(world.client(world.coordinator).get(url).content.decode().split())
    assert "20.0%" in html  # 2 of 10, while the mean of 50 % and 12.5 % would be 31.25 %


def test_detail_empty_state(world) -> None:
    programme = _programme(world, initiatives=[])
    url = reverse("measurement:programme", args=[world.home.slug, programme.slug])
    html = world.client(world.coordinator).get(url).content.decode()
    assert "No initiatives in this programme yet." in html
    assert "No totals yet" in html


def test_detail_query_count_does_not_grow_with_initiatives(
    world, django_assert_max_num_queries
) -> None:
    many = [world.internal, world.public]
    for n in range(4):
        initiative = make_initiative(world.coordinator, world.home, f"Extra {n}")
        _approved(world, initiative, "participants-reached", {"2025": n + 1})
        many.append(initiative)
    programme = _programme(world, initiatives=many)
    url = reverse("measurement:programme", args=[world.home.slug, programme.slug])
    client = world.client(world.coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_overview_links_to_the_programmes(world) -> None:
    page = world.client(world.viewer).get(
        reverse("measurement:overview", args=[world.internal.slug])
    )
    assert _list(world) in page.content.decode()
    partner_page = world.client(world.partner).get(
        reverse("measurement:overview", args=[world.internal.slug])
    )
    assert _list(world) not in partner_page.content.decode()


def test_list_query_count_does_not_grow_with_programmes(
    world, django_assert_max_num_queries
) -> None:
    for n in range(8):
        _programme(world, f"Programme {n}")
    client = world.client(world.viewer)
    with django_assert_max_num_queries(8):
        page = client.get(_list(world))
    assert page.content.decode().count("2 initiatives") == 8


def test_list_speaks_norwegian(world) -> None:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world.viewer)
    assert "Ingen programmer ennå." in client.get(_list(world)).content.decode()


def test_slugs_are_unique_per_municipality_only(world) -> None:
    """Another municipality's programme slugs are neither refused nor revealed."""
    from samskap.accounts.access import access_for
    from samskap.measurement import programmes

    programmes.programme_save(
        access=access_for(world.other_coordinator), municipality=world.other, name="Healthy ageing"
    )
    create = reverse("measurement:programme_create", args=[world.home.slug])
    response = world.client(world.coordinator).post(create, {"name": "Healthy ageing"})
    assert response.status_code == 302
    assert Programme.objects.filter(slug="healthy-ageing").count() == 2
    again = world.client(world.coordinator).post(create, {"name": "Healthy ageing"})
    assert "already uses the slug" in again.content.decode()
