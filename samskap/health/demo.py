"""Fictional health-check rounds for the demo (``samskap demo``), created through the services.

"Matvenner" has two rounds in which the partner sees roles and responsibilities much less clearly
than the municipality (a flagged gap in understanding); "Bo sammen" has three rounds in which
the parties largely agree and improve. Every name and e-mail address is invented. Idempotent:
an initiative that already has rounds is left alone.
"""

import datetime
import random

from django.utils import timezone

from samskap.accounts.access import access_for

from . import services
from .models import Answer, Party, Respondent, Round

MUNICIPAL_NAMES = ["Anne Aas", "Bjørn Berg", "Cecilie Dahl", "Dag Eide", "Eva Fjell", "Frode Gran"]
PARTNER_NAMES = ["Guri Hauge", "Hans Isaksen", "Ida Jensen", "Jon Kvam", "Kari Lie", "Lars Moe"]

# Mean answer per party and item facet (missing facets: the dimension's default) per round.
MATVENNER = [
    {
        Party.MUNICIPALITY: {"understanding": 4.2, "anchoring": 3.9, "commitment": 3.8},
        Party.PARTNER: {
            "understanding": 3.3,
            "roles": 2.2,
            "responsibilities": 2.3,
            "anchoring": 3.6,
            "commitment": 3.4,
        },
    },
    {
        Party.MUNICIPALITY: {"understanding": 4.3, "anchoring": 4.0, "commitment": 3.9},
        Party.PARTNER: {
            "understanding": 3.4,
            "roles": 2.4,
            "responsibilities": 2.6,
            "anchoring": 3.8,
            "commitment": 3.5,
        },
    },
]
BO_SAMMEN = [
    {
        Party.MUNICIPALITY: {"understanding": 3.6, "anchoring": 3.2, "commitment": 3.5},
        Party.PARTNER: {"understanding": 3.4, "anchoring": 3.0, "commitment": 3.6},
    },
    {
        Party.MUNICIPALITY: {"understanding": 3.9, "anchoring": 3.6, "commitment": 3.8},
        Party.PARTNER: {"understanding": 3.7, "anchoring": 3.4, "commitment": 3.9},
    },
    {
        Party.MUNICIPALITY: {"understanding": 4.1, "anchoring": 3.9, "commitment": 4.0},
        Party.PARTNER: {"understanding": 4.0, "anchoring": 3.8, "commitment": 4.1},
    },
]
COMMENTS = {
    "matvenner": "Vi vet ikke alltid hvem i kommunen vi skal ringe når noe skjer på kveldstid.",
    "bo-sammen": "Husreglene har gjort det lettere å snakke sammen.",
}


def _value(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.04:
        return None  # "don't know"
    return min(5, max(1, round(mean + rng.choice([-1, 0, 0, 0, 1]) * 0.8 + rng.uniform(-0.4, 0.4))))


def _play(ctx, slug: str, leader: str, profiles: list[dict], partner_slug: str) -> int:
    initiative = ctx.initiatives.get(slug)
    if initiative is None or Round.objects.filter(initiative=initiative).exists():
        return 0
    access = access_for(ctx.users[leader])
    partner = ctx.organisations[partner_slug]
    rng = random.Random(slug)  # noqa: S311 - demo data, not security
    today = ctx.today
    count = len(profiles)
    for index, profile in enumerate(profiles):
        people = [
            services.RespondentSpec(name, _email(name, slug), Party.MUNICIPALITY)
            for name in MUNICIPAL_NAMES
        ] + [
            services.RespondentSpec(name, _email(name, slug), Party.PARTNER, partner)
            for name in PARTNER_NAMES
        ]
        round_, links = services.round_start(
            access=access,
            initiative=initiative,
            title=f"Runde {index + 1}",
            closes_on=today,
            set_codes=["core"],
            respondents=people,
        )
        round_items = list(round_.round_items.select_related("item__dimension"))
        for number, (respondent, token) in enumerate(links):
            if number == len(links) - 1 and index == count - 1:
                continue  # one person never answers the latest round
            means = profile[respondent.party]
            answers = {}
            for ri in round_items:
                dimension = ri.item.dimension.code
                mean = means.get(ri.item.facet, means[dimension])
                value = _value(rng, mean)
                answers[ri.pk] = services.DONT_KNOW if value is None else str(value)
            comment = COMMENTS[slug] if respondent.party == Party.PARTNER and number == 7 else ""
            services.answers_save(token=token, answers=answers, comment=comment, submit=True)
        services.round_close(access=access, round_=round_)
        # Move the round into the past: one round every four months, the latest a month ago.
        closed = today - datetime.timedelta(days=30 + 120 * (count - 1 - index))
        closed_at = timezone.make_aware(datetime.datetime.combine(closed, datetime.time(15)))
        Round.objects.filter(pk=round_.pk).update(
            opened_at=closed_at - datetime.timedelta(days=14), closes_on=closed, closed_at=closed_at
        )
        Respondent.objects.filter(round=round_, submitted_at__isnull=False).update(
            started_at=closed_at - datetime.timedelta(days=7),
            submitted_at=closed_at - datetime.timedelta(days=3),
        )
    return count


def _email(name: str, slug: str) -> str:
    local = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    return f"{local}.{slug}@example.invalid"


def load_demo(ctx) -> dict[str, int]:
    """Returns totals (not what this run added), so loading twice prints the same counts."""
    _play(ctx, "matvenner", "prosjektleder", MATVENNER, "varme-hender")
    _play(ctx, "bo-sammen", "prosjektleder2", BO_SAMMEN, "varme-hender")
    return {
        "health check rounds": Round.objects.count(),
        "health check answers": Answer.objects.count(),
    }
