"""Fictional demo value maps (``samskap demo``), with ranges. Idempotent: a map that exists is
left as it is. Figures are invented for the demo; sources say so."""

from __future__ import annotations

from samskap.accounts.access import access_for

from . import services
from .models import ValueMap
from .valuemap import parse

# Data of the fictional Norwegian municipality, so in its language (like the initiatives).
DEMO_SOURCE = "Demotall (fiktivt) – erstatt med en dokumentert kilde"

MAPS = {
    "matvenner": (
        "koordinator",
        {
            "title": "Matvenner: middag i fellesskap",
            "price_year": 2025,
            "discounting": {"rate": 0.04, "first_year": "undiscounted"},
            "wellbeing": {
                "value_per_point": {"low": 15000, "central": 25000, "high": 35000},
                "source": DEMO_SOURCE,
            },
            "inputs": [
                {
                    "stakeholder": "Fjordvik kommune",
                    "description": "Tilskudd og lokaler",
                    "amount": {"low": 380000, "central": 420000, "high": 480000},
                },
                {
                    "stakeholder": "Frivillige",
                    "description": "Frivillige kokker og verter",
                    "hours": 900,
                    "hourly_value": 450,
                },
            ],
            "outcomes": [
                {
                    "stakeholder": "Eldre deltakere",
                    "outcome": "Mindre ensomhet",
                    "indicator": "Endring i livstilfredshet (0–10)",
                    "quantity": {"low": 25, "central": 35, "high": 40},
                    "life_satisfaction": {"low": 0.2, "central": 0.4, "high": 0.7},
                    "duration": 2,
                    "deadweight": {"low": 0.1, "central": 0.2, "high": 0.3},
                    "attribution": {"low": 0.1, "central": 0.2, "high": 0.35},
                    "drop_off": 0.3,
                    "evidence": {
                        "deadweight": {
                            "level": "low",
                            "source": "Samtaler med hjemmetjenesten",
                            "rationale": "Noen ville fått besøk uansett.",
                        }
                    },
                },
                {
                    "stakeholder": "Fjordvik kommune",
                    "outcome": "Færre ernæringsrelaterte innleggelser",
                    "quantity": {"low": 1, "central": 2, "high": 4},
                    "proxy": {"low": 60000, "central": 80000, "high": 110000},
                    "proxy_source": DEMO_SOURCE,
                    "duration": 1,
                    "deadweight": {"low": 0.2, "central": 0.3, "high": 0.5},
                    "attribution": {"low": 0.2, "central": 0.3, "high": 0.5},
                    "drop_off": 0.5,
                    "payer": "municipality",
                },
                {"stakeholder": "Pårørende", "outcome": "Mindre bekymring", "quantity": 20},
            ],
        },
    ),
    "arbeidstrening-kafe": (
        "koordinator",
        {
            "title": "Arbeidstrening i kafé",
            "price_year": 2025,
            "discounting": {"rate": 0.04, "first_year": "undiscounted"},
            # Consumer price index (2015 = 100), demo values in the shape of SSB table 03014.
            "price_index": {"2023": 131.0, "2024": 135.0, "2025": 138.5},
            "cost_benefit": {"analysis_period": 10},
            # More participants in work means fewer on social assistance: the two quantities
            # move together.
            "correlations": {"uptake": 0.7},
            "inputs": [
                {
                    "stakeholder": "Fjordvik kommune",
                    "description": "Veiledere",
                    "amount": {"low": 900000, "central": 1000000, "high": 1150000},
                    "payer": "municipality",
                },
                {
                    "stakeholder": "NAV",
                    "description": "Tiltaksmidler",
                    "amount": 400000,
                    "year": 1,
                    "payer": "state",
                },
            ],
            "outcomes": [
                {
                    "stakeholder": "Deltakere",
                    "outcome": "I arbeid eller utdanning",
                    "indicator": "Antall i jobb eller utdanning etter 12 måneder",
                    "quantity": {"low": 4, "central": 7, "high": 10, "group": "uptake"},
                    "proxy": {"low": 130160, "central": 200000, "high": 260000},
                    "proxy_source": DEMO_SOURCE,
                    "proxy_price_year": 2023,
                    "duration": 3,
                    "starts": "after",
                    "deadweight": {"low": 0.15, "central": 0.25, "high": 0.4},
                    "displacement": 0.05,
                    "attribution": {"low": 0.2, "central": 0.3, "high": 0.4},
                    "drop_off": {"low": 0.2, "central": 0.3, "high": 0.4},
                    "payer": "state",
                },
                {
                    "stakeholder": "Fjordvik kommune",
                    "outcome": "Mindre økonomisk sosialhjelp",
                    "quantity": {"low": 3, "central": 5, "high": 7, "group": "uptake"},
                    "proxy": 90000,
                    "proxy_source": DEMO_SOURCE,
                    "duration": 2,
                    "starts": "after",
                    "deadweight": 0.3,
                    "attribution": 0.3,
                    "drop_off": 0.3,
                    "payer": "municipality",
                    # Social assistance no longer paid is a transfer: the municipality saves
                    # what the recipient no longer receives, so it is zero for society.
                    "flow": "transfer",
                },
            ],
        },
    ),
    "aktiv-fritid": (
        "koordinator2",
        {
            "title": "Aktiv fritid for alle",
            "price_year": 2025,
            "discounting": {"schedule": "R-109", "first_year": "undiscounted"},
            "inputs": [
                {
                    "stakeholder": "Bjørkelia kommune",
                    "description": "Fritidskortet og koordinator",
                    "amount": {"low": 550000, "central": 600000, "high": 700000},
                }
            ],
            "outcomes": [
                {
                    "stakeholder": "Barn og unge",
                    "outcome": "Deltar jevnlig i en fritidsaktivitet",
                    "quantity": {"low": 40, "central": 60, "high": 80},
                    "proxy": {"low": 5000, "central": 8000, "high": 12000},
                    "proxy_source": DEMO_SOURCE,
                    "duration": 2,
                    "deadweight": {"low": 0.2, "central": 0.35, "high": 0.5},
                    "attribution": {"low": 0.1, "central": 0.2, "high": 0.3},
                    "drop_off": 0.4,
                }
            ],
        },
    ),
}


