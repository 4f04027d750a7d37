"""Fictional measurement demo: results chains, indicators and before/after surveys.

- ``matvenner`` (dinner friends): a real improvement — life satisfaction up, loneliness down;
- ``ungdomsloftet`` (youth loft): no change in belonging;
- ``arbeidstrening-kafe`` (work-training café): participation up, and one negative unintended
  effect — anxiety rose among participants (recorded as an unintended negative outcome);
- ``turvenner``, ``lesevenn``, ``reparasjonskafe`` (Fjordvik) and ``bo-sammen`` (Bjørkelia) also
  measure life satisfaction, with different effects, for the library's synthesis (forest plot).

Answers are drawn from a fixed random seed, so the demo is the same every time. Idempotent: an
initiative that already has a demo survey is left alone.
"""

import datetime
from decimal import Decimal

import numpy as np

from samskap.accounts.access import access_for

from . import services, surveys
from .models import Answer, LibraryIndicator, Programme, Survey
from .programmes import programme_choices, programme_save

PLANS = {
    "matvenner": {
        "chain": [
            ("input", "Frivillige og et kjøkken", "", True, "positive"),
            ("activity", "Felles middag hver uke", "", True, "positive"),
            ("output", "Middager holdt og gjester nådd", "", True, "positive"),
            (
                "outcome",
                "Mindre ensomhet, høyere livstilfredshet",
                "Eldre som bor alene",
                True,
                "positive",
            ),
            ("impact", "Færre isolert hjemme", "", True, "positive"),
        ],
        "items": {"life-satisfaction": (5.2, 1.3), "ucla-loneliness-3": (6.8, -1.6)},
        "pairs": 24,
    },
    "ungdomsloftet": {
        "chain": [
            ("activity", "Åpent loft etter skoletid", "", True, "positive"),
            ("outcome", "Sterkere tilhørighet", "Ungdom 13–18 år", True, "positive"),
        ],
        "items": {"belonging": (6.0, 0.0)},
        "pairs": 15,
    },
    "arbeidstrening-kafe": {
        "chain": [
            ("activity", "Arbeidstrening i kafeen", "", True, "positive"),
            (
                "outcome",
                "Mer deltakelse i arbeid og aktiviteter",
                "Unge voksne utenfor arbeid",
                True,
                "positive",
            ),
            (
                "outcome",
                "Mer uro av kundekontakt",
                "Unge voksne utenfor arbeid",
                False,
                "negative",
            ),
        ],
        "items": {"participation": (2.0, 1.5), "ons-anxiety": (4.0, 1.2)},
        "pairs": 18,
    },
    # More initiatives measuring life satisfaction, so that the library's synthesis page shows
    # a forest plot of several (different effects: one large, one none).
    "turvenner": {
        "chain": [
            ("activity", "Turer i nærmiljøet to ganger i uka", "", True, "positive"),
            ("outcome", "Bedre livskvalitet", "Eldre som bor alene", True, "positive"),
        ],
        "items": {"life-satisfaction": (5.6, 0.9)},
        "pairs": 20,
    },
    "lesevenn": {
        "chain": [
            ("activity", "Lesestunder med frivillige", "", True, "positive"),
            ("outcome", "Bedre livskvalitet", "Eldre i omsorgsbolig", True, "positive"),
        ],
        "items": {"life-satisfaction": (6.2, 0.2)},
        "pairs": 16,
    },
    "reparasjonskafe": {
        "chain": [
            ("activity", "Reparasjonskafé hver måned", "", True, "positive"),
            ("outcome", "Mer mestring og livskvalitet", "Innbyggere", True, "positive"),
        ],
        "items": {"life-satisfaction": (6.0, 0.6)},
        "pairs": 14,
    },
    "bo-sammen": {
        "user": "koordinator2",
        "chain": [
            ("activity", "Studenter og eldre bor sammen", "", True, "positive"),
            ("outcome", "Bedre livskvalitet", "Eldre som bor alene", True, "positive"),
        ],
        "items": {"life-satisfaction": (5.0, 1.8)},
        "pairs": 12,
    },
}


def _answers(survey, rng, code: str, means: dict, after: bool) -> dict:
    answers = {}
    for item in survey.survey_items.select_related("library"):
        library = item.library
        start, change = means[library.code]
        questions = len(library.questions)
        target = start + (change if after else 0.0)
        per_question = target / questions
        for number in range(1, questions + 1):
            value = int(round(rng.normal(per_question, 1.0)))
            answers[(item.pk, number)] = max(library.answer_min, min(library.answer_max, value))
    return answers


