"""Who may see, edit and sign an agreement; reads that depend on who asks.

The rules (also in docs/agreements.md):

- **see**: staff of the agreement's municipality (administrator, coordinator, project leader,
  viewer — they act for the municipal party), the initiative's project leader, partner users
  of an organisation that is a party, and managers of a municipality whose unit is a party.
  Anyone else gets 404.
- **edit** (drafts; editing a sent or signed version starts a new draft): the municipality's
  coordinators and administrators, the initiative's project leader, and partner users of a
  party organisation. Viewers may read, never write.
- **sign**: for a municipal unit, the coordinators and administrators of the unit's home
  municipality; for any other organisation, its own partner users.
- **end** (terminate): the municipality's coordinators and administrators and the initiative's
  project leader.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import translation

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, OrganisationKind

from .defaults import COUNTRY_LANGUAGES
from .models import Agreement, AgreementParty, AgreementState, AgreementTemplate


def agreements_visible_to(access: Access) -> QuerySet[Agreement]:
    if access.user_id is None:
        return Agreement.objects.none()
    visible = Q(municipality_id__in=access.staff_municipality_ids) | Q(
        initiative__project_leader_id=access.user_id
    )
    parties = Q()
    if access.partner_organisation_ids:
        parties |= Q(organisation_id__in=access.partner_organisation_ids)
    if access.manager_municipality_ids:
        parties |= Q(signing_municipality_id__in=access.manager_municipality_ids)
    if parties:
        visible |= Q(pk__in=AgreementParty.objects.filter(parties).values("agreement_id"))
    return Agreement.objects.filter(visible)


def is_manager(access: Access, agreement: Agreement) -> bool:
    return agreement.municipality_id in access.manager_municipality_ids


def is_project_leader(access: Access, agreement: Agreement) -> bool:
    return access.user_id is not None and agreement.initiative.project_leader_id == access.user_id


def party_organisation_ids(agreement: Agreement) -> set[int]:
    cached = getattr(agreement, "_party_ids", None)
    if cached is None:
        cached = set(agreement.parties.values_list("organisation_id", flat=True))
        agreement._party_ids = cached  # type: ignore[attr-defined]
    return cached


def can_edit(access: Access, agreement: Agreement) -> bool:
    if access.user_id is None or agreement.state == AgreementState.ENDED:
        return False
    if is_manager(access, agreement) or is_project_leader(access, agreement):
        return True
    return bool(access.partner_organisation_ids & party_organisation_ids(agreement))


def can_end(access: Access, agreement: Agreement) -> bool:
    return is_manager(access, agreement) or is_project_leader(access, agreement)


def can_sign_for(access: Access, organisation: Organisation) -> bool:
    """A municipal unit is signed by its home municipality's coordinators/administrators; any
    other organisation by its own partner users."""
    if organisation.kind == OrganisationKind.MUNICIPAL_UNIT:
        return organisation.home_municipality_id in access.manager_municipality_ids
    return organisation.pk in access.partner_organisation_ids


def signable_organisations(access: Access, agreement: Agreement) -> list[Organisation]:
    """The party organisations the user may sign for (in the latest version)."""
    version = agreement.versions.order_by("-number").first()
    if version is None:
        return []
    ids = [p["organisation_id"] for p in version.content["parties"]]
    return [o for o in Organisation.objects.filter(pk__in=ids) if can_sign_for(access, o)]


ACTIONS = {"view": None, "edit": can_edit, "end": can_end}


def get_agreement_for(access: Access, pk: int, action: str = "view") -> Agreement:
    """404 if the user may not see the agreement, 403 if they may see it but not ``action``."""
    try:
        agreement = (
            agreements_visible_to(access)
            .select_related("initiative", "municipality", "effective_version")
            .get(pk=pk)
        )
    except Agreement.DoesNotExist:
        raise Http404 from None
    check = ACTIONS[action]
    if check is not None and not check(access, agreement):
        raise PermissionDenied
    return agreement


def agreements_of(access: Access, initiative) -> QuerySet[Agreement]:
    return agreements_visible_to(access).filter(initiative=initiative)


def templates_for(
    municipality_id: int, agreement_type: str = "", every_language: bool = False
) -> QuerySet[AgreementTemplate]:
    """The municipality's own templates and the shipped ones of its country, in the reader's
    language where the country has it (else the country's own; ``every_language``: in all the
    country's languages), sorted by name as the active language sorts (own templates first)."""
    country = (
        Municipality.objects.filter(pk=municipality_id).values_list("country", flat=True).first()
        or "NO"
    )
    offered = COUNTRY_LANGUAGES.get(country, COUNTRY_LANGUAGES["NO"])
    language = (translation.get_language() or "nb").split("-")[0]
    shipped_language = language if language in offered else offered[0]
    templates = AgreementTemplate.objects.filter(
        Q(municipality_id=municipality_id)
        | Q(
            municipality__isnull=True,
            language__in=offered if every_language else [shipped_language],
        )
    )
    if agreement_type:
        templates = templates.filter(type=agreement_type)
    rows = sorted(
        templates.values_list("pk", "municipality_id", "name"),
        key=lambda row: (row[1] is None, collation_key(row[2], language)),
    )
    order = Case(*[When(pk=pk, then=Value(i)) for i, (pk, _m, _n) in enumerate(rows)])
    return templates.order_by(order) if rows else templates


def collation_key(text: str, language: str) -> str:
    """A key sorting ``text`` as ``language`` does: æ, ø and å (Swedish å, ä, ö) after z."""
    letters = SWEDISH_LETTERS if language == "sv" else NORWEGIAN_DANISH_LETTERS
    return text.casefold().translate(letters)


NORWEGIAN_DANISH_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})
SWEDISH_LETTERS = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def municipal_units(municipality_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPAL_UNIT, home_municipality_id=municipality_id
    )


# --- reminders ---------------------------------------------------------------------------

REMINDER_DAYS = 60


REMINDER_FIELDS = (
    "pk",
    "title",
    "state",
    "end_date",
    "review_dates",
    "initiative__title",
    "initiative__slug",
)


def reminders(agreements: QuerySet[Agreement] | list[dict], today: datetime.date) -> list[dict]:
    """Review dates and end dates within ``REMINDER_DAYS`` (or reviews up to 30 days overdue)
    of signed and in-force agreements, sorted by date. Takes a queryset (one query) or rows
    already read with ``REMINDER_FIELDS``."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    if isinstance(agreements, QuerySet):
        agreements = list(agreements.values(*REMINDER_FIELDS))
    active = (AgreementState.SIGNED, AgreementState.IN_FORCE)
    out = []
    for row in (r for r in agreements if r["state"] in active):
        candidates = [("review", datetime.date.fromisoformat(d)) for d in row["review_dates"]]
        if row["end_date"]:
            candidates.append(("end", row["end_date"]))
        for kind, date in candidates:
            overdue_review = kind == "review" and today - datetime.timedelta(days=30) <= date
            if date <= horizon and (date >= today or overdue_review):
                out.append({**row, "kind": kind, "date": date, "overdue": date < today})
    return sorted(out, key=lambda r: (r["date"], r["pk"]))
