"""Agreements."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samskap.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def initiative_panel(self, request, initiative, access) -> dict | None:
        """The initiative's agreements the user can see, with reviews and end dates ahead."""
        from django.utils import timezone

        from . import selectors

        if access.user_id is None:
            return None
        agreements = selectors.agreements_of(access, initiative)
        return {
            "template": "agreements/initiative_panel.html",
            "initiative": initiative,
            "agreements": list(agreements.order_by("-created_at")[:10]),
            "reminders": selectors.reminders(agreements, timezone.localdate()),
            "can_create": initiative.municipality_id in access.manager_municipality_ids
            or initiative.project_leader_id == access.user_id,
        }

    def portfolio_panel(self, request, access, initiatives) -> dict | None:
        """Reviews and end dates coming up, and counts by state: one query."""
        from collections import Counter

        from django.utils import timezone

        from .models import Agreement, AgreementState
        from .selectors import REMINDER_DAYS, REMINDER_FIELDS, reminders

        if not access.manager_municipality_ids:
            return None
        agreements = Agreement.objects.filter(
            municipality_id__in=access.manager_municipality_ids, initiative__in=initiatives
        )
        rows = list(agreements.values(*REMINDER_FIELDS))
        by_state = Counter(row["state"] for row in rows)
        return {
            "template": "agreements/portfolio_panel.html",
            "reminders": reminders(rows, timezone.localdate()),
            "counts": [
                (label, by_state[value])
                for value, label in AgreementState.choices
                if by_state[value]
            ],
            "days": REMINDER_DAYS,
        }

    def initiative_report(self, request, initiative, access) -> dict | None:
        """Each agreement the reader may see: type, state, parties, signatures, dates."""
        from .reports import initiative_section

        if access.user_id is None:
            return None
        return initiative_section(access, initiative)

    def portfolio_report(self, request, access, initiatives, period) -> dict | None:
        """Reviews and ends coming up, and agreements signed in the period."""
        from .reports import portfolio_section

        return portfolio_section(access, initiatives, period)

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
