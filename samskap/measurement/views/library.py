"""The indicator library as a municipality sees it: the shared entries and its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samskap.accounts.access import access_for

from .. import programmes, synthesis
from ..forms import LibraryEntryForm
from .common import add_errors
from .programmes import first_municipality

FIELDS = [name for name in LibraryEntryForm.base_fields if name != "questions"]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("measurement:library", municipality=first_municipality(request).slug)


@login_required
def library_list(request: HttpRequest, municipality: str) -> HttpResponse:
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality)
    entries = sorted(
        programmes.library_available(place), key=lambda entry: (entry.kind, entry.text("name"))
    )
    context = {
        "municipality": place,
        "own": [entry for entry in entries if entry.municipality_id],
        "shared": [entry for entry in entries if not entry.municipality_id],
        "can_manage": programmes.can_manage(access, place),
    }
    return render(request, "measurement/library_list.html", context)


@login_required
def library_detail(request: HttpRequest, municipality: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality)
    entry = programmes.get_library_entry(place, pk)
    context = {
        "municipality": place,
        "entry": entry,
        "can_edit": bool(entry.municipality_id) and programmes.can_manage(access, place),
    }
    return render(request, "measurement/library_detail.html", context)


@login_required
def library_edit(request: HttpRequest, municipality: str, pk: int | None = None) -> HttpResponse:
    """Create an own entry (no ``pk``) or edit one; shared entries are read-only (403)."""
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality, manage=True)
    entry = programmes.get_library_entry(place, pk) if pk else None
    if entry is not None and entry.municipality_id is None:
        raise PermissionDenied
    initial = {name: getattr(entry, name) for name in FIELDS} if entry else {}
    if entry:
        initial["questions"] = "\n".join(entry.questions)
    form = LibraryEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = programmes.library_entry_save(
                access=access, municipality=place, entry=entry, **form.cleaned_data
            )
            messages.success(request, _("The indicator is saved in the library."))
            return redirect("measurement:library_entry", municipality=place.slug, pk=saved.pk)
        except ValidationError as error:
            add_errors(form, error)
    heading = (
        _("Edit library indicator: %(name)s") % {"name": entry.name}
        if entry
        else _("New library indicator")
    )
    return render(
        request,
        "measurement/place_form.html",
        {"municipality": place, "form": form, "heading": heading, "back": "library"},
    )


@login_required
def library_synthesis(request: HttpRequest, municipality: str, pk: int) -> HttpResponse:
    """The instrument's paired effects across the municipality's initiatives, pooled."""
    access = access_for(request.user)
    place = programmes.municipality_for(access, municipality)
    entry = programmes.get_library_entry(place, pk)
    method = "dl" if request.GET.get("method") == "dl" else "reml"
    found = synthesis.library_synthesis(place, entry, method)
    context = {
        "rows": synthesis.table_rows(found),
        "municipality": place,
        "entry": entry,
        "synthesis": found,
        "result": found.result,
        "chart": synthesis.forest_plot(found),
        "influential": found.result.most_influential if found.result else None,
    }
    return render(request, "measurement/library_synthesis.html", context)
