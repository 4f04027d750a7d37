"""Decided: a partner whose participation has ended loses the initiative's internal stories,
health results and measurement (it keeps what the public sees)."""

import datetime

from samskap.accounts.access import access_for
from samskap.registry import selectors
from samskap.registry.models import Participation


def test_a_partner_whose_participation_ended_loses_internal_access(world):
    access = access_for(world.partner)
    assert selectors.can_see_internal(access, world.internal)
    assert selectors.initiatives_visible_to(access).filter(pk=world.internal.pk).exists()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)  # noqa: DTZ011
    Participation.objects.filter(initiative=world.internal, organisation=world.partner_org).update(
        end_date=yesterday
    )
    assert not selectors.can_see_internal(access, world.internal)
    assert not selectors.initiatives_visible_to(access).filter(pk=world.internal.pk).exists()
    client = world.client(world.partner)
    slug = world.internal.slug
    for url in (
        world.internal.get_absolute_url(),
        f"/initiativ/{slug}/helsesjekk/",
        f"/initiativ/{slug}/maling/",
    ):
        assert client.get(url).status_code == 404, url
    # The public initiative stays visible to them as to anyone.
    assert client.get(world.public.get_absolute_url()).status_code == 200
