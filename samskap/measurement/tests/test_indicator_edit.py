"""Editing an adopted indicator and its periods; the tenant column on indicator rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import indicator_edits, services
from samskap.measurement.models import Indicator, IndicatorValue, LibraryIndicator, Period

D = Decimal


def _period(world, indicator, label="2025") -> Period:
    return services.period_add(
        access=access_for(world.coordinator),
        indicator=indicator,
        label=label,
        start=datetime.date(int(label[:4]), 1, 1),
        end=datetime.date(int(label[:4]), 12, 31),
    )


def _edit_url(world, indicator) -> str:
    return reverse("measurement:indicator_edit", args=[world.internal.slug, indicator.pk])


def _form(indicator: Indicator, **changes) -> dict:
    data = {
        "name": indicator.name,
        "definition": indicator.definition,
        "chain_item": indicator.chain_item_id,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "scale_min": indicator.scale_min if indicator.scale_min is not None else "",
        "scale_max": indicator.scale_max if indicator.scale_max is not None else "",
        "data_source": indicator.data_source,
        "method": indicator.method,
        "frequency": indicator.frequency,
        "reporter": indicator.reporter,
        "disaggregations": "",
        "version": indicator.version,
    }
    data.update(changes)
    return data


# --- the tenant column ------------------------------------------------------------------------


def test_services_set_the_municipality_on_indicator_rows(world, setup) -> None:
    period = _period(world, setup.life)
    value = services.value_save(
        access=access_for(world.coordinator), period=period, kind="actual", value=D(6)
    )
    assert setup.life.municipality_id == world.internal.municipality_id == world.home.pk
    assert period.municipality_id == world.home.pk
    assert value.municipality_id == world.home.pk
    created = services.indicator_create(
        access=access_for(world.coordinator),
        initiative=world.internal,
        chain_item=setup.output,
        name="Dinners",
        definition="Dinners held",
        unit="number",
    )
    assert created.municipality_id == world.home.pk


def test_imported_values_carry_the_municipality(world, setup) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samskap.measurement import imports

    _period(world, setup.life)
    text = f"indicator,period,kind,value\n{setup.life.code},2025,actual,7\n"
    report = imports.import_indicator_values(
        access=access_for(world.coordinator),
        initiative=world.internal,
        source=SimpleUploadedFile("values.csv", text.encode()),
    )
    assert report.ok
    assert set(IndicatorValue.objects.values_list("municipality_id", flat=True)) == {world.home.pk}


# --- indicator_update -------------------------------------------------------------------------


def test_coordinator_edits_the_indicator_and_history_is_kept(world, setup) -> None:
    response = world.client(world.coordinator).post(
        _edit_url(world, setup.life),
        _form(
            setup.life,
            name="Life satisfaction (adults)",
            frequency="Twice a year",
            reporter="Project leader",
            cumulative="on",
            chain_item=setup.output.pk,
            disaggregations="gender: female, male\nage: under 67, 67 and over",
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(pk=setup.life.pk)
    assert indicator.name == "Life satisfaction (adults)"
    assert indicator.frequency == "Twice a year" and indicator.cumulative
    assert indicator.chain_item == setup.output
    assert indicator.disaggregations == {
        "gender": ["female", "male"],
        "age": ["under 67", "67 and over"],
    }
    assert indicator.version == 2
    assert indicator.history.count() == 2
    page = world.client(world.coordinator).get(response.url).content.decode()
    assert "Twice a year" in page and "gender: female, male" in page


def test_edit_page_is_linked_and_shows_current_values(world, setup) -> None:
    detail = reverse("measurement:indicator", args=[world.internal.slug, setup.life.pk])
    assert _edit_url(world, setup.life) in world.client(world.partner).get(detail).content.decode()
    assert (
        _edit_url(world, setup.life) not in world.client(world.viewer).get(detail).content.decode()
    )
    overview = reverse("measurement:overview", args=[world.internal.slug])
    assert (
        _edit_url(world, setup.life)
        in world.client(world.coordinator).get(overview).content.decode()
    )
    page = world.client(world.coordinator).get(_edit_url(world, setup.life)).content.decode()
    assert 'value="Life satisfaction"' in page


def test_edit_permissions_per_role(world, setup) -> None:
    url = _edit_url(world, setup.life)
    assert world.client(world.partner).get(url).status_code == 200  # partner taking part
    assert world.client(world.project_leader).get(url).status_code == 200
    assert world.client(world.viewer).get(url).status_code == 403
    assert world.client(world.viewer).post(url, _form(setup.life, name="X")).status_code == 403
    assert world.client(world.other_coordinator).get(url).status_code == 404
    assert world.client(world.other_partner).get(url).status_code == 404
    assert Indicator.objects.get(pk=setup.life.pk).name == "Life satisfaction"
    with pytest.raises(PermissionDenied):
        indicator_edits.indicator_update(
            access=access_for(world.viewer), indicator=setup.life, name="X"
        )


def test_indicator_of_another_initiative_is_404(world, setup) -> None:
    url = reverse("measurement:indicator_edit", args=[world.public.slug, setup.life.pk])
    assert world.client(world.coordinator).get(url).status_code == 404


def test_scale_min_must_be_below_max(world, setup) -> None:
    response = world.client(world.coordinator).post(
        _edit_url(world, setup.life), _form(setup.life, scale_min="10", scale_max="0")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scale_max"] == [
        "The highest possible value must be above the lowest."
    ]
    with pytest.raises(ValidationError) as error:
        indicator_edits.indicator_update(
            access=access_for(world.coordinator),
            indicator=setup.life,
            scale_min=D(5),
            scale_max=D(5),
        )
    assert "scale_max" in error.value.message_dict


def _own(world, setup) -> Indicator:
    """An indicator of the initiative's own (not from the library), on a 1–10 scale."""
    return services.indicator_create(
        access=access_for(world.coordinator),
        initiative=world.internal,
        chain_item=setup.outcome,
        name="Mood",
        definition="Mood on a scale",
        unit="scale",
        scale_min=D(1),
        scale_max=D(10),
    )


