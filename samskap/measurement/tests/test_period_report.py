"""A period reported in one step, and approval by a second person (issue 16)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.measurement import services
from samskap.measurement.models import IndicatorValue, Status


@pytest.fixture
def period(world, setup):
    return services.period_add(
        access=access_for(world.coordinator),
        indicator=setup.life,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )


def _page(world, setup):
    return reverse("measurement:indicator", args=[world.internal.slug, setup.life.pk])


def test_one_form_one_button_sends_the_whole_period_for_approval(world, setup, period):
    client = world.client(world.project_leader)
    data = {
        "report": "submit",
        "period": period.pk,
        "baseline_value": "5.5",
        "target_value": "7",
        "actual_value": "6.5",
        "method": "Survey",
    }
    response = client.post(_page(world, setup), data, follow=True)
    assert "3 values sent for approval." in response.content.decode()
    values = IndicatorValue.objects.filter(period=period)
    assert {v.kind: (v.value, v.status) for v in values} == {
        "baseline": (Decimal("5.5"), Status.SUBMITTED),
        "target": (Decimal("7"), Status.SUBMITTED),
        "actual": (Decimal("6.5"), Status.SUBMITTED),
    }


def test_a_bad_value_saves_none_of_the_period_and_names_the_field(world, setup, period):
    client = world.client(world.project_leader)
    data = {
        "report": "submit",
        "period": period.pk,
        "baseline_value": "5",
        "actual_value": "99",
    }  # life satisfaction is 0–10
    page = client.post(_page(world, setup), data).content.decode()
    assert 'href="#id_actual_value"' in page  # the error summary links to the field
    assert not IndicatorValue.objects.filter(period=period).exists()


def test_the_person_who_entered_a_value_cannot_approve_it(world, setup, period):
    leader, coordinator = access_for(world.project_leader), access_for(world.coordinator)
    (value,) = services.period_report(
        access=leader, period=period, entries={"actual": {"value": Decimal("6")}}
    )
    with pytest.raises(ValidationError, match="someone else must approve"):
        services.value_approve(access=leader, value=value)
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED
    page = world.client(world.project_leader).get(_page(world, setup)).content.decode()
    assert "Waiting for approval by someone else" in page
    approved = services.value_approve(access=coordinator, value=value)
    assert approved.status == Status.APPROVED and approved.reviewed_by == world.coordinator


def test_a_municipality_may_let_one_person_enter_and_approve(world, setup, period):
    Municipality.objects.filter(pk=world.home.pk).update(four_eyes_approval=False)
    leader = access_for(world.project_leader)
    (value,) = services.period_report(
        access=leader, period=period, entries={"actual": {"value": Decimal("6")}}
    )
    assert services.value_approve(access=leader, value=value).status == Status.APPROVED


def test_four_eyes_is_on_by_default(db):
    assert Municipality(name="New", slug="new", number="9903").four_eyes_approval is True
