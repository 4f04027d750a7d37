"""Coordinators register and edit partner organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..access import access_for
from ..forms import OrganisationForm


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_manager:
        raise PermissionDenied(_("Only coordinators can register organisations."))
    form = OrganisationForm(
        request.POST or None, municipalities=selectors.managed_municipalities(access)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(access=access, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was registered."))
            return redirect(organisation)
    context = {"form": form, "heading": _("Register an organisation")}
    return render(request, "accounts/organisation_form.html", context)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    organisation = selectors.organisation_to_manage(access, slug)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        municipalities=selectors.managed_municipalities(access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                access=access, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation, "heading": _("Edit organisation")}
    return render(request, "accounts/organisation_form.html", context)
