"""Every change to agreements goes through these functions: they check permission, validate,
lock the agreement row, write in one transaction, and refuse with a clear message.

Concurrency: ``Agreement.lock_version`` goes up by one on every change. A writer names the
lock version it started from; if somebody saved in between, nothing is written and the writer
is told. Signing names the content hash the signer read instead, so two parties can sign at
the same time while a change to the text still invalidates a signature in progress.
"""

import copy
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, OrganisationKind, User
from samskap.core import notifications
from samskap.registry.models import Initiative

from . import content as doc
from . import selectors
from .models import (
    Agreement,
    AgreementParty,
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    RulesOfTheRoad,
    Signature,
    VersionStatus,
)

CONFLICT = gettext_lazy(
    "Someone else changed this agreement while you were editing. Nothing was saved. Reload "
    "the page to see their changes, then make yours again."
)
# Sections an editor may change; the parties' set and the type are fixed at creation.
EDITABLE_SECTIONS = (
    "title",
    "purpose",
    "goal",
    "principles",
    "parties",
    "project_leader",
    "responsibilities",
    "requirements",
    "routines",
    "risk",
    "money",
    "term",
    "transition",
    "anchoring",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _user(access: Access) -> User | None:
    return User.objects.get(pk=access.user_id) if access.user_id else None


def _locked(agreement: Agreement, expected_lock: int | None) -> Agreement:
    current = (
        Agreement.objects.select_for_update()
        .select_related("initiative", "municipality")
        .get(pk=agreement.pk)
    )
    if expected_lock is not None and current.lock_version != expected_lock:
        raise ValidationError(CONFLICT, code="conflict")
    return current


def _touch(agreement: Agreement, *fields: str) -> None:
    agreement.lock_version += 1
    agreement.save(update_fields=["lock_version", *fields])


def latest_version(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.order_by("-number").first()


def _party(organisation: Organisation, municipality: Municipality) -> dict[str, Any]:
    return {
        "key": f"o{organisation.pk}",
        "organisation_id": organisation.pk,
        "name": organisation.name,
        "org_number": organisation.org_number,
        "municipal": organisation.kind == OrganisationKind.MUNICIPAL_UNIT
        and organisation.home_municipality_id == municipality.pk,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }


# --- rules of the road and templates ------------------------------------------------------


def _check_manager(access: Access, municipality: Municipality) -> None:
    if municipality.pk not in access.manager_municipality_ids:
        raise PermissionDenied(_("Only the municipality's coordinators can change this."))


@transaction.atomic
def rules_update(
    *, access: Access, municipality: Municipality, text: str, expected_version: int
) -> RulesOfTheRoad:
    _check_manager(access, municipality)
    rules, _created = RulesOfTheRoad.objects.select_for_update().get_or_create(
        municipality=municipality, defaults={"text": text, "version": 0}
    )
    if rules.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    if not text.strip():
        raise ValidationError({"text": _("Write the rules of the road, or keep the old ones.")})
    rules.text = text
    rules.version = expected_version + 1
    rules.updated_by = _user(access)
    rules.full_clean()
    rules.save()
    return rules


@transaction.atomic
def template_save(
    *,
    access: Access,
    municipality: Municipality,
    name: str,
    agreement_type: str,
    language: str,
    content: dict,
    template: AgreementTemplate | None = None,
) -> AgreementTemplate:
    """Create or change one of the municipality's own templates (defaults are read-only)."""
    _check_manager(access, municipality)
    if template is not None and template.municipality_id != municipality.pk:
        raise PermissionDenied(_("The shipped templates cannot be changed; copy one instead."))
    template = template or AgreementTemplate(municipality=municipality)
    content = {**copy.deepcopy(content), "type": agreement_type, "language": language}
    template.name, template.type, template.language, template.content = (
        name,
        agreement_type,
        language,
        content,
    )
    template.full_clean()
    template.save()
    return template


# --- creating and editing -----------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    access: Access,
    initiative: Initiative,
    template: AgreementTemplate,
    municipal_unit: Organisation,
    partners: Iterable[Organisation],
    title: str = "",
) -> Agreement:
    """Start an agreement from a template. The municipality's coordinators and the
    initiative's project leader may; every problem is reported at once."""
    municipality = initiative.municipality
    if not (
        municipality.pk in access.manager_municipality_ids
        or (access.user_id is not None and initiative.project_leader_id == access.user_id)
    ):
        raise PermissionDenied(
            _("Only the project leader or a coordinator of the municipality can do this.")
        )
    partners = list(dict.fromkeys(partners))
    errors: dict[str, list[str]] = {}
    if template.municipality_id not in (None, municipality.pk):
        errors.setdefault("template", []).append(
            _("This template belongs to another municipality.")
        )
    if not (
        municipal_unit.kind == OrganisationKind.MUNICIPAL_UNIT
        and municipal_unit.home_municipality_id == municipality.pk
    ):
        errors.setdefault("municipal_unit", []).append(
            _("Choose a municipal unit of %(municipality)s.") % {"municipality": municipality}
        )
    taking_part = set(initiative.participations.values_list("organisation_id", flat=True))
    if not partners:
        errors.setdefault("partners", []).append(_("Choose at least one partner organisation."))
    for organisation in partners:
        if organisation.pk not in taking_part or organisation.pk == municipal_unit.pk:
            errors.setdefault("partners", []).append(
                _("%(organisation)s does not take part in this initiative.")
                % {"organisation": organisation}
            )
    if errors:
        raise ValidationError(errors)

    parties = [_party(municipal_unit, municipality)] + [_party(o, municipality) for o in partners]
    content = doc.expand_template(template.content, parties)
    content["type"] = template.type
    content["title"] = title.strip() or f"{template.name}: {initiative.title}"[:200]
    rules = RulesOfTheRoad.objects.filter(municipality=municipality).first()
    content["principles"] = rules.text if rules else ""
    leader = initiative.project_leader
    if leader is not None:
        content["project_leader"] = {
            "name": leader.get_full_name() or leader.username,
            "email": leader.email,
            "phone": "",
        }
    doc.validate_content(content)
    user = _user(access)
    agreement = Agreement(
        municipality=municipality,
        initiative=initiative,
        type=template.type,
        title=content["title"],
        created_by=user,
    )
    agreement.full_clean()
    agreement.save()
    for organisation in [municipal_unit, *partners]:
        AgreementParty.objects.create(
            municipality=municipality,
            agreement=agreement,
            organisation=organisation,
            signing_municipality_id=(
                organisation.home_municipality_id
                if organisation.kind == OrganisationKind.MUNICIPAL_UNIT
                else None
            ),
        )
    AgreementVersion.objects.create(
        municipality=municipality,
        agreement=agreement,
        number=1,
        content=content,
        created_by=user,
    )
    return agreement


def _check_parties_unchanged(old: list[dict], new: object) -> None:
    fixed = ("key", "organisation_id", "name", "org_number", "municipal")
    if not isinstance(new, list) or [tuple(p.get(k) for k in fixed) for p in new] != [
        tuple(p[k] for k in fixed) for p in old
    ]:
        raise ValidationError(
            {"parties": _("The parties are fixed; only their contact persons can change.")}
        )


@transaction.atomic
def agreement_update(
    *, access: Access, agreement: Agreement, expected_lock: int, changes: dict[str, Any]
) -> AgreementVersion:
    """Change sections of the latest draft. If the latest version was sent or signed, a new
    draft (a copy) is made first: the frozen text is never touched, and the new draft needs
    signing again."""
    unknown = set(changes) - set(EDITABLE_SECTIONS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    current = _locked(agreement, expected_lock)
    if not selectors.can_edit(access, current):
        raise PermissionDenied
    version = latest_version(current)
    if "parties" in changes:
        _check_parties_unchanged(version.content["parties"], changes["parties"])
    if version.is_frozen:
        if version.status == VersionStatus.SENT:
            version.status = VersionStatus.WITHDRAWN
            version.save(update_fields=["status"])
        if current.state == AgreementState.SENT:
            current.state = AgreementState.DRAFT
        version = AgreementVersion(
            municipality_id=current.municipality_id,
            agreement=current,
            number=version.number + 1,
            content=copy.deepcopy(version.content),
            created_by=_user(access),
        )
    content = copy.deepcopy(version.content)
    content.update(copy.deepcopy(changes))
    version.content = content
    version.full_clean(exclude=["agreement", "municipality"])
    version.save()
    current.title = content["title"][:200]
    if not current.title.strip():
        raise ValidationError({"title": _("The agreement needs a title.")})
    _touch(current, "title", "state")
    return version


@transaction.atomic
def agreement_send(*, access: Access, agreement: Agreement, expected_lock: int) -> AgreementVersion:
    """Freeze the latest draft and send it for signing. Refused, listing every missing part,
    while a required part is missing."""
    current = _locked(agreement, expected_lock)
    if not selectors.can_edit(access, current):
        raise PermissionDenied
    version = latest_version(current)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Version %(n)s has already been sent for signing.") % {"n": version.number},
            code="not_draft",
        )
    missing = doc.missing_parts(version.content)
    if missing:
        raise ValidationError(
            [_("The agreement cannot be sent for signing while parts are missing:")]
            + [f"{doc.GROUPS[m.group]}: {m.message}" for m in missing],
            code="incomplete",
        )
    version.status = VersionStatus.SENT
    version.sent_at = timezone.now()
    version.content_hash = version.compute_hash()
    version.seal()
    version.save(update_fields=["status", "sent_at", "content_hash", "content_mac"])
    if current.state == AgreementState.DRAFT:
        current.state = AgreementState.SENT
    _touch(current, "state")
    notifications.signature_requested(current, version)
    return version


@transaction.atomic
def agreement_sign(
    *,
    access: Access,
    agreement: Agreement,
    organisation: Organisation,
    name: str,
    accepted_hash: str,
    today: datetime.date | None = None,
) -> Signature:
    """One party accepts the version sent for signing. When every party has signed, the version
    becomes the one that applies, and the agreement is signed (or in force from its start
    date)."""
    today = today or _today()
    current = _locked(agreement, None)
    version = latest_version(current)
    if version.status != VersionStatus.SENT:
        raise ValidationError(_("There is no version waiting for signatures."), code="not_sent")
    if not version.is_intact:
        raise ValidationError(
            _("The text of version %(n)s was changed after it was sent; it cannot be signed.")
            % {"n": version.number},
            code="tampered",
        )
    if accepted_hash != version.content_hash:
        raise ValidationError(
            _("The text changed after you opened it. Read the current version and sign again."),
            code="stale",
        )
    party_ids = {p["organisation_id"] for p in version.content["parties"]}
    if organisation.pk not in party_ids:
        raise ValidationError(
            _("%(organisation)s is not a party to this agreement.")
            % {"organisation": organisation},
            code="not_party",
        )
    if not selectors.can_sign_for(access, organisation):
        raise PermissionDenied(_("You cannot sign for %(o)s.") % {"o": organisation})
    existing = version.signatures.filter(organisation=organisation).first()
    if existing is not None:
        raise ValidationError(
            _("%(organisation)s has already signed version %(n)s (%(name)s).")
            % {"organisation": organisation, "n": version.number, "name": existing.name},
            code="already_signed",
        )
    if not name.strip():
        raise ValidationError({"name": _("Write your name as the signatory.")})
    signature = Signature(
        municipality_id=current.municipality_id,
        version=version,
        organisation=organisation,
        user=_user(access),
        name=name.strip(),
        signed_at=timezone.now(),
        content_hash=version.content_hash,
    )
    signature.full_clean()
    signature.save()
    signed = set(version.signatures.values_list("organisation_id", flat=True))
    if party_ids <= signed:
        version.status = VersionStatus.SIGNED
        version.signed_at = signature.signed_at
        version.save(update_fields=["status", "signed_at"])
        term = version.content["term"]
        current.effective_version = version
        current.start_date = _date(term["start_date"])
        current.end_date = _date(term["end_date"])
        current.review_dates = sorted(term["review_dates"])
        if current.state in (AgreementState.DRAFT, AgreementState.SENT, AgreementState.SIGNED):
            current.state = AgreementState.SIGNED
        _advance(current, today)
        _touch(
            current,
            "effective_version",
            "start_date",
            "end_date",
            "review_dates",
            "state",
            "ended_at",
            "end_reason",
        )
        notifications.agreement_signed(current, version)
    else:
        _touch(current)
    return signature


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _advance(agreement: Agreement, today: datetime.date) -> bool:
    """Signed → in force on the start date; → ended after the end date. True if it moved."""
    before = agreement.state
    if agreement.state == AgreementState.SIGNED and (
        agreement.start_date is None or agreement.start_date <= today
    ):
        agreement.state = AgreementState.IN_FORCE
    if (
        agreement.state in (AgreementState.SIGNED, AgreementState.IN_FORCE)
        and agreement.end_date is not None
        and agreement.end_date < today
    ):
        agreement.state = AgreementState.ENDED
        agreement.ended_at = timezone.now()
        agreement.end_reason = _("The end date has passed.")
    return agreement.state != before


@transaction.atomic
def agreement_sync_state(*, agreement: Agreement, today: datetime.date | None = None) -> bool:
    """Move a signed agreement into force, or an expired one to ended, by the calendar."""
    current = _locked(agreement, None)
    before = current.state
    if _advance(current, today or _today()):
        _touch(current, "state", "ended_at", "end_reason")
        if before == AgreementState.SIGNED and current.state == AgreementState.IN_FORCE:
            notifications.agreement_in_force(current)
        return True
    return False


def agreements_sync_states(today: datetime.date | None = None) -> int:
    """The calendar moves for every agreement: a daily job of the worker
    (``settings.SAMSKAP_DAILY_JOBS``), and ``samskap manage agreement_states``."""
    today = today or _today()
    due = Agreement.objects.filter(
        state__in=(AgreementState.SIGNED, AgreementState.IN_FORCE)
    ).values_list("pk", flat=True)
    return sum(agreement_sync_state(agreement=Agreement(pk=pk), today=today) for pk in list(due))


@transaction.atomic
def agreement_end(
    *, access: Access, agreement: Agreement, expected_lock: int, reason: str
) -> Agreement:
    """End (terminate) a signed or in-force agreement, saying why."""
    current = _locked(agreement, expected_lock)
    if not selectors.can_end(access, current):
        raise PermissionDenied
    if current.state not in (AgreementState.SIGNED, AgreementState.IN_FORCE):
        raise ValidationError(
            _("Only a signed agreement can be ended; this one is “%(state)s”.")
            % {"state": current.get_state_display()},
            code="not_signed",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement ends.")})
    current.state = AgreementState.ENDED
    current.ended_at = timezone.now()
    current.end_reason = reason.strip()
    _touch(current, "state", "ended_at", "end_reason")
    return current
