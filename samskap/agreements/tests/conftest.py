"""Agreement fixtures on top of the shared ``world``: a municipal unit of Fjordvik and helpers
to create an agreement and fill in every required part."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.accounts.models import Organisation
from samskap.agreements import services
from samskap.agreements.models import Agreement, AgreementTemplate


@dataclass
class AgreementWorld:
    world: object
    unit: Organisation
    agreement: Agreement

    def __getattr__(self, name):
        return getattr(self.world, name)


def make_agreement(world, unit, agreement_type: str = "pilot", language: str = "en") -> Agreement:
    template = AgreementTemplate.objects.get(
        municipality=None, type=agreement_type, language=language
    )
    return services.agreement_create(
        access=access_for(world.coordinator),
        initiative=world.internal,
        template=template,
        municipal_unit=unit,
        partners=[world.partner_org],
    )


def completion(agreement: Agreement) -> dict:
    """The sections that a default template leaves open, filled in."""
    version = services.latest_version(agreement)
    parties = [
        {**p, "contact_name": f"Contact {i}", "contact_email": f"c{i}@example.org"}
        for i, p in enumerate(version.content["parties"])
    ]
    today = timezone.localdate()
    unit_key = parties[0]["key"]
    money = dict(version.content["money"])
    money["items"] = [
        {"payer": unit_key, "description": "Grant", "amount": "250000.00", "due": None}
    ]
    return {
        "goal": "Fewer people eat alone.",
        "parties": parties,
        "project_leader": {"name": "Lea Leader", "email": "lea@example.org", "phone": ""},
        "anchoring": [
            {
                "kind": "plan",
                "body": "Municipal plan, social part",
                "case_number": "",
                "date": None,
                "url": "",
                "description": "",
            },
            {
                "kind": "political_decision",
                "body": "Municipal council",
                "case_number": "24/123",
                "date": (today - datetime.timedelta(days=20)).isoformat(),
                "url": "https://example.org/sak/24-123",
                "description": "",
            },
        ],
        "money": money,
        "term": {
            **version.content["term"],
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=365)).isoformat(),
            "review_dates": [(today + datetime.timedelta(days=30)).isoformat()],
        },
        "transition": {
            "operating_owner": "Varme Hender",
            "funding": "Care budget from next year",
            "decision_date": (today + datetime.timedelta(days=300)).isoformat(),
        },
    }


def complete(world, agreement: Agreement) -> Agreement:
    agreement.refresh_from_db()
    services.agreement_update(
        access=access_for(world.coordinator),
        agreement=agreement,
        expected_lock=agreement.lock_version,
        changes=completion(agreement),
    )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def unit(world) -> Organisation:
    return Organisation.objects.create(
        name="Fjordvik health and care",
        slug="fjordvik-health",
        kind="municipal_unit",
        home_municipality=world.home,
    )


@pytest.fixture
def aw(world, unit) -> AgreementWorld:
    return AgreementWorld(world, unit, make_agreement(world, unit))
