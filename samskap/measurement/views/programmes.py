"""A municipality's programmes: list, create and edit, and the totals computed when read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality

from .. import programmes
from .. import queries as selectors
from ..forms import ProgrammeForm
from .common import add_errors


def first_municipality(request: HttpRequest) -> Municipality:
    """The first municipality where the user is staff (the links without a municipality)."""
    access = access_for(request.user)
    place = Municipality.objects.filter(pk__in=access.staff_municipality_ids).first()
    if place is None:
        raise Http404
    return place


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("measurement:programmes", municipality=first_municipality(request).slug)


@login_required
def programme_list(request: HttpRequest, municipality: str) -> HttpResponse:
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality)
    context = {
        "municipality": place,
        "programmes": programmes.programmes_of(place),
        "can_manage": programmes.can_manage(access, place),
    }
    return render(request, "measurement/programme_list.html", context)


@login_required
def programme_detail(request: HttpRequest, municipality: str, programme: str) -> HttpResponse:
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality)
    found = programmes.get_programme(place, programme)
    context = {
        "municipality": place,
        "programme": found,
        "initiatives": found.initiatives.order_by("title"),
        "totals": selectors.programme_totals(found),
        "can_manage": programmes.can_manage(access, place),
    }
    return render(request, "measurement/programme_detail.html", context)


@login_required
def programme_edit(request: HttpRequest, municipality: str, programme: str = "") -> HttpResponse:
    """Create a programme (no ``programme`` in the URL) or edit one."""
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality, manage=True)
    found = programmes.get_programme(place, programme) if programme else None
    initial = (
        {"name": found.name, "slug": found.slug, "initiatives": list(found.initiatives.all())}
        if found
        else {}
    )
    form = ProgrammeForm(
        request.POST or None, initial=initial, initiatives=programmes.programme_choices(place)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = programmes.programme_save(
                access=access, municipality=place, programme=found, **form.cleaned_data
            )
            messages.success(request, _("The programme is saved."))
            return redirect("measurement:programme", municipality=place.slug, programme=saved.slug)
        except ValidationError as error:
            add_errors(form, error)
    heading = _("Edit programme: %(name)s") % {"name": found.name} if found else _("New programme")
    return render(
        request,
        "measurement/place_form.html",
        {"municipality": place, "form": form, "heading": heading, "back": "programmes"},
    )
