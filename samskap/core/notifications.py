"""Who is told what, and when: the messages of the domain apps, queued through the outbox.

Each function is called inside the transaction of the change it reports (the services call
them), or by the worker's daily jobs (``settings.SAMSKAP_DAILY_JOBS``). Recipients get the
message in their municipality's language; links are absolute, from ``SAMSKAP_BASE_URL``.
Every daily message has a ``dedupe_key`` with its date, so it is sent once per date.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from samskap.core import outbox

# The days before a date on which a reminder goes out (a review or end date, a round closing).
AGREEMENT_REMINDER_DAYS = (30, 7)
ROUND_REMINDER_DAYS = 3


def absolute(path: str) -> str:
    return settings.SAMSKAP_BASE_URL.rstrip("/") + path


def _people(users: Iterable) -> dict[str, object]:
    """Distinct e-mail addresses of active users (lower-case) → user."""
    out = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            out.setdefault(user.email.strip().lower(), user)
    return out


def managers_of(municipality_id: int) -> dict[str, object]:
    from samskap.accounts.models import MANAGER_ROLES, User

    return _people(
        User.objects.filter(
            memberships__municipality_id=municipality_id, memberships__role__in=MANAGER_ROLES
        ).distinct()
    )


def coordinators() -> Iterable[tuple[object, list[int]]]:
    """Every active coordinator/administrator with an address, and their municipalities."""
    from samskap.accounts.models import MANAGER_ROLES, Membership

    by_user: dict[int, tuple[object, list[int]]] = {}
    for membership in (
        Membership.objects.filter(
            role__in=MANAGER_ROLES, municipality__isnull=False, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        user, ids = by_user.setdefault(membership.user_id, (membership.user, []))
        ids.append(membership.municipality_id)
    return by_user.values()


def signers_of(organisation) -> dict[str, object]:
    """Who may sign for an organisation: a municipal unit's managers, else its partner users."""
    from samskap.accounts.models import OrganisationKind, Role, User

    if organisation.kind == OrganisationKind.MUNICIPAL_UNIT:
        return managers_of(organisation.home_municipality_id)
    return _people(
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.PARTNER
        ).distinct()
    )


# --- ideas ----------------------------------------------------------------------------------


def idea_event(idea, event: str, language: str | None = None) -> None:
    """To the proposer, if they left an address: ``received``, ``accepted`` or ``declined``."""
    if not idea.proposer_email:
        return
    outbox.send(
        to=idea.proposer_email,
        template=f"idea_{event}",
        context={
            "name": idea.proposer_name,
            "title": idea.title,
            "municipality": idea.municipality.name,
            "note": idea.moderation_note,
        },
        language=language or idea.municipality.default_language,
        cause=idea,
        municipality=idea.municipality,
        dedupe_key=f"idea-{event}:{idea.pk}",
    )


# --- agreements -----------------------------------------------------------------------------


def _agreement_context(agreement, version=None) -> dict:
    return {
        "title": agreement.title,
        "initiative": agreement.initiative.title,
        "version": version.number if version else None,
        "link": absolute(reverse("agreements:detail", args=[agreement.pk])),
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
    }


def signature_requested(agreement, version) -> None:
    """Each party's signers: a version is waiting for their signature."""
    from samskap.accounts.models import Organisation

    ids = [party["organisation_id"] for party in version.content["parties"]]
    for organisation in Organisation.objects.filter(pk__in=ids):
        for address, user in signers_of(organisation).items():
            outbox.send(
                to=address,
                template="signature_requested",
                context={**_agreement_context(agreement, version), "organisation": organisation},
                language=agreement.municipality.default_language,
                cause=agreement,
                municipality=agreement.municipality,
                dedupe_key=f"signature-requested:{version.pk}:{user.pk}:{organisation.pk}",
            )


def _agreement_people(agreement, version) -> dict[str, object]:
    from samskap.accounts.models import Organisation

    people = managers_of(agreement.municipality_id)
    people.update(_people([agreement.initiative.project_leader]))
    ids = [party["organisation_id"] for party in version.content["parties"]]
    for organisation in Organisation.objects.filter(pk__in=ids):
        people.update(signers_of(organisation))
    return people


def agreement_signed(agreement, version) -> None:
    """Everyone concerned: every party has signed (and whether it is in force now)."""
    for address, user in _agreement_people(agreement, version).items():
        outbox.send(
            to=address,
            template="agreement_signed",
            context={
                **_agreement_context(agreement, version),
                "in_force": agreement.state == "in_force",
            },
            language=agreement.municipality.default_language,
            cause=agreement,
            municipality=agreement.municipality,
            dedupe_key=f"agreement-signed:{version.pk}:{user.pk}",
        )


def agreement_in_force(agreement) -> None:
    """Everyone concerned: a signed agreement has reached its start date and is in force (one
    signed on or after its start date says so in ``agreement_signed`` instead)."""
    version = agreement.effective_version
    for address, user in _agreement_people(agreement, version).items():
        outbox.send(
            to=address,
            template="agreement_in_force",
            context=_agreement_context(agreement, version),
            language=agreement.municipality.default_language,
            cause=agreement,
            municipality=agreement.municipality,
            dedupe_key=f"agreement-in-force:{version.pk}:{user.pk}",
        )


