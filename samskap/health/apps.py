"""Partnership health check."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "samskap.health"
    label = "health"
    verbose_name = _("Partnership health check")

    def initiative_panel(self, request, initiative, access) -> dict | None:
        """The latest closed round's flags and summary; for those who steer, the open round's
        progress and a start button."""
        from django.utils import timezone

        from samskap.registry.selectors import can_see_internal, can_steer

        from . import presentation, queries

        if not can_see_internal(access, initiative):
            return None
        today = timezone.localdate()
        latest = queries.latest_results(
            type(initiative).objects.filter(pk=initiative.pk), today
        ).get(initiative.pk)
        steer = can_steer(access, initiative)
        open_rounds = []
        if steer:
            open_rounds = [r for r in queries.rounds_of(initiative) if not r.is_closed(today)]
        return {
            "template": "health/initiative_panel.html",
            "initiative": initiative,
            "latest": latest,
            "summary": presentation.summary(latest) if latest else [],
            "open_rounds": open_rounds,
            "can_steer": steer,
        }

    def portfolio_panel(self, request, access, initiatives) -> dict | None:
        """Initiatives whose latest closed round has flagged dimensions (fixed query count)."""
        from django.utils import timezone

        from . import presentation, queries

        latest = queries.latest_results(initiatives, timezone.localdate())
        rows = presentation.flagged_rows(latest, timezone.localdate())
        return {
            "template": "health/portfolio_panel.html",
            "rows": rows,
            "checked": len(latest),
        }

    def initiative_report(self, request, initiative, access) -> dict | None:
        """The latest closed round per dimension and the trend over rounds, for print."""
        from samskap.registry.selectors import can_see_internal

        from .reports import initiative_section

        if not can_see_internal(access, initiative):
            return None
        return initiative_section(initiative)

    def portfolio_report(self, request, access, initiatives, period) -> dict | None:
        """Partnerships flagged in the latest round that closed in the period."""
        from .reports import portfolio_section

        return portfolio_section(initiatives, period)

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
