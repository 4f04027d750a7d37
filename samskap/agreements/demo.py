"""Fictional demo agreements, one in every state, made through the same services as the pages.

Idempotent: an agreement is looked up by its initiative and title first.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.accounts.models import Membership, Role

from . import services
from .models import Agreement, AgreementTemplate, AgreementVersion, RulesOfTheRoad, Signature

RULES = (
    "1. Vi møter hverandre som likeverdige partnere.\n"
    "2. Vi avklarer roller og ansvar skriftlig før vi starter.\n"
    "3. Behovene til innbyggerne kommer først.\n"
    "4. Vi sier fra tidlig når noe ikke går som planlagt.\n"
    "5. Vi planlegger drift før piloten starter."
)


def _fill(agreement: Agreement, access, today: datetime.date, start: datetime.date, end):
    version = services.latest_version(agreement)
    content = version.content
    parties = [
        {
            **p,
            "contact_name": f"Kontakt {p['name'].split()[0]}",
            "contact_email": f"kontakt{i}@example.org",
        }
        for i, p in enumerate(content["parties"])
    ]
    municipal = parties[0]["key"]
    money = dict(content["money"])
    if money["items"]:
        money["items"] = [
            {
                "payer": municipal,
                "description": "Kommunens bidrag",
                "amount": "350000.00",
                "due": None,
            }
        ]
    services.agreement_update(
        access=access,
        agreement=agreement,
        expected_lock=Agreement.objects.get(pk=agreement.pk).lock_version,
        changes={
            "goal": "Færre eldre spiser alene, og flere opplever fellesskap i hverdagen.",
            "parties": parties,
            "project_leader": {
                "name": "Per Prosjektleder",
                "email": "per@example.org",
                "phone": "",
            },
            "anchoring": [
                {
                    "kind": "plan",
                    "body": "Kommuneplanens samfunnsdel (fiktiv)",
                    "case_number": "",
                    "date": None,
                    "url": "",
                    "description": "Mål 3: Ingen skal være ensomme",
                },
                {
                    "kind": "political_decision",
                    "body": "Hovedutvalg for helse (fiktivt)",
                    "case_number": "DEMO-24/17",
                    "date": (start - datetime.timedelta(days=30)).isoformat(),
                    "url": "",
                    "description": "",
                },
            ],
            "money": money,
            "term": {
                **content["term"],
                "start_date": start.isoformat(),
                "end_date": end.isoformat() if end else None,
                "review_dates": [(today + datetime.timedelta(days=21)).isoformat()],
            },
            "transition": {
                "operating_owner": "Varme Hender SA (fiktiv)",
                "funding": "Ordinært budsjett for helse og omsorg (fiktivt).",
                "decision_date": (start - datetime.timedelta(days=20)).isoformat(),
            },
        },
    )


def _sign_all(agreement, signers):
    version = services.latest_version(agreement)
    for user, organisation in signers:
        services.agreement_sign(
            access=access_for(user),
            agreement=agreement,
            organisation=organisation,
            name=user.get_full_name(),
            accepted_hash=version.content_hash,
        )


def _period(initiative, kind: str, today: datetime.date, offset: int, length: int | None):
    """The agreement's period, in step with the initiative's history: a pilot agreement runs
    from the day the pilot began until the initiative entered operation, an operating
    agreement from that day; an agreement for what has not begun yet starts ``offset`` days
    from today."""
    from samskap.registry.models import Stage

    entered = {
        change.to_stage: timezone.localdate(change.changed_at)
        for change in initiative.stage_changes.order_by("-id")
    }
    if kind == "pilot" and Stage.PILOT in entered:
        start = entered[Stage.PILOT]
        end = entered.get(Stage.OPERATION, start + datetime.timedelta(days=length or 365))
        return start, end - datetime.timedelta(days=1)
    if kind == "operating" and Stage.OPERATION in entered:
        start = entered[Stage.OPERATION]
        return start, start + datetime.timedelta(days=length or 730)
    start = today + datetime.timedelta(days=offset)
    return start, (start + datetime.timedelta(days=length)) if length else None


def _date_signing(agreement: Agreement, start: datetime.date, today: datetime.date) -> None:
    """Sent and signed on plausible past days: two weeks before the period began, or a few
    days ago for a period still to come (the services stamp everything "now")."""
    day = min(start - datetime.timedelta(days=14), today - datetime.timedelta(days=3))
    sent = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    signed = sent + datetime.timedelta(days=2)
    versions = AgreementVersion.objects.filter(agreement=agreement)
    versions.update(created_at=sent - datetime.timedelta(days=7))
    versions.filter(sent_at__isnull=False).update(sent_at=sent)
    versions.filter(signed_at__isnull=False).update(signed_at=signed)
    Signature.objects.filter(version__agreement=agreement).update(signed_at=signed)
    Agreement.objects.filter(pk=agreement.pk).update(created_at=sent - datetime.timedelta(days=7))


def load_demo(ctx) -> dict[str, int]:
    users, orgs, today = ctx.users, ctx.organisations, ctx.today
    fjordvik = ctx.municipalities["fjordvik"]
    # A partner user for Grønn Kløver, so that its agreements can be signed in the demo.
    user_model = get_user_model()
    gronn, created = user_model.objects.get_or_create(
        username="partner2", defaults={"first_name": "Gro", "last_name": "Grønn"}
    )
    if created:
        from samskap.core.demo import DEMO_PASSWORD

        gronn.set_password(DEMO_PASSWORD)
        gronn.save()
    Membership.objects.get_or_create(
        user=gronn, role=Role.PARTNER, organisation=orgs["gronn-klover"]
    )
    coordinator = users["koordinator"]
    access = access_for(coordinator)
    RulesOfTheRoad.objects.get_or_create(municipality=fjordvik, defaults={"text": RULES})
    unit = orgs["fjordvik-helse-og-omsorg"]
    varme, gronn_org = orgs["varme-hender"], orgs["gronn-klover"]
    partner = users["partner"]
    # (initiative, type, title, partner org, target state, start offset days, length days)
    specs = [
        (
            "reparasjonskafe",
            "letter_of_intent",
            "Intensjonsavtale om reparasjonskafé",
            None,
            "draft",
            0,
            None,
        ),
        (
            "arbeidstrening-kafe",
            "reserved_contract",
            "Reservert kontrakt: arbeidstrening i kafé",
            gronn_org,
            "sent",
            30,
            365,
        ),
        ("gronne-tak", "operating", "Driftsavtale: grønne tak", gronn_org, "signed", 45, 730),
        ("matvenner", "operating", "Driftsavtale: Matvenner", varme, "in_force", -200, 900),
        ("matvenner", "pilot", "Pilotavtale: Matvenner", varme, "ended", -600, 300),
    ]
    for slug, kind, title, partner_org, state, offset, length in specs:
        initiative = ctx.initiatives.get(slug)
        if (
            initiative is None
            or Agreement.objects.filter(initiative=initiative, title=title).exists()
        ):
            continue
        partners = [partner_org] if partner_org else []
        if not partners:
            # The idea-stage initiative has no partner yet: the draft waits for one.
            from samskap.registry import services as registry

            registry.participation_add(
                access=access,
                initiative=initiative,
                organisation=orgs["nabolaget-solsiden"],
                role="co_creator",
                start_date=today,
            )
            partners = [orgs["nabolaget-solsiden"]]
        template = AgreementTemplate.objects.get(municipality=None, type=kind, language="nb")
        agreement = services.agreement_create(
            access=access,
            initiative=initiative,
            template=template,
            municipal_unit=unit,
            partners=partners,
            title=title,
        )
        if state == "draft":
            continue
        start, end = _period(initiative, kind, today, offset, length)
        _fill(agreement, access, today, start, end)
        agreement.refresh_from_db()
        services.agreement_send(
            access=access, agreement=agreement, expected_lock=agreement.lock_version
        )
        partner_user = partner if partner_org == varme else gronn
        if state == "sent":
            _sign_all(agreement, [(coordinator, unit)])
            _date_signing(agreement, start, today)
            continue
        _sign_all(agreement, [(coordinator, unit), (partner_user, partner_org)])
        _date_signing(agreement, start, today)
        if state == "in_force":
            # An amendment in progress: version 2 is a draft while version 1 applies.
            agreement.refresh_from_db()
            services.agreement_update(
                access=access,
                agreement=agreement,
                expected_lock=agreement.lock_version,
                changes={"goal": "Færre eldre spiser alene; middag tre dager i uka."},
            )
        if state == "ended":
            agreement.refresh_from_db()
            services.agreement_sync_state(agreement=agreement, today=today)
    # The registry counted users before this hook added one; report the total after it.
    return {"users": user_model.objects.count(), "agreements": Agreement.objects.count()}
