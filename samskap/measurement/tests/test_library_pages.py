"""A municipality's own library indicators: list, create, edit; shared entries read-only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import programmes, surveys
from samskap.measurement.models import LibraryIndicator

FORM = {
    "name": "Meals shared",
    "definition": "Meals eaten together in the period.",
    "kind": "output",
    "unit": "number",
    "direction": "higher",
    "questions": "",
    "answer_min": "",
    "answer_max": "",
    "answer_labels": "",
    "scoring": "sum",
    "reliability": "",
    "source": "Fjordvik municipality",
    "licence": "Own wording, free to use.",
}


def _url(name, world, *args) -> str:
    return reverse(f"measurement:{name}", args=[world.home.slug, *args])


def _own(world, municipality=None, **fields) -> LibraryIndicator:
    municipality = municipality or world.home
    user = world.coordinator if municipality == world.home else world.other_coordinator
    data = {k: v for k, v in FORM.items() if k not in ("answer_min", "answer_max", "reliability")}
    data["questions"] = []
    data.update(fields)
    return programmes.library_entry_save(access=access_for(user), municipality=municipality, **data)


def test_list_shows_shared_and_own_with_empty_state(world) -> None:
    page = world.client(world.viewer).get(_url("library", world))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Life satisfaction" in html and "No indicators of its own yet." in html
    assert _url("library_create", world) not in html  # viewers read only
    _own(world)
    _own(world, world.other, name="Their own measure")
    html = world.client(world.coordinator).get(_url("library", world)).content.decode()
    assert "Meals shared" in html and "Their own measure" not in html
    assert _url("library_create", world) in html


def test_coordinator_creates_an_own_entry(world) -> None:
    response = world.client(world.coordinator).post(
        _url("library_create", world),
        {
            **FORM,
            "name": "Feeling safe at home",
            "kind": "outcome",
            "unit": "scale",
            "questions": "How safe do you feel at home?\nHow safe do you feel outside?",
            "answer_min": "1",
            "answer_max": "5",
            "scoring": "mean",
            "reliability": "0.80",
        },
    )
    assert response.status_code == 302
    entry = LibraryIndicator.objects.get(name="Feeling safe at home")
    assert entry.municipality == world.home and entry.code == "feeling-safe-at-home"
    assert entry.questions == ["How safe do you feel at home?", "How safe do you feel outside?"]
    assert entry.score_range() == (1, 5)
    assert response.url == _url("library_entry", world, entry.pk)


def test_validation_messages_name_the_field(world) -> None:
    client = world.client(world.coordinator)
    response = client.post(
        _url("library_create", world), {**FORM, "questions": "One?", "answer_min": "5"}
    )
    assert response.context["form"].errors["answer_min"] == [
        "Questions need the lowest and the highest answer."
    ]
    response = client.post(
        _url("library_create", world),
        {**FORM, "questions": "One?", "answer_min": "5", "answer_max": "1"},
    )
    assert response.context["form"].errors["answer_max"] == [
        "The highest answer must be above the lowest."
    ]
    response = client.post(_url("library_create", world), {**FORM, "source": ""})
    assert response.context["form"].errors["source"] == ["This field is required."]
    response = client.post(_url("library_create", world), {**FORM, "reliability": "1.5"})
    assert "reliability" in response.context["form"].errors


def test_coordinator_edits_own_entry_but_not_shared(world) -> None:
    entry = _own(world)
    response = world.client(world.coordinator).post(
        _url("library_edit", world, entry.pk), {**FORM, "name": "Meals shared together"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Meals shared together"
    shared = LibraryIndicator.objects.get(code="life-satisfaction")
    assert (
        world.client(world.coordinator).get(_url("library_edit", world, shared.pk)).status_code
        == 403
    )
    detail = world.client(world.coordinator).get(_url("library_entry", world, shared.pk))
    assert detail.status_code == 200 and "read-only" in detail.content.decode()
    assert _url("library_edit", world, shared.pk) not in detail.content.decode()
    with pytest.raises(PermissionDenied):
        programmes.library_entry_save(
            access=access_for(world.coordinator), municipality=world.home, entry=shared, name="X"
        )


def test_permissions_per_role(world) -> None:
    entry = _own(world)
    viewer = world.client(world.viewer)
    assert viewer.get(_url("library_entry", world, entry.pk)).status_code == 200
    assert viewer.get(_url("library_edit", world, entry.pk)).status_code == 403
    assert viewer.post(_url("library_create", world), FORM).status_code == 403
    assert world.client(world.project_leader).get(_url("library_create", world)).status_code == 403
    for user in (world.other_coordinator, world.partner, world.other_partner):
        for url in (
            _url("library", world),
            _url("library_entry", world, entry.pk),
            _url("library_edit", world, entry.pk),
            _url("library_create", world),
        ):
            assert world.client(user).get(url).status_code == 404, (user, url)


def test_another_municipalitys_own_entry_is_404(world) -> None:
    theirs = _own(world, world.other, name="Their own measure")
    client = world.client(world.coordinator)
    assert client.get(_url("library_entry", world, theirs.pk)).status_code == 404
    assert client.get(_url("library_edit", world, theirs.pk)).status_code == 404
    with pytest.raises(PermissionDenied):
        programmes.library_entry_save(
            access=access_for(world.coordinator), municipality=world.home, entry=theirs, name="X"
        )


def test_questions_of_an_entry_a_survey_uses_stay(world) -> None:
    entry = _own(world, unit="scale", questions=["How are you?"], answer_min=0, answer_max=10)
    surveys.survey_create(
        access=access_for(world.coordinator),
        initiative=world.internal,
        title="Check-in",
        purpose="To learn.",
        consent_text="Codes only.",
        items=[entry],
    )
    response = world.client(world.coordinator).post(
        _url("library_edit", world, entry.pk),
        {
            **FORM,
            "unit": "scale",
            "questions": "How are you?",
            "answer_min": "0",
            "answer_max": "5",
        },
    )
    assert "A survey already asks" in response.context["form"].errors["answer_max"][0]
    with pytest.raises(ValidationError):
        programmes.library_entry_save(
            access=access_for(world.coordinator),
            municipality=world.home,
            entry=entry,
            questions=["Something else?"],
        )
    # The name and texts may still change.
    programmes.library_entry_save(
        access=access_for(world.coordinator), municipality=world.home, entry=entry, name="Mood"
    )


def test_own_entry_is_adoptable_in_the_municipalitys_initiatives_only(world) -> None:
    entry = _own(world)
    theirs = _own(world, world.other, name="Their own measure")
    page = world.client(world.coordinator).get(
        reverse("measurement:overview", args=[world.internal.slug])
    )
    offered = set(page.context["adopt_form"].fields["library"].queryset)
    assert entry in offered and theirs not in offered
    home_link = world.client(world.viewer).get(reverse("measurement:library_home"))
    assert home_link.url == _url("library", world)


def test_list_query_count_does_not_grow_with_entries(world, django_assert_max_num_queries) -> None:
    for n in range(8):
        _own(world, name=f"Own measure {n}")
    client = world.client(world.coordinator)
    with django_assert_max_num_queries(8):
        page = client.get(_url("library", world))
    assert "Own measure 7" in page.content.decode()