def test_unit_change_is_refused_when_values_exist(world, setup) -> None:
    own = _own(world, setup)
    period = _period(world, own)
    services.value_save(
        access=access_for(world.coordinator), period=period, kind="baseline", value=D(6)
    )
    response = world.client(world.coordinator).post(
        reverse("measurement:indicator_edit", args=[world.internal.slug, own.pk]),
        _form(own, unit="number"),
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["unit"]
    assert "1 value is already reported as score on a scale" in message
    assert Indicator.objects.get(pk=own.pk).unit == "scale"


def test_unit_change_is_allowed_without_values(world, setup) -> None:
    indicator = indicator_edits.indicator_update(
        access=access_for(world.coordinator),
        indicator=_own(world, setup),
        unit="number",
        scale_min=None,
        scale_max=None,
    )
    assert indicator.unit == "number"


def test_an_adopted_indicator_keeps_the_library_unit_named_on_the_field(world, setup) -> None:
    response = world.client(world.coordinator).post(
        _edit_url(world, setup.life), _form(setup.life, unit="number")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["unit"]
    assert "keeps the library's unit (score on a scale)" in message
    assert Indicator.objects.get(pk=setup.life.pk).unit == "scale"


def test_narrowing_the_scale_below_a_value_is_refused(world, setup) -> None:
    period = _period(world, setup.life)
    services.value_save(
        access=access_for(world.coordinator), period=period, kind="actual", value=D(9)
    )
    with pytest.raises(ValidationError) as error:
        indicator_edits.indicator_update(
            access=access_for(world.coordinator), indicator=setup.life, scale_max=D(8)
        )
    assert "9 in 2025" in error.value.message_dict["scale_max"][0]


def test_removing_a_category_with_values_is_refused(world, setup) -> None:
    access = access_for(world.coordinator)
    indicator = indicator_edits.indicator_update(
        access=access, indicator=setup.life, disaggregations={"gender": ["female", "male"]}
    )
    period = _period(world, indicator)
    services.value_save(
        access=access,
        period=period,
        kind="actual",
        value=D(7),
        dimension="gender",
        category="male",
    )
    indicator.refresh_from_db()
    response = world.client(world.coordinator).post(
        _edit_url(world, indicator), _form(indicator, disaggregations="gender: female, other")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["disaggregations"]
    assert "Values are already reported for gender: male" in message
    # Removing the whole dimension is refused too; adding a category is fine.
    with pytest.raises(ValidationError, match="gender: male"):
        indicator_edits.indicator_update(access=access, indicator=indicator, disaggregations={})
    indicator_edits.indicator_update(
        access=access,
        indicator=indicator,
        disaggregations={"gender": ["female", "male", "other"]},
    )


def test_malformed_disaggregations_name_the_field(world, setup) -> None:
    response = world.client(world.coordinator).post(
        _edit_url(world, setup.life), _form(setup.life, disaggregations="gender female")
    )
    assert "Write each line as a name" in response.context["form"].errors["disaggregations"][0]


def test_stale_form_is_refused(world, setup) -> None:
    stale = _form(setup.life, name="Mine")
    indicator_edits.indicator_update(
        access=access_for(world.project_leader),
        indicator=setup.life,
        expected_version=1,
        name="Theirs",
    )
    response = world.client(world.coordinator).post(_edit_url(world, setup.life), stale)
    assert response.status_code == 200
    assert "Someone else changed this indicator while you were editing" in (
        response.content.decode()
    )
    assert Indicator.objects.get(pk=setup.life.pk).name == "Theirs"


def test_chain_item_must_be_an_output_or_outcome_of_the_initiative(world, setup) -> None:
    access = access_for(world.coordinator)
    activity = services.chain_item_add(
        access=access, initiative=world.internal, level="activity", text="Cooking"
    )
    with pytest.raises(ValidationError) as error:
        indicator_edits.indicator_update(access=access, indicator=setup.life, chain_item=activity)
    assert "chain_item" in error.value.message_dict


# --- periods ----------------------------------------------------------------------------------


def test_period_is_edited_from_the_indicator_page(world, setup) -> None:
    period = _period(world, setup.life)
    url = reverse("measurement:period_edit", args=[world.internal.slug, setup.life.pk, period.pk])
    detail = reverse("measurement:indicator", args=[world.internal.slug, setup.life.pk])
    assert url in world.client(world.coordinator).get(detail).content.decode()
    response = world.client(world.partner).post(
        url, {"label": "2025-H1", "start": "2025-01-01", "end": "2025-06-30"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.label == "2025-H1" and period.end == datetime.date(2025, 6, 30)


def test_period_edit_validates_and_checks_permission(world, setup) -> None:
    period = _period(world, setup.life)
    _period(world, setup.life, "2026")
    url = reverse("measurement:period_edit", args=[world.internal.slug, setup.life.pk, period.pk])
    response = world.client(world.coordinator).post(
        url, {"label": "2025", "start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.context["form"].errors["end"] == ["The period ends before it starts."]
    response = world.client(world.coordinator).post(
        url, {"label": "2026", "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert world.client(world.viewer).get(url).status_code == 403
    assert world.client(world.other_coordinator).get(url).status_code == 404
    other = reverse(
        "measurement:period_edit", args=[world.internal.slug, setup.loneliness.pk, period.pk]
    )
    assert world.client(world.coordinator).get(other).status_code == 404


def test_adopt_form_offers_own_entries_of_the_initiatives_municipality_only(world, setup) -> None:
    base = LibraryIndicator.objects.get(code="participants-reached")
    fields = {
        f.name: getattr(base, f.name)
        for f in LibraryIndicator._meta.fields
        if f.name not in ("id", "code", "municipality", "name")
    }
    LibraryIndicator.objects.create(
        code="home-own", municipality=world.home, name="Home own", **fields
    )
    LibraryIndicator.objects.create(
        code="other-own", municipality=world.other, name="Other own", **fields
    )
    page = world.client(world.coordinator).get(
        reverse("measurement:overview", args=[world.internal.slug])
    )
    choices = [str(entry) for entry in page.context["adopt_form"].fields["library"].queryset]
    assert "Home own" in choices and "Other own" not in choices
