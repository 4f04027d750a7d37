"""Pages for signed-in users: my initiatives, the coordinator's portfolio, the idea queue."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import access_for
from samskap.core import charts, throttle
from samskap.core.extensions import portfolio_panels

from .. import selectors, services
from ..forms import IdeaForm, ModerationForm, PortfolioFilterForm, ShowcaseFilterForm


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every initiative the user can see beyond the public ones, searchable, with theirs first."""
    access = access_for(request.user)
    form = ShowcaseFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    if request.GET.get("scope") == "portfolio":
        # The rows behind a portfolio figure: the initiatives the user's municipalities own.
        managed = selectors.portfolio_municipalities(access)
        chosen = filters.pop("municipality", "")
        ids = [m.pk for m in managed if not chosen or m.slug == chosen]
        base = selectors.portfolio_initiatives(ids, filters)
        if request.GET.get("overdue") == "1":
            base = selectors.overdue_pilots(base, timezone.localdate())
    else:
        base = selectors.filter_initiatives(selectors.initiatives_visible_to(access), **filters)
    initiatives = selectors.with_card_data(base)
    mine = Q(project_leader_id=access.user_id) | Q(
        participations__organisation_id__in=access.partner_organisation_ids
    )
    page = Paginator(initiatives, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "mine": selectors.with_card_data(initiatives.filter(mine).distinct())[:10],
        "overdue": request.GET.get("overdue") == "1",
    }
    return render(request, "registry/dashboard.html", context)


def portfolio_context(request: HttpRequest, access) -> dict:
    """The portfolio's figures for the municipalities the user manages, after the filters;
    shared by the page and its PDF report."""
    municipalities = list(selectors.with_pending_ideas(selectors.portfolio_municipalities(access)))
    if not access.manager_municipality_ids:
        raise PermissionDenied(_("The portfolio is for coordinators and administrators."))
    form = PortfolioFilterForm(request.GET or None, municipalities=municipalities)
    filters = form.filters() if request.GET else {}
    filters.pop("municipality", None)
    chosen = request.GET.get("municipality", "")
    selected = [m for m in municipalities if not chosen or m.slug == chosen]
    if not selected:  # not a municipality the user manages: as if it did not exist
        raise Http404
    today = timezone.localdate()
    figures = selectors.portfolio([m.pk for m in selected], today, filters)
    rows_link = {**filters, "scope": "portfolio", "municipality": chosen}
    rows_url = reverse("registry:dashboard") + "?" + urlencode(rows_link)
    return {
        "form": form,
        "filters": filters,
        "municipality": selected[0] if len(selected) == 1 else None,
        "selected": selected,
        "municipalities": municipalities,
        "portfolio": figures,
        "pending_ideas": sum(m.pending_ideas for m in selected),
        "rows_link": rows_link,
        "rows_url": rows_url,
        "counts": {
            key: count_rows(figures[key], rows_link, dimension)
            for key, dimension in COUNT_DIMENSIONS.items()
        },
        "charts": portfolio_charts(figures),
        "today": today,
        "initiatives": figures["initiatives"],
        "stories": selectors.portfolio_stories(figures["initiatives"])
        .select_related("initiative")
        .only("title", "kind", "date", "text", "initiative__title", "initiative__slug")[:5],
    }


COUNT_DIMENSIONS = {
    "by_stage": "stage",
    "by_sector": "sector",
    "by_logic": "governance_logic",
    "by_partner_kind": "partner_kind",
}


def count_rows(rows, rows_link: dict, dimension: str) -> list[tuple[str, int, str]]:
    """(label, count, link to exactly the rows behind the count) for one dimension."""
    others = {k: v for k, v in rows_link.items() if k != dimension}
    base = reverse("registry:dashboard") + "?" + urlencode(others) + f"&{dimension}="
    return [(label, n, base + quote(value)) for value, label, n in rows]


def portfolio_charts(figures: dict) -> dict:
    """Bar charts of the counts by stage and by sector (the tables beside them are the same
    figures in text)."""
    titles = {"by_stage": _("Initiatives by stage"), "by_sector": _("Initiatives by sector")}
    return {
        key: charts.bar_chart(str(title), tuple((str(label), n) for _v, label, n in figures[key]))
        for key, title in titles.items()
    }


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    context = portfolio_context(request, access)
    context["panels"] = portfolio_panels(request, access, context["initiatives"])
    return render(request, "registry/portfolio.html", context)


def idea_submit(request: HttpRequest) -> HttpResponse:
    """The public form: anyone can propose an initiative; it lands in a moderation queue."""
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.hit(
            "idea", request, limit=settings.SAMSKAP_IDEA_LIMIT_PER_HOUR, window_seconds=3600
        ):
            form.add_error(
                None, _("Too many ideas were sent from your network this hour. Try again later.")
            )
            return render(request, "registry/idea_form.html", {"form": form}, status=429)
        if form.cleaned_data["homepage"]:
            # A bot filled in the hidden field: pretend success, store nothing.
            return redirect("registry:idea_thanks")
        data = {k: v for k, v in form.cleaned_data.items() if k != "homepage"}
        services.idea_submit(**data)
        return redirect("registry:idea_thanks")
    return render(request, "registry/idea_form.html", {"form": form})


def idea_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/idea_thanks.html")


@login_required
def idea_queue(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.manager_municipality_ids:
        raise PermissionDenied(_("The idea queue is for coordinators and administrators."))
    page = Paginator(selectors.idea_queue(access), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "registry/idea_queue.html", {"page": page})


@login_required
def idea_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    idea = selectors.get_idea_for(access, pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                initiative = services.idea_accept(
                    access=access,
                    idea=idea,
                    target_group=data["target_group"],
                    sectors=data["sectors"],
                    note=data["note"],
                )
                messages.success(request, _("The idea is now an initiative in the registry."))
                return redirect(initiative)
            services.idea_reject(access=access, idea=idea, note=data["note"])
        except ValidationError as error:
            form.add_error("note" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The idea was rejected."))
            return redirect("registry:idea_queue")
    return render(request, "registry/idea_moderate.html", {"idea": idea, "form": form})