def load_demo(ctx) -> dict[str, int]:
    created = 0
    for slug, (username, data) in MAPS.items():
        initiative = ctx.initiatives.get(slug)
        user = ctx.users.get(username)
        if initiative is None or user is None:
            continue
        if ValueMap.objects.filter(initiative=initiative).exists():
            continue
        access = access_for(user)
        value_map = services.value_map_create(access=access, initiative=initiative)
        services.value_map_import(
            access=access, value_map=value_map, expected_version=1, source=parse(data)
        )
        created += 1
    _connect_matvenner(ctx)
    _publish_elsewhere(ctx)
    return {"value maps": ValueMap.objects.filter(initiative__in=ctx.initiatives.values()).count()}


def _connect_matvenner(ctx) -> None:
    """The chain survey → paired result → value-map quantity → ratio with band → public page:
    Matvenner's "Mindre ensomhet" counts the participants whose life satisfaction improved in
    the demo survey (linked, reviewed) and its results are published. Idempotent."""
    from samskap.measurement.models import SurveyItem

    from .models import LinkKind, MeasurementLink, ResultsPublication
    from .publication import results_publish

    initiative = ctx.initiatives.get("matvenner")
    user = ctx.users.get("koordinator")
    value_map = ValueMap.objects.filter(initiative=initiative).first()
    if initiative is None or user is None or value_map is None:
        return
    access = access_for(user)
    outcome = value_map.outcomes.filter(outcome="Mindre ensomhet").first()
    item = SurveyItem.objects.filter(
        survey__initiative=initiative, library__code="life-satisfaction"
    ).first()
    if (
        outcome is not None
        and item is not None
        and not MeasurementLink.objects.filter(outcome=outcome).exists()
    ):
        services.link_set(
            access=access,
            value_map=value_map,
            expected_version=value_map.version,
            outcome=outcome,
            kind=LinkKind.IMPROVED,
            survey_item=item,
        )
        services.links_mark_reviewed(access=access, value_map=value_map)
    if not ResultsPublication.objects.filter(initiative=initiative).exists():
        results_publish(access=access, initiative=initiative, publish=True)


def _publish_elsewhere(ctx) -> None:
    """Bjørkelia publishes Bo sammen's results, so Fjordvik's synthesis of life satisfaction
    shows an initiative of another municipality beside its own. Idempotent."""
    from .models import ResultsPublication
    from .publication import results_publish

    initiative = ctx.initiatives.get("bo-sammen")
    user = ctx.users.get("koordinator2")
    if initiative is None or user is None:
        return
    if not ResultsPublication.objects.filter(initiative=initiative).exists():
        results_publish(access=access_for(user), initiative=initiative, publish=True)
