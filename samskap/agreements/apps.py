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
        """Reviews and end dates coming up, and counts by state: three queries."""
        from django.db.models import Count
        from django.utils import timezone

        from samskap.accounts.models import Municipality

        from .models import Agreement, AgreementState
        from .selectors import REMINDER_DAYS, reminders

        managed = Municipality.objects.filter(pk__in=access.manager_municipality_ids)
        slug = request.GET.get("municipality")
        municipality = (managed.filter(slug=slug).first() if slug else None) or managed.first()
        if municipality is None:
            return None
        agreements = Agreement.objects.filter(municipality=municipality, initiative__in=initiatives)
        by_state = dict(
            agreements.order_by()
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        return {
            "template": "agreements/portfolio_panel.html",
            "municipality": municipality,
            "reminders": reminders(agreements, timezone.localdate()),
            "counts": [
                (label, by_state[value])
                for value, label in AgreementState.choices
                if by_state.get(value)
            ],
            "days": REMINDER_DAYS,
        }

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
