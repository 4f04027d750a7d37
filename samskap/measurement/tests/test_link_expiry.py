"""Survey links expire with their time point; withdrawal through the link is possible until
the survey's last time point has closed, then refused with a clear page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.measurement import surveys
from samskap.measurement.models import Participant, TimePoint


def test_a_link_closes_with_its_time_point_and_withdrawal_with_the_survey(world, setup):
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    (_code, token), *_ = surveys.links_issue(access=access, time_point=setup.before)
    client = world.client(None)
    answer = reverse("measurement:respond", args=[token])
    withdraw = reverse("measurement:withdraw", args=[token])
    assert client.get(answer).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    TimePoint.objects.filter(pk=setup.before.pk).update(closes_on=yesterday)
    response = client.get(answer)
    assert response.status_code == 410 and "This link is closed" in response.content.decode()
    # The after time point is still open (no closing date): withdrawal still works.
    assert client.get(withdraw).status_code == 200
    TimePoint.objects.filter(pk=setup.after.pk).update(closes_on=yesterday)
    response = client.post(withdraw, {"confirm": "yes"})
    assert response.status_code == 410 and "contact the initiative" in response.content.decode()
    assert not Participant.objects.filter(withdrawn_at__isnull=False).exists()


def test_the_closing_date_is_set_on_the_survey_page_and_checked(world, setup):
    """The closing date has a form field: when a time point is added and afterwards; a date
    before the opening is refused, naming the field; the links then close on that day."""
    client = world.client(world.coordinator)
    page = reverse("measurement:survey", args=[world.internal.slug, setup.survey.pk])
    assert 'name="closes_on"' in client.get(page).content.decode()

    response = client.post(
        page,
        {
            "time_point": "1",
            "kind": "follow_up",
            "opens_on": "2025-09-01",
            "closes_on": "2025-08-31",
        },
    )
    assert response.status_code == 400
    form = response.context["time_point_form"]
    assert form.errors["closes_on"] == ["The closing date cannot be before the opening date."]
    assert not setup.survey.time_points.filter(kind="follow_up").exists()

    response = client.post(
        page,
        {
            "time_point": "1",
            "kind": "follow_up",
            "opens_on": "2025-09-01",
            "closes_on": "2025-09-30",
        },
    )
    assert response.status_code == 302
    follow_up = setup.survey.time_points.get(kind="follow_up")
    assert follow_up.closes_on == datetime.date(2025, 9, 30)

    # Changing the closing date of the "before" time point (opens 2025-01-01).
    refused = client.post(
        page, {"closing": "1", "point": setup.before.pk, "closes_on": "2024-12-31"}
    )
    assert refused.status_code == 400
    assert "closes_on" in refused.context["closing_form"].errors
    setup.before.refresh_from_db()
    assert setup.before.closes_on is None
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    saved = client.post(
        page, {"closing": "1", "point": setup.before.pk, "closes_on": yesterday.isoformat()}
    )
    assert saved.status_code == 302
    setup.before.refresh_from_db()
    assert setup.before.closes_on == yesterday

    # The personal link of that time point is now closed.
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    (_code, token), *_ = surveys.links_issue(access=access, time_point=setup.before)
    assert world.client(None).get(reverse("measurement:respond", args=[token])).status_code == 410

    # Cleared again: the links answer.
    client.post(page, {"closing": "1", "point": setup.before.pk, "closes_on": ""})
    setup.before.refresh_from_db()
    assert setup.before.closes_on is None


def test_the_service_refuses_a_closing_date_before_the_opening(world, setup):
    access = access_for(world.coordinator)
    with pytest.raises(ValidationError) as refused:
        surveys.time_point_close(
            access=access, point=setup.after, closes_on=setup.after.opens_on - datetime.timedelta(1)
        )
    assert "closes_on" in refused.value.message_dict
    setup.after.refresh_from_db()
    assert setup.after.closes_on is None
