"""For every role, the API of each module opens exactly the initiatives whose module page the
same user may open (registry parity is tested in samskap/registry/tests/test_api.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from samskap.accounts.models import ApiToken
from samskap.conftest import World

PERSONAS = [
    None,
    "coordinator",
    "project_leader",
    "viewer",
    "partner",
    "other_partner",
    "other_coordinator",
]
MODULES = [
    # (page URL name, API path for an initiative)
    ("measurement:overview", "/api/v1/measurement/initiatives/{slug}/indicators"),
    ("health:rounds", "/api/v1/health/initiatives/{slug}/rounds"),
    ("valuation:map", "/api/v1/valuation/initiatives/{slug}"),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page_name", "api_path"), MODULES)
def test_module_api_opens_what_the_module_page_opens(world: World, persona, page_name, api_path):
    user = getattr(world, persona) if persona else None
    page = world.client(user)
    api = Client()
    if user is not None:
        api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'parity')[1]}")
    for initiative in (world.internal, world.public, world.foreign_internal):
        page_ok = page.get(reverse(page_name, args=[initiative.slug])).status_code == 200
        api_ok = api.get(api_path.format(slug=initiative.slug)).status_code == 200
        assert page_ok == api_ok, (persona, initiative.slug)


@pytest.mark.parametrize("persona", PERSONAS)
def test_agreements_api_lists_what_the_pages_show(world: World, persona) -> None:
    from samskap.accounts.models import Organisation
    from samskap.agreements.models import Agreement
    from samskap.agreements.tests.conftest import make_agreement

    unit = Organisation.objects.create(
        name="Unit", slug="unit", kind="municipal_unit", home_municipality=world.home
    )
    make_agreement(world, unit)
    user = getattr(world, persona) if persona else None
    page = world.client(user)
    api = Client()
    if user is not None:
        api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'parity')[1]}")
    response = api.get("/api/v1/agreements/")
    listed = {a["id"] for a in response.json()["items"]} if response.status_code == 200 else set()
    for agreement in Agreement.objects.all():
        page_ok = page.get(agreement.get_absolute_url()).status_code == 200
        assert page_ok == (agreement.pk in listed), persona