def _demo_programme(access, demo: list) -> None:
    """One programme grouping the demo initiatives of the first one's municipality, so its page
    shows a total (participants reached) computed from their approved values."""
    if not demo or Programme.objects.filter(slug=DEMO_PROGRAMME).exists():
        return
    municipality = demo[0].municipality
    owned = set(programme_choices(municipality).values_list("pk", flat=True))
    programme_save(
        access=access,
        municipality=municipality,
        name="Sammen i hverdagen (demo)",
        slug=DEMO_PROGRAMME,
        initiatives=[initiative for initiative in demo if initiative.pk in owned],
    )


DEMO_PROGRAMME = "sammen-i-hverdagen-demo"


def load_demo(ctx) -> dict[str, int]:
    for slug, plan in PLANS.items():
        initiative = ctx.initiatives.get(slug)
        if initiative is None or initiative.surveys.exists():
            continue
        access = access_for(ctx.users[plan.get("user", "koordinator")])
        rng = np.random.default_rng(sum(map(ord, slug)))
        items = {}
        for level, text, for_whom, intended, valence in plan["chain"]:
            items[text] = services.chain_item_add(
                access=access,
                initiative=initiative,
                level=level,
                text=text,
                for_whom=for_whom,
                intended=intended,
                valence=valence,
            )
        outcomes = [i for i in items.values() if i.level == "outcome"]
        library = {
            lib.code: lib
            for lib in LibraryIndicator.objects.filter(
                code__in=list(plan["items"]) + ["participants-reached"], municipality=None
            )
        }
        for code in plan["items"]:
            # The anxiety item measures the unintended negative outcome.
            outcome = outcomes[-1] if code == "ons-anxiety" else outcomes[0]
            services.indicator_adopt(
                access=access, initiative=initiative, library=library[code], chain_item=outcome
            )
        outputs = [i for i in items.values() if i.level == "output"]
        if outputs:
            reached = services.indicator_adopt(
                access=access,
                initiative=initiative,
                library=library["participants-reached"],
                chain_item=outputs[0],
            )
            year = ctx.today.year
            period = services.period_add(
                access=access,
                indicator=reached,
                label=str(year),
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
            )
            # The project leader reports; the coordinator approves (a second person).
            leader = access_for(ctx.users["prosjektleder"])
            for kind, number in (("baseline", 0), ("target", 40), ("actual", 31)):
                value = services.value_save(
                    access=leader,
                    period=period,
                    kind=kind,
                    value=Decimal(number),
                    measured_on=ctx.today,
                )
                value = services.value_submit(access=leader, value=value)
                services.value_approve(access=access, value=value)
        survey = surveys.survey_create(
            access=access,
            initiative=initiative,
            title="Før og etter (demo)",
            purpose="Vi vil vite om tiltaket gjør hverdagen bedre for deg.",
            consent_text="Svarene lagres under en kode, aldri navnet ditt. Du kan trekke deg.",
            items=[library[code] for code in plan["items"]],
        )
        start = ctx.today - datetime.timedelta(days=180)
        before = surveys.time_point_add(access=access, survey=survey, kind="before", opens_on=start)
        after = surveys.time_point_add(
            access=access, survey=survey, kind="after", opens_on=ctx.today
        )
        people = surveys.participants_create(
            access=access, initiative=initiative, count=plan["pairs"] + 3
        )
        for n, participant in enumerate(people):
            points = [(before, False)] if n >= plan["pairs"] else [(before, False), (after, True)]
            for point, is_after in points:
                answers = _answers(survey, rng, participant.code, plan["items"], is_after)
                surveys.paper_entry(
                    access=access, time_point=point, code=participant.code, answers=answers
                )
    demo = [ctx.initiatives[slug] for slug in PLANS if slug in ctx.initiatives]
    _demo_programme(access_for(ctx.users["koordinator"]), demo)
    # Totals, not what this run added: loading twice reports the same counts.
    return {
        "measurement surveys": Survey.objects.filter(initiative__in=demo).count(),
        "measurement answers": Answer.objects.filter(
            response__time_point__survey__initiative__in=demo
        ).count(),
    }