def agreement_dates_coming_up(today: datetime.date) -> str:
    """Daily: review and end dates 30 and 7 days ahead, to the municipality's managers and the
    project leader."""
    from samskap.agreements.models import Agreement, AgreementState

    targets = {today + datetime.timedelta(days=days) for days in AGREEMENT_REMINDER_DAYS}
    count = 0
    agreements = Agreement.objects.filter(
        state__in=(AgreementState.SIGNED, AgreementState.IN_FORCE)
    ).select_related("municipality", "initiative__project_leader", "effective_version")
    for agreement in agreements:
        dates = [("review", datetime.date.fromisoformat(d)) for d in agreement.review_dates]
        if agreement.end_date:
            dates.append(("end", agreement.end_date))
        for kind, date in dates:
            if date not in targets:
                continue
            people = managers_of(agreement.municipality_id)
            people.update(_people([agreement.initiative.project_leader]))
            for address, user in people.items():
                outbox.send(
                    to=address,
                    template=f"agreement_{kind}_due",
                    context={
                        **_agreement_context(agreement),
                        "date": date,
                        "days": (date - today).days,
                    },
                    language=agreement.municipality.default_language,
                    cause=agreement,
                    municipality=agreement.municipality,
                    dedupe_key=f"agreement-{kind}-due:{agreement.pk}:{date}:{today}:{user.pk}",
                )
                count += 1
    return f"{count} messages"


# --- health check ---------------------------------------------------------------------------


def health_rounds_closing(today: datetime.date) -> str:
    """Daily: three days before a round closes, a reminder (with a new personal link) to each
    person who has not handed in; once per person and round."""
    from samskap.core.tokens import new_token
    from samskap.health.models import Reminder, Respondent, RespondentToken, RoundStatus

    closing = today + datetime.timedelta(days=ROUND_REMINDER_DAYS)
    pending = Respondent.objects.filter(
        round__status=RoundStatus.OPEN, round__closes_on=closing, submitted_at__isnull=True
    ).select_related("round__initiative__municipality")
    count = 0
    for respondent in pending:
        key = f"health-auto-reminder:{respondent.pk}:{closing}"
        if outbox_has(key):
            continue
        token, token_digest = new_token()
        RespondentToken.objects.create(respondent=respondent, digest=token_digest)
        Reminder.objects.create(municipality_id=respondent.municipality_id, respondent=respondent)
        municipality = respondent.round.initiative.municipality
        outbox.send(
            to=respondent.email,
            template="health_reminder",
            context={
                "name": respondent.name,
                "initiative": respondent.round.initiative.title,
                "link": absolute(reverse("health:respond", args=[token])),
                "closes_on": respondent.round.closes_on,
            },
            language=municipality.default_language,
            cause=respondent,
            municipality=municipality,
            dedupe_key=key,
        )
        count += 1
    return f"{count} reminders"


def outbox_has(dedupe_key: str) -> bool:
    from samskap.core.outbox.models import Message

    return Message.objects.filter(dedupe_key=dedupe_key).exists()


# --- weekly digest --------------------------------------------------------------------------


def digest_contents(municipality_ids: list[int], today: datetime.date) -> dict:
    from samskap.health.models import Round, RoundStatus
    from samskap.measurement.models import IndicatorValue, Status
    from samskap.registry.models import Initiative, Stage

    week = today + datetime.timedelta(days=7)
    return {
        "stuck": list(
            Initiative.objects.filter(
                municipality_id__in=municipality_ids,
                stage=Stage.PILOT,
                planned_transition_date__lt=today,
            ).order_by("planned_transition_date")[:20]
        ),
        "waiting": IndicatorValue.objects.filter(
            municipality_id__in=municipality_ids, status=Status.SUBMITTED
        ).count(),
        "closing": list(
            Round.objects.filter(
                municipality_id__in=municipality_ids,
                status=RoundStatus.OPEN,
                closes_on__gte=today,
                closes_on__lte=week,
            ).select_related("initiative")[:20]
        ),
    }


def weekly_digest(today: datetime.date) -> str:
    """Mondays: to each coordinator, what needs them this week. Nothing to say, no message."""
    if today.weekday() != 0:
        return "not Monday"
    from samskap.accounts.models import Municipality

    year, week, _day = today.isocalendar()
    count = 0
    for user, municipality_ids in coordinators():
        contents = digest_contents(municipality_ids, today)
        if not (contents["stuck"] or contents["waiting"] or contents["closing"]):
            continue
        municipality = Municipality.objects.get(pk=municipality_ids[0])
        outbox.send(
            to=user.email,
            template="weekly_digest",
            context={
                **contents,
                "name": user.get_full_name() or user.username,
                "link": absolute(reverse("registry:portfolio")),
                "base": settings.SAMSKAP_BASE_URL.rstrip("/"),
            },
            language=municipality.default_language,
            municipality=municipality,
            cause=user,
            dedupe_key=f"weekly-digest:{user.pk}:{year}-W{week:02d}",
        )
        count += 1
    return f"{count} digests"
