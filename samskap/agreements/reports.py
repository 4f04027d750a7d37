"""The agreements sections of the PDF reports (see ``samskap.core.extensions``).

The initiative section lists the agreements the reader may see (``selectors.agreements_of``)
with who signed which version when, and the hash of the signed text. The portfolio section is
for coordinators, as the panel: reviews and ends coming up, and agreements signed in the
period — in a fixed number of queries.
"""

from django.db.models import Prefetch
from django.utils import timezone

from samskap.core.extensions import ReportPeriod

from . import selectors
from .models import Agreement, AgreementParty, AgreementVersion, Signature


def initiative_section(access, initiative) -> dict:
    latest = AgreementVersion.objects.order_by("-number").prefetch_related(
        Prefetch("signatures", Signature.objects.select_related("organisation").order_by("pk"))
    )
    agreements = list(
        selectors.agreements_of(access, initiative)
        .select_related("effective_version")
        .prefetch_related(
            Prefetch("parties", AgreementParty.objects.select_related("organisation")),
            Prefetch("versions", latest),
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for agreement in agreements:
        versions = list(agreement.versions.all())
        shown = next(
            (v for v in versions if v.pk == agreement.effective_version_id),
            versions[0] if versions else None,
        )
        rows.append(
            {
                "agreement": agreement,
                "version": shown,
                "signatures": list(shown.signatures.all()) if shown else [],
                "parties": [p.organisation.name for p in agreement.parties.all()],
            }
        )
    return {"template": "agreements/report_initiative.html", "rows": rows}


def portfolio_section(access, initiatives, period: ReportPeriod) -> dict | None:
    if not access.manager_municipality_ids:
        return None
    agreements = Agreement.objects.filter(
        municipality_id__in=access.manager_municipality_ids, initiative__in=initiatives
    )
    rows = list(agreements.values(*selectors.REMINDER_FIELDS))
    signed = list(
        AgreementVersion.objects.filter(agreement__in=agreements, signed_at__isnull=False)
        .filter(period.q("signed_at__date"))
        .select_related("agreement__initiative")
        .order_by("signed_at", "pk")
    )
    return {
        "template": "agreements/report_portfolio.html",
        "reminders": selectors.reminders(rows, timezone.localdate()),
        "days": selectors.REMINDER_DAYS,
        "signed": signed,
    }
