from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationConfig(AppConfig):
    name = "samskap.valuation"
    label = "valuation"
    verbose_name = _("Societal value")

    def ready(self) -> None:
        from samskap.core.coded_texts import register

        from .texts import TEXTS

        register(TEXTS)

    def initiative_panel(self, request, initiative, access) -> dict | None:
        """A link to the value map and its headline: the ratio with its band, never alone."""
        from samskap.core.coded_texts import translated
        from samskap.registry.selectors import can_edit, can_see_internal

        from . import selectors
        from .models import ValueMap
        from .publication import can_publish, is_published, public_results

        published = public_results(initiative)
        if not can_see_internal(access, initiative):
            # Anyone who sees the initiative sees what its municipality published, no more.
            if published is None:
                return None
            return {
                "template": "valuation/published_panel.html",
                "initiative": initiative,
                "published": published,
            }
        value_map = (
            ValueMap.objects.filter(initiative=initiative)
            .only("summary", *selectors.DISCOUNTING_FIELDS)
            .first()
        )
        if value_map is None and not can_edit(access, initiative):
            return None
        return {
            "template": "valuation/initiative_panel.html",
            "initiative": initiative,
            "has_map": value_map is not None,
            "summary": value_map.summary if value_map else None,
            "convention": translated(selectors.convention_of(value_map)) if value_map else "",
            "published": published,
            "can_publish": can_publish(access, initiative),
            "is_published": published is not None or is_published(initiative),
        }

    def portfolio_panel(self, request, access, initiatives) -> dict | None:
        """Present value and ratio band per initiative, and the inputs by contributor (two
        queries); each contributor's amount links to the inputs behind it."""
        from .reports import headlines, inputs_by_contributor

        rows = headlines(initiatives)
        total = sum(r["s"].get("present_value") or 0 for r in rows)
        query = request.GET.copy()
        query.pop("stakeholder", None)
        return {
            "template": "valuation/portfolio_panel.html",
            "rows": rows,
            "total": total,
            "contributors": inputs_by_contributor(initiatives) if rows else [],
            "link_query": query.urlencode() + "&" if query else "",
        }

    def initiative_report(self, request, initiative, access) -> dict | None:
        """Value with its uncertainty, the assumptions and the honesty checks, for print."""
        from samskap.registry.selectors import can_see_internal

        from .models import ValueMap
        from .reports import initiative_section

        if not can_see_internal(access, initiative):
            return None
        value_map = (
            ValueMap.objects.filter(initiative=initiative)
            .prefetch_related("inputs", "outcomes__proxy")
            .first()
        )
        if value_map is None:
            return None
        return initiative_section(initiative, value_map)

    def portfolio_report(self, request, access, initiatives, period) -> dict | None:
        """Value per initiative with its band, and the inputs by contributor."""
        from .reports import portfolio_section

        return portfolio_section(initiatives, period)

    def load_demo(self, ctx) -> dict[str, int]:
        from .demo import load_demo

        return load_demo(ctx)
