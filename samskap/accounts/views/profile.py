"""The signed-in person's own page (the name in the header leads here) and password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import pgettext

from .. import selectors
from ..access import access_for


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "memberships": user.memberships.select_related("municipality", "organisation").order_by(
            "role"
        ),
        "access": access_for(user),
        "managed_municipalities": selectors.managed_municipalities(access_for(user)),
        "token_count": user.api_tokens.count(),
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (old password, new twice, the validators); the session stays signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A context, so that Django's own translation of the same sentence does not shadow ours.
        messages.success(self.request, pgettext("account", "Your password was changed."))
        return response
