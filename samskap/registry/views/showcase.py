"""The public showcase and organisation pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from samskap.accounts.access import access_for
from samskap.accounts.models import Organisation
from samskap.accounts.selectors import can_manage_organisation

from .. import selectors
from ..forms import LessonsFilterForm, ShowcaseFilterForm


def showcase(request: HttpRequest) -> HttpResponse:
    """Public initiatives: search, filters, pagination. htmx asks for the results partial."""
    form = ShowcaseFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    initiatives = selectors.showcase_initiatives(**filters)
    page = Paginator(initiatives, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filters": filters}
    template = "registry/showcase.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def organisation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Organisation.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "registry/organisation_list.html", {"page": page})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("home_municipality"), slug=slug
    )
    access = access_for(request.user)
    initiatives = selectors.public_initiatives_of(organisation, access)
    context = {
        "organisation": organisation,
        "initiatives": initiatives,
        "can_manage": access.is_manager and can_manage_organisation(access, organisation),
    }
    return render(request, "registry/organisation_detail.html", context)


def lessons(request: HttpRequest) -> HttpResponse:
    """Stories and lessons across initiatives and municipalities: the public ones for all,
    internal ones for insiders of their initiative."""
    form = LessonsFilterForm(request.GET or None)
    stories = selectors.lesson_stories(access_for(request.user), **form.filters())
    page = Paginator(stories, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/lessons.html", {"page": page, "form": form})
