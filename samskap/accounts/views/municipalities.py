"""A municipality's own settings (country, default language, approval by a second person, the
smallest group a figure may be about), kept by its coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..access import access_for
from ..forms import MunicipalitySettingsForm
from ..models import Municipality


@login_required
def municipality_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    municipality = get_object_or_404(Municipality, slug=slug)
    if municipality.pk not in access.manager_municipality_ids:
        raise PermissionDenied(_("Only the municipality's coordinators can change its settings."))
    form = MunicipalitySettingsForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.municipality_settings_update(
                access=access, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The municipality's settings were saved."))
            return redirect("accounts:municipality_settings", slug=municipality.slug)
    context = {
        "form": form,
        "heading": _("Settings for %(name)s") % {"name": municipality.name},
    }
    return render(request, "accounts/organisation_form.html", context)
