"""Extension points through which the domain apps plug into shared pages and commands.

An app's ``AppConfig`` may define any of these methods; the shared code calls every installed
app that defines one, in ``INSTALLED_APPS`` order:

- ``initiative_panel(request, initiative, access) -> dict | None``: a section on the initiative
  page, ``{"template": ..., **context}``;
- ``portfolio_panel(request, access, initiatives) -> dict | None``: a section on the
  coordinator's portfolio, ``initiatives`` being the steered initiatives after filters;
- ``initiative_report(request, initiative, access) -> dict | None``: the app's section of the
  initiative's PDF report, laid out for print (tables, inline SVG charts, no forms), as
  ``{"template": ..., "sources": [str, ...], **context}``; ``sources`` (optional) are listed
  under the report's "Sources". An app without it appears through its ``initiative_panel``;
- ``portfolio_report(request, access, initiatives, period) -> dict | None``: the same for the
  portfolio report; ``period`` is a ``ReportPeriod`` (either end may be open). An app without it
  appears through its ``portfolio_panel``;
- ``load_demo(ctx) -> dict[str, int] | None``: fictional demo rows, idempotent; the returned
  counts are printed by ``samskap demo``.

The registry does not import the apps and the apps do not edit the registry's templates, so
each domain stays in its own package.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from samskap.core import numbers


@dataclass(frozen=True)
class Panel:
    app_label: str
    html: SafeString


@dataclass(frozen=True)
class KeyFigure:
    """A figure for the report's first-page summary, with its uncertainty band if it has one
    (``low``–``high``, e.g. the 5th–95th percentile), written by ``samskap.core.numbers`` in
    the reader's language: ``kind`` "decimal" (``digits`` decimals), "signed" (a change, with
    its sign) or "percent" (a share, 0.5 → 50 %)."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    band: str = ""
    digits: int = 0
    unit: str = ""
    kind: str = "decimal"

    def _writer(self) -> Callable[..., str]:
        return {"decimal": numbers.decimal, "signed": numbers.signed, "percent": numbers.percent}[
            self.kind
        ]

    @property
    def text(self) -> str:
        return self._writer()(self.value, self.digits)

    @property
    def band_text(self) -> str:
        if self.low is None or self.high is None:
            return ""
        # A band of a change reads "0,86–2,14" (a minus sign still shows): signs only the figure.
        write = numbers.decimal if self.kind == "signed" else self._writer()
        return numbers.interval(self.low, self.high, self.digits, kind=write)


@dataclass(frozen=True)
class ReportSection:
    app_label: str
    html: SafeString
    sources: tuple[str, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()


@dataclass(frozen=True)
class ReportPeriod:
    """The period a portfolio report covers; ``None`` at either end leaves that end open."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def contains(self, day: datetime.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def q(self, field: str, end_field: str | None = None) -> Q:
        """A filter for rows whose date ``field`` falls in the period or, with ``end_field``,
        whose span from ``field`` to ``end_field`` has any day in it (so the database selects,
        not Python)."""
        condition = Q()
        if self.start:
            condition &= Q(**{f"{end_field or field}__gte": self.start})
        if self.end:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition


# Order of the modules' sections in the PDF reports: what was achieved before what it is worth,
# then the partnership; apps not named here follow in INSTALLED_APPS order.
REPORT_ORDER = ("measurement", "valuation", "health", "agreements")


@dataclass
class DemoContext:
    municipalities: dict[str, Any]
    organisations: dict[str, Any]
    users: dict[str, Any]
    initiatives: dict[str, Any]
    today: Any
    counts: dict[str, int] = field(default_factory=dict)


def _hooks(name: str) -> Iterator[tuple[str, Any]]:
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if callable(hook):
            yield config.label, hook


def _render(request, name: str, *args) -> list[Panel]:
    panels = []
    for label, hook in _hooks(name):
        context = hook(request, *args)
        if context:
            context = dict(context)
            template = context.pop("template")
            panels.append(Panel(label, render_to_string(template, context, request=request)))
    return panels


def initiative_panels(request, initiative, access) -> list[Panel]:
    return _render(request, "initiative_panel", initiative, access)


def portfolio_panels(request, access, initiatives) -> list[Panel]:
    return _render(request, "portfolio_panel", access, initiatives)


def _report(request, name: str, fallback: str, *args, panel_args: tuple) -> list[ReportSection]:
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        context = None
        if callable(hook):
            context = hook(request, *args)
        elif callable(getattr(config, fallback, None)):
            context = getattr(config, fallback)(request, *panel_args)
        if context:
            context = dict(context)
            template = context.pop("template")
            sources = tuple(str(s) for s in context.pop("sources", ()))
            figures = tuple(context.pop("key_figures", ()))
            html = render_to_string(template, context, request=request)
            sections.append(ReportSection(config.label, html, sources, figures))
    rank = {label: i for i, label in enumerate(REPORT_ORDER)}
    return sorted(sections, key=lambda s: rank.get(s.app_label, len(rank)))


def initiative_report_sections(request, initiative, access) -> list[ReportSection]:
    return _report(
        request,
        "initiative_report",
        "initiative_panel",
        initiative,
        access,
        panel_args=(initiative, access),
    )


def portfolio_report_sections(request, access, initiatives, period) -> list[ReportSection]:
    return _report(
        request,
        "portfolio_report",
        "portfolio_panel",
        access,
        initiatives,
        period,
        panel_args=(access, initiatives),
    )


def load_demos(ctx: DemoContext) -> dict[str, int]:
    for _label, hook in _hooks("load_demo"):
        ctx.counts.update(hook(ctx) or {})
    return ctx.counts
