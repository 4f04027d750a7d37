from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationConfig(AppConfig):
    name = "samskap.valuation"
    label = "valuation"
    verbose_name = _("Societal value")

    def initiative_panel(self, request, initiative, access) -> dict | None:
        """A link to the value map and its headline: the ratio with its band, never alone."""
        from samskap.registry.selectors import can_edit, can_see_internal

        from .models import ValueMap

        if not can_see_internal(access, initiative):
            return None
        value_map = ValueMap.objects.filter(initiative=initiative).only("summary").first()
        if value_map is None and not can_edit(access, initiative):
            return None
        return {
            "template": "valuation/initiative_panel.html",
            "initiative": initiative,
            "has_map": value_map is not None,
            "summary": value_map.summary if value_map else None,
        }

    def portfolio_panel(self, request, access, initiatives) -> dict | None:
        """Present value and ratio band per initiative (one query)."""
        from .selectors import maps_for_portfolio

        rows = [
            {"slug": m.initiative.slug, "title": m.initiative.title, "s": m.summary}
            for m in maps_for_portfolio(initiatives)
        ]
        total = sum(r["s"].get("present_value") or 0 for r in rows)
        return {"template": "valuation/portfolio_panel.html", "rows": rows, "total": total}

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
