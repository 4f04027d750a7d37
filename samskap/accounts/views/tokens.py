"""Personal API tokens: issued on this page (the secret shown once), revoked here."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samskap.core.confirm import confirm_first

from ..models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is the token for?"),
        max_length=80,
        help_text=gettext_lazy("For example the name of the system that will use it."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=730,
        initial=365,
        help_text=gettext_lazy("Between 1 and 730 days."),
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.now() + datetime.timedelta(days=form.cleaned_data["days"])
        _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"], expires)
        form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": request.user.api_tokens.all(),
        "now": timezone.now(),
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    confirmation = confirm_first(
        request,
        title=_("Revoke the token"),
        question=_("Revoke the token “%(name)s”?") % {"name": token.name},
        consequence=_("Programs that use it are refused from now on. This cannot be undone."),
        button=_("Yes, revoke the token"),
        cancel_url=reverse("accounts:api_tokens"),
    )
    if confirmation:
        return confirmation
    token.delete()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
