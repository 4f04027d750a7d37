"""Extension points through which the domain apps plug into shared pages and commands.

An app's ``AppConfig`` may define any of these methods; the shared code calls every installed
app that defines one, in ``INSTALLED_APPS`` order:

- ``initiative_panel(request, initiative, access) -> dict | None``: a section on the initiative
  page, ``{"template": ..., **context}``;
- ``portfolio_panel(request, access, initiatives) -> dict | None``: a section on the
  coordinator's portfolio, ``initiatives`` being the steered initiatives after filters;
- ``load_demo(ctx) -> dict[str, int] | None``: fictional demo rows, idempotent; the returned
  counts are printed by ``samskap demo``.

The registry does not import the apps and the apps do not edit the registry's templates, so
each domain stays in its own package.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    app_label: str
    html: SafeString


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


def load_demos(ctx: DemoContext) -> dict[str, int]:
    for _label, hook in _hooks("load_demo"):
        ctx.counts.update(hook(ctx) or {})
    return ctx.counts
