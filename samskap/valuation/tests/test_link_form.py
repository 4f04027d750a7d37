"""The page that links an outcome's number to a measurement (issue 17)."""

import datetime

from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import services as measurement
from samskap.measurement.models import LibraryIndicator
from samskap.valuation.models import MeasurementLink
from samskap.valuation.tests.test_links import _map


def test_an_editor_links_an_outcome_on_its_page_and_others_cannot(world) -> None:
    value_map = _map(world)
    outcome = value_map.outcomes.get()
    access = access_for(world.coordinator)
    item = measurement.chain_item_add(
        access=access, initiative=world.internal, level="output", text="Reach"
    )
    indicator = measurement.indicator_adopt(
        access=access,
        initiative=world.internal,
        library=LibraryIndicator.objects.get(code="participants-reached"),
        chain_item=item,
    )
    period = measurement.period_add(
        access=access,
        indicator=indicator,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    url = reverse("valuation:link_edit", args=[world.internal.slug, outcome.pk])
    assert world.client(world.viewer).get(url).status_code == 403
    page = world.client(world.coordinator).get(url)
    assert page.status_code == 200 and "Participants reached: 2025" in page.content.decode()
    value_map.refresh_from_db()
    response = world.client(world.coordinator).post(
        url, {"kind": "indicator", "period": period.pk, "expected_version": value_map.version}
    )
    assert response.status_code == 302
    link = MeasurementLink.objects.get(outcome=outcome)
    assert link.period == period and link.reviewed_at is None
    # A measure is needed for a survey link: the message names the field.
    value_map.refresh_from_db()
    response = world.client(world.coordinator).post(
        url, {"kind": "improved", "expected_version": value_map.version}
    )
    assert response.status_code == 200 and "survey_item" in response.context["form"].errors
