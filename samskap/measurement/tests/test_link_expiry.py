"""Survey links expire with their time point; withdrawal through the link is possible until
the survey's last time point has closed, then refused with a clear page."""

import datetime

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
