"""One list of what an anonymous visitor sees of an initiative (registry/public.py): the public
page, the API and the open data agree, and none shows an internal field."""

import csv
import datetime
import io

from samskap.registry.models import Initiative
from samskap.registry.public import INTERNAL_FIELDS, PUBLIC_FIELDS, PUBLISHED_RESULTS_FIELDS

CONTACT = "Kari Kontakt"
EMAIL = "kari.kontakt@example.org"


def _public_initiative(world) -> Initiative:
    Initiative.objects.filter(pk=world.public.pk).update(
        contact_name=CONTACT,
        contact_email=EMAIL,
        planned_transition_date=datetime.date(2031, 7, 13),
        operating_owner=world.partner_org,
        target_group="Older people living alone in Fjordvik",
    )
    return Initiative.objects.get(pk=world.public.pk)


def test_page_api_and_open_data_show_the_same_public_fields_and_no_internal_one(world):
    initiative = _public_initiative(world)
    anonymous = world.client(None)
    page = anonymous.get(initiative.get_absolute_url()).content.decode()
    api = anonymous.get(f"/api/v1/registry/initiatives/{initiative.slug}").json()
    opened = anonymous.get("/apne-data/initiativ.json").json()["initiatives"]
    row = next(r for r in opened if r["slug"] == initiative.slug)
    text = anonymous.get("/apne-data/initiativ.csv").content.decode("utf-8-sig")
    csv_row = next(r for r in csv.DictReader(io.StringIO(text)) if r["slug"] == initiative.slug)

    hidden = [CONTACT, EMAIL, "2031", "13.07.2031", world.partner_org.slug]
    for value in hidden[:4]:
        assert value not in page, value
        assert value not in str(api) and value not in str(row) and value not in str(csv_row)
    assert api.get("internal") is None
    # Every key offered to anyone is on the list; the internal fields are not.
    api_keys = set(api) - {"partners", "stories", "history", "internal", "published_results"}
    assert api_keys <= set(PUBLIC_FIELDS), api_keys - set(PUBLIC_FIELDS)
    # The API's published results are the list's published fields, null until published.
    assert api["published_results"] is None
    # Published results are public by the municipality's decision (registry/public.py).
    allowed = set(PUBLIC_FIELDS) | set(PUBLISHED_RESULTS_FIELDS)
    assert set(row) <= allowed and set(csv_row) <= allowed
    assert not set(INTERNAL_FIELDS) & (api_keys | set(row) | set(csv_row))
    # The same public facts in all three.
    for source in (page, str(api), str(row), str(csv_row)):
        assert initiative.target_group in source and initiative.title in source
    # Insiders still see them on the page.
    inside = world.client(world.coordinator).get(initiative.get_absolute_url()).content.decode()
    assert CONTACT in inside and EMAIL in inside
