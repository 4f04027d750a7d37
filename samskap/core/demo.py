"""Fictional demo data: two invented municipalities, their partners and initiatives.

Every name here is invented. Municipality numbers 9901 and 9902 are not used by Statistics
Norway. Loading twice changes nothing: rows are found by their natural keys first.
Initiatives are created and moved through the lifecycle by the same services the pages use,
so the demo history is a real history; only its dates are moved into the past afterwards.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.accounts.models import Membership, Municipality, Organisation, Role, User
from samskap.core.extensions import DemoContext, load_demos
from samskap.registry import lifecycle, services
from samskap.registry.models import Initiative, Sector, Stage, StageChange, Story

DEMO_PASSWORD = "samskap-demo"  # noqa: S105 - printed to the user; refused in production

MUNICIPALITIES = [
    {
        "slug": "fjordvik",
        "name": "Fjordvik kommune (fiktiv)",
        "number": "9901",
        "county": "Demo fylke",
    },
    {
        "slug": "bjorkelia",
        "name": "Bjørkelia kommune (fiktiv)",
        "number": "9902",
        "county": "Demo fylke",
    },
]

ORGANISATIONS = [
    ("fjordvik-helse-og-omsorg", "Fjordvik helse og omsorg (fiktiv)", "municipal_unit", "fjordvik"),
    ("bjorkelia-oppvekst", "Bjørkelia oppvekst (fiktiv)", "municipal_unit", "bjorkelia"),
    ("varme-hender", "Varme Hender SA (fiktiv)", "social_enterprise", None),
    ("gronn-klover", "Grønn Kløver AS (fiktiv)", "social_enterprise", None),
    ("fjordvik-frivilligsentral", "Fjordvik frivilligsentral (fiktiv)", "voluntary", "fjordvik"),
    ("idrettslaget-orn", "Idrettslaget Ørn (fiktiv)", "voluntary", "bjorkelia"),
    ("fjordbakeriet", "Fjordbakeriet AS (fiktiv)", "business", "fjordvik"),
    ("nabolaget-solsiden", "Nabolaget Solsiden (fiktiv)", "citizen_group", "fjordvik"),
    ("kyst-forskning", "Kystforskning (fiktivt forskningsinstitutt)", "research", None),
    ("demo-fylkesbibliotek", "Demo fylkesbibliotek (fiktivt)", "other_public", None),
]

USERS = [
    # username, first name, last name, role, municipality slug or None, organisation slug or None
    ("admin", "Ada", "Administrator", Role.ADMINISTRATOR, "fjordvik", None),
    ("koordinator", "Kari", "Koordinator", Role.COORDINATOR, "fjordvik", None),
    ("prosjektleder", "Per", "Prosjektleder", Role.PROJECT_LEADER, "fjordvik", None),
    ("leser", "Lise", "Leser", Role.VIEWER, "fjordvik", None),
    ("partner", "Pål", "Partner", Role.PARTNER, None, "varme-hender"),
    ("koordinator2", "Berit", "Bjørk", Role.COORDINATOR, "bjorkelia", None),
    ("prosjektleder2", "Bjørn", "Bakke", Role.PROJECT_LEADER, "bjorkelia", None),
]

PATH_TO = {stage: lifecycle.OPEN_PATH[: i + 1] for i, stage in enumerate(lifecycle.OPEN_PATH)}

# slug, municipality, title, need, target group, sectors, final stage, visibility, logic,
# leader, partners [(org, role)], stories [(kind, title, text, visibility)]
INITIATIVES = [
    (
        "matvenner",
        "fjordvik",
        "Matvenner: middag i fellesskap",
        "«Jeg spiser alene hver dag, og da gidder jeg ikke lage mat.»",
        "Hjemmeboende eldre som bor alene og kjenner på ensomhet",
        ["elderly_care", "health"],
        Stage.OPERATION,
        "public",
        "network",
        "prosjektleder",
        [("varme-hender", "operator"), ("fjordvik-frivilligsentral", "co_creator")],
        [
            (
                "success",
                "Fra fire til førti gjester",
                "Det startet med fire gjester i kantina. Nå kommer førti hver tirsdag.",
                "public",
            ),
            (
                "negative_effect",
                "Noen følte seg presset til å delta",
                "To deltakere sa at hjemmetjenesten «maste» om middagen. Vi endret invitasjonen.",
                "public",
            ),
        ],
    ),
    (
        "ungdomsloftet",
        "fjordvik",
        "Ungdomsloftet",
        "«Det finnes ingen steder å være etter skolen uten å måtte kjøpe noe.»",
        "Ungdom 13–18 år",
        ["children_youth", "culture"],
        Stage.PILOT,
        "public",
        "network",
        "prosjektleder",
        [("nabolaget-solsiden", "user_representative"), ("fjordbakeriet", "funder")],
        [
            (
                "challenge",
                "Hvem låser døra?",
                "Ansvaret for lokalene om kvelden var uklart de første ukene.",
                "public",
            )
        ],
    ),
    (
        "arbeidstrening-kafe",
        "fjordvik",
        "Arbeidstrening i kafé",
        "«Jeg vil jobbe, men ingen tør å gi meg en sjanse.»",
        "Unge voksne utenfor arbeid",
        ["work_inclusion"],
        Stage.OPERATIONS_DECISION,
        "public",
        "market",
        "prosjektleder",
        [("gronn-klover", "operator"), ("kyst-forskning", "research_partner")],
        [
            (
                "lesson",
                "Følg opp hver enkelt",
                "Ukentlige samtaler var viktigere enn selve kurset.",
                "public",
            )
        ],
    ),
    (
        "gronne-tak",
        "fjordvik",
        "Grønne tak på sykehjemmet",
        "«Beboerne savner å kjenne jord mellom fingrene.»",
        "Beboere på sykehjem og naboer",
        ["environment", "elderly_care"],
        Stage.TRANSITION,
        "public",
        "network",
        "prosjektleder",
        [("gronn-klover", "co_creator")],
        [],
    ),
    (
        "lesevenn",
        "fjordvik",
        "Lesevenn",
        "«Barna mine vil at noen skal lese for dem på norsk.»",
        "Barn 4–8 år i familier med annet morsmål",
        ["children_youth", "integration", "culture"],
        Stage.SPREAD,
        "public",
        "network",
        "prosjektleder",
        [("demo-fylkesbibliotek", "co_creator"), ("fjordvik-frivilligsentral", "operator")],
        [
            (
                "success",
                "Spredt til tre bibliotek",
                "Modellen brukes nå ved tre bibliotek i fylket.",
                "public",
            )
        ],
    ),
    (
        "trygg-hjemme",
        "fjordvik",
        "Trygg hjemme med sensorer",
        "«Jeg vil bo hjemme, men jeg er redd for å falle om natta.»",
        "Eldre med fallrisiko",
        ["elderly_care", "health"],
        Stage.INSIGHT,
        "internal",
        "market",
        "prosjektleder",
        [("fjordvik-helse-og-omsorg", "owner")],
        [],
    ),
    (
        "turvenner",
        "fjordvik",
        "Turvenner",
        "«Legen sier jeg må gå tur, men jeg går ikke alene.»",
        "Voksne med lav fysisk aktivitet",
        ["health", "local_community"],
        Stage.ANCHORING,
        "public",
        "network",
        None,
        [("fjordvik-frivilligsentral", "co_creator")],
        [],
    ),
    (
        "reparasjonskafe",
        "fjordvik",
        "Reparasjonskafé",
        "«Det er synd å kaste ting som bare trenger en ny knapp.»",
        "Alle innbyggere",
        ["environment", "local_community"],
        Stage.IDEA,
        "internal",
        "network",
        None,
        [],
        [],
    ),
    (
        "nattvandring-app",
        "fjordvik",
        "App for nattevandrere",
        "«Vi vet ikke hvor de andre nattevandrerne er.»",
        "Foreldre som nattevandrer",
        ["children_youth"],
        Stage.REJECTED,
        "public",
        "market",
        "prosjektleder",
        [("fjordbakeriet", "funder")],
        [],
    ),
    (
        "bo-sammen",
        "bjorkelia",
        "Bo sammen – studenter og eldre",
        "«Jeg har et stort hus og et tomt soverom.»",
        "Eldre med ledig rom og studenter",
        ["elderly_care", "housing"],
        Stage.PILOT,
        "public",
        "network",
        "prosjektleder2",
        [("varme-hender", "co_creator"), ("idrettslaget-orn", "other")],
        [
            (
                "lesson",
                "Avtal husregler tidlig",
                "Skriftlige husregler fra første dag forebygget konflikter.",
                "public",
            )
        ],
    ),
    (
        "aktiv-fritid",
        "bjorkelia",
        "Aktiv fritid for alle",
        "«Det koster for mye å være med på fotball.»",
        "Barn i familier med lav inntekt",
        ["children_youth", "culture", "health"],
        Stage.OPERATION,
        "public",
        "hierarchy",
        "prosjektleder2",
        [("idrettslaget-orn", "operator"), ("bjorkelia-oppvekst", "owner")],
        [("success", "Ingen står på venteliste", "Alle som søkte fikk plass i høst.", "public")],
    ),
    (
        "jobbvenn",
        "bjorkelia",
        "Jobbvenn",
        "«Jeg trenger noen som kan hjelpe meg å forstå arbeidslivet.»",
        "Nyankomne innvandrere",
        ["work_inclusion", "integration"],
        Stage.CLOSED,
        "public",
        "network",
        "prosjektleder2",
        [("kyst-forskning", "research_partner")],
        [],
    ),
    (
        "mestringskurs",
        "bjorkelia",
        "Mestringskurs for pårørende",
        "«Jeg er sliten av å være pårørende og vet ikke hvem jeg kan spørre.»",
        "Pårørende til personer med demens",
        ["health", "elderly_care"],
        Stage.INSIGHT,
        "internal",
        "hierarchy",
        "prosjektleder2",
        [],
        [],
    ),
    (
        "felles-innkjop",
        "bjorkelia",
        "Felles innkjøp av velferdsteknologi",
        "«Hver kommune kjøper alene og betaler for mye.»",
        "Kommunens tjenester",
        ["elderly_care"],
        Stage.ANCHORING,
        "internal",
        "market",
        "prosjektleder2",
        [("gronn-klover", "other")],
        [],
    ),
]

TERMINAL_LESSONS = {
    "nattvandring-app": (
        "Behovet var ikke en app",
        "Nattevandrerne ønsket et møtested, ikke en app.",
    ),
    "jobbvenn": (
        "Avsluttet etter forskningsperioden",
        "Tiltaket ble avsluttet da finansieringen stoppet. Lærdom: planlegg drift før piloten.",
    ),
}


def _stage_requirements(
    slug: str, target: str, today: datetime.date, operator: Organisation
) -> dict:
    if target == Stage.PILOT:
        return {
            "planned_transition_date": today + datetime.timedelta(days=180),
            "operating_owner_id": operator.pk,
            "post_pilot_funding": "Ordinært budsjett for helse og omsorg fra neste år (fiktivt).",
        }
    if target in (Stage.TRANSITION, Stage.OPERATION):  # the decision is made before transition
        return {
            "decision_body": "Kommunestyret (fiktivt)",
            "decision_case_number": f"DEMO-{slug[:6].upper()}",
            "decision_date": today,
        }
    if target in lifecycle.TERMINAL:
        title, text = TERMINAL_LESSONS[slug]
        return {"lesson_title": title, "lesson_text": text}
    return {}


# Days between the last stage change and the day the demo is loaded; per initiative where its
# story needs it (Matvenner has run for a while; Ungdomsloftet's pilot is overdue).
LAST_CHANGE_DAYS_AGO = {"matvenner": 200, "ungdomsloftet": 225}
STORY_DAYS_AGO = 30


def _date_history(initiative: Initiative, today: datetime.date) -> None:
    """Dates that agree with each other, relative to the day the demo is loaded.

    The services record every move "now"; the fictional history is then spread over the past:
    registered (the first stage change) before the start date, each stage change after the
    one before and before today, each decision a week before the move it allowed, the
    planned transition after the pilot began and — once the initiative is in operation —
    before it entered operation. The stories (dated 30 days ago) come after the start.
    """
    changes = list(initiative.stage_changes.order_by("id"))
    last = LAST_CHANGE_DAYS_AGO.get(initiative.slug, 20)
    first = max(last + 60 * (len(changes) - 1), 150)
    step = (first - last) / max(len(changes) - 1, 1)
    now = timezone.now()
    entered: dict[str, datetime.date] = {}
    for index, change in enumerate(changes):
        when = now - datetime.timedelta(days=round(first - step * index))
        fields: dict = {"changed_at": when}
        if change.decision_date is not None:  # a decided move: decided a week before it
            fields["decision_date"] = timezone.localdate(when) - datetime.timedelta(days=7)
        StageChange.objects.filter(pk=change.pk).update(**fields)
        entered.setdefault(change.to_stage, timezone.localdate(when))
    registered = now - datetime.timedelta(days=first)
    start = timezone.localdate(registered) + datetime.timedelta(days=14)
    fields = {"created_at": registered, "start_date": start}
    if Stage.PILOT in entered:
        pilot = entered[Stage.PILOT]
        operation = entered.get(Stage.OPERATION)
        # In operation: the transition was planned between the pilot and operation. Still in
        # pilot: half a year after it began (past due for Ungdomsloftet, as happens).
        planned = (
            pilot + (operation - pilot) * 2 / 3
            if operation
            else pilot + datetime.timedelta(days=180)
        )
        fields["planned_transition_date"] = planned
    Initiative.objects.filter(pk=initiative.pk).update(**fields)
    initiative.participations.filter(start_date__isnull=False).update(start_date=start)


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Load the registry's demo, then every app's (``AppConfig.load_demo``), all or nothing."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "The demo creates users with a known password: not in production."
        )
    municipalities = {}
    for data in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(slug=data["slug"], defaults=data)
        municipalities[data["slug"]] = municipality
    organisations = {}
    for slug, name, kind, home in ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "home_municipality": municipalities.get(home) if home else None,
                "description": "Fiktiv organisasjon i Samskaps demodata.",
            },
        )
    users = {}
    for username, first, last, role, municipality, organisation in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
            user.save()
        Membership.objects.get_or_create(
            user=user,
            role=role,
            municipality=municipalities.get(municipality) if municipality else None,
            organisation=organisations.get(organisation) if organisation else None,
        )
        users[username] = user

    today = timezone.localdate()
    for index, spec in enumerate(INITIATIVES):
        (
            slug,
            mslug,
            title,
            need,
            target_group,
            sectors,
            stage,
            visibility,
            logic,
            leader,
            partners,
            stories,
        ) = spec
        if Initiative.objects.filter(slug=slug).exists():
            continue
        municipality = municipalities[mslug]
        coordinator = users["koordinator" if mslug == "fjordvik" else "koordinator2"]
        access = access_for(coordinator)
        initiative = services.initiative_create(
            access=access,
            municipality=municipality,
            slug=slug,
            title=title,
            need=need,
            description=f"{title} er et fiktivt eksempel i Samskaps demodata.",
            target_group=target_group,
            sectors=Sector.objects.filter(code__in=sectors),
            governance_logic=logic,
            visibility=visibility,
            project_leader=users.get(leader) if leader else None,
            start_date=today - datetime.timedelta(days=400 - index * 20),
            contact_name="Demo Kontakt",
            contact_email=f"{slug}@example.org",
            # Inter-municipal: the joint purchase is owned by both municipalities.
            co_owners=municipalities.values() if slug == "felles-innkjop" else (),
        )
        for organisation_slug, role in partners:
            services.participation_add(
                access=access,
                initiative=initiative,
                organisation=organisations[organisation_slug],
                role=role,
                start_date=initiative.start_date,
            )
        operator = (
            organisations[partners[0][0]]
            if partners
            else organisations["fjordvik-frivilligsentral"]
        )
        path = list(PATH_TO.get(stage, ()))[1:]
        if stage in lifecycle.TERMINAL:
            path = [Stage.ANCHORING, Stage.INSIGHT, Stage.PILOT, stage]
        for target in path:
            services.initiative_move(
                access=access,
                initiative=initiative,
                move=lifecycle.MoveRequest(
                    target=target, **_stage_requirements(slug, target, today, operator)
                ),
            )
        for kind, story_title, text, story_visibility in stories:
            services.story_create(
                access=access,
                initiative=initiative,
                title=story_title,
                text=text,
                kind=kind,
                date=today - datetime.timedelta(days=STORY_DAYS_AGO),
                visibility=story_visibility,
            )
        _date_history(initiative, today)
    counts = {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "initiatives": Initiative.objects.count(),
        "stage changes": StageChange.objects.count(),
        "stories": Story.objects.count(),
    }
    context = DemoContext(
        municipalities=municipalities,
        organisations=organisations,
        users=users,
        initiatives={
            i.slug: i for i in Initiative.objects.filter(slug__in=[s[0] for s in INITIATIVES])
        },
        today=today,
        counts=counts,
    )
    return load_demos(context)
