"""Forms people trust: an error summary linking to each field, and a confirmation step (with a
message afterwards) before ending, deleting, sending or withdrawing."""

import re

from django.urls import reverse

from samskap.conftest import World, error_summary
from samskap.registry.models import Participation


def test_the_error_summary_links_to_each_field_with_a_problem(world: World) -> None:
    client = world.client(world.coordinator)
    page = client.post(reverse("registry:initiative_create"), {"title": ""}).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary is not None, "no error summary"
    assert "data-focus" in summary.group(0)
    assert 'href="#id_title"' in summary.group(0)
    # Each link points at a field that is on the page.
    for target in re.findall(r'href="#([^"]+)"', summary.group(0)):
        assert f'id="{target}"' in page


def test_ending_a_participation_asks_first_then_says_it_is_done(world: World) -> None:
    participation = Participation.objects.filter(
        initiative=world.internal, end_date__isnull=True
    ).first()
    assert participation is not None
    client = world.client(world.coordinator)
    url = reverse("registry:participation_end", args=[world.internal.slug, participation.pk])
    page = client.post(url).content.decode()
    assert "Yes, end it today" in page and 'class="danger"' in page
    assert f'href="{world.internal.get_absolute_url()}"' in page  # the way back
    participation.refresh_from_db()
    assert participation.end_date is None
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    participation.refresh_from_db()
    assert participation.end_date is not None
    assert "The participation was ended today." in response.content.decode()


def test_the_confirmation_page_is_refused_to_those_who_may_not_act(world: World) -> None:
    participation = Participation.objects.filter(initiative=world.internal).first()
    url = reverse("registry:participation_end", args=[world.internal.slug, participation.pk])
    assert world.client(world.viewer).post(url).status_code in (403, 404)


def test_a_bad_showcase_filter_is_named_in_the_error_summary(world: World) -> None:
    page = world.client(None).get(reverse("registry:showcase"), {"stage": "nowhere"})
    [(anchor, text)] = error_summary(page.content.decode())
    assert anchor == "id_stage" and text.startswith("Stage: Select a valid choice.")


def test_a_bad_portfolio_filter_is_named_in_the_error_summary(world: World) -> None:
    page = world.client(world.coordinator).get(reverse("registry:portfolio"), {"stage": "x"})
    [(anchor, text)] = error_summary(page.content.decode())
    assert anchor == "id_stage" and text.startswith("Stage: Select a valid choice.")
