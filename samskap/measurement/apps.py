from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "samskap.measurement"
    label = "measurement"
    verbose_name = _("Effect measurement")

    def initiative_panel(self, request, initiative, access) -> dict | None:
        """Indicator summary and the link to the measurement pages, for those inside the
        initiative only (no measurement data for outsiders)."""
        from django.utils import timezone

        from samskap.registry.selectors import can_see_internal, can_steer

        from . import queries as selectors

        if not can_see_internal(access, initiative):
            return None
        status = selectors.portfolio_indicator_status(
            initiative.__class__.objects.filter(pk=initiative.pk), timezone.localdate()
        )
        pending = (
            selectors.pending_review(initiative).count() if can_steer(access, initiative) else 0
        )
        return {
            "template": "measurement/initiative_panel.html",
            "initiative": initiative,
            "indicators": status["indicators"],
            "on_target": status["on_target_count"],
            "behind": status["behind_count"],
            "pending": pending,
        }

    def portfolio_panel(self, request, access, initiatives) -> dict | None:
        """Indicators on and behind target across the steered initiatives (3 queries)."""
        from django.utils import timezone

        from . import queries as selectors

        status = selectors.portfolio_indicator_status(
            initiatives, timezone.localdate(), count=False
        )
        if not status["indicators"]:
            return None
        return {"template": "measurement/portfolio_panel.html", **status}

    def initiative_report(self, request, initiative, access) -> dict | None:
        """Results chain, indicators with progress and participant outcomes, for print."""
        from samskap.registry.selectors import can_see_internal

        from .reports import initiative_section

        if not can_see_internal(access, initiative):
            return None
        return initiative_section(initiative)

    def portfolio_report(self, request, access, initiatives, period) -> dict | None:
        """Indicators on and behind target per initiative in the report period (one query)."""
        from .reports import portfolio_section

        return portfolio_section(initiatives, period)

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
