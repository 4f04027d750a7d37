"""Invitations: coordinators invite people by e-mail; the person joins through the link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samskap.core import outbox
from samskap.core.confirm import confirm_first

from .. import selectors, services
from ..access import access_for
from ..forms import InvitationForm, JoinForm
from ..models import InvitationStatus, User


def site_url(request: HttpRequest) -> str:
    """The address of this installation as the coordinator reached it (for links in mail)."""
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """The municipality's invitations, a form for a new one, and the link of the one just
    made (to copy: the default installation sends no e-mail)."""
    access = access_for(request.user)
    if not access.is_manager:
        raise PermissionDenied(_("Only coordinators can invite people."))
    form = InvitationForm(
        request.POST or None,
        municipalities=selectors.managed_municipalities(access),
        organisations=selectors.organisations_managed_by(access),
        initial={"organisation": request.GET.get("organisation") or None},
    )
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                access=access, site_url=site_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "already_made":
                messages.info(request, " ".join(error.messages))
                return redirect("accounts:invitations")
            form.add_error(None, error)
        else:
            link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
            messages.success(
                request,
                _("The invitation to %(email)s was made. It works for %(days)s days.")
                % {"email": invitation.email, "days": settings.SAMSKAP_INVITATION_DAYS},
            )
            form = InvitationForm(
                municipalities=selectors.managed_municipalities(access),
                organisations=selectors.organisations_managed_by(access),
            )
    invitations = list(selectors.invitations_managed_by(access)[:200])
    # The newest message of each invitation: queued, sent or failed (with the reason).
    latest: dict[str, object] = {}
    for message in outbox.messages_for(invitations):
        latest.setdefault(message.cause_id, message)
    for invitation in invitations:
        invitation.message = latest.get(str(invitation.pk))
    context = {
        "form": form,
        "link": link,
        "invitations": invitations,
        "now": timezone.now(),
        "pending": InvitationStatus.PENDING,
    }
    response = render(request, "accounts/invitations.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    invitation = selectors.invitation_to_manage(access, pk)
    confirmation = confirm_first(
        request,
        title=_("Withdraw the invitation"),
        question=_("Withdraw the invitation to %(email)s?") % {"email": invitation.email},
        consequence=_("The link in the e-mail stops working. You can invite them again later."),
        button=_("Yes, withdraw the invitation"),
        cancel_url=reverse("accounts:invitations"),
    )
    if confirmation:
        return confirmation
    try:
        services.invitation_withdraw(access=access, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:invitations")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    invitation = selectors.invitation_to_manage(access, pk)
    confirmation = confirm_first(
        request,
        title=_("Send the invitation again"),
        question=_("Send the invitation to %(email)s again?") % {"email": invitation.email},
        consequence=_("The e-mail is queued and sent within a few minutes."),
        button=_("Yes, send it again"),
        cancel_url=reverse("accounts:invitations"),
    )
    if confirmation:
        return confirmation
    try:
        services.invitation_resend(access=access, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is queued again.") % {"email": invitation.email}
        )
    return redirect("accounts:invitations")


def _unusable(request: HttpRequest, status: str) -> HttpResponse:
    # 410 Gone for links that were good once; 404 for links that never were.
    code = 404 if status == "unknown" else 410
    return render(request, "accounts/invitation_unusable.html", {"status": status}, status=code)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: a new person sets a password (or signs in through single
    sign-on); a signed-in person with the invited address joins with one click."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return _unusable(request, "unknown")
    status = invitation.status()
    if status != InvitationStatus.PENDING:
        return _unusable(request, status)
    signed_in = request.user.is_authenticated
    has_account = User.objects.filter(email__iexact=invitation.email, is_active=True).exists()
    form = (
        None
        if signed_in
        else JoinForm(request.POST or None, email=invitation.email, name=invitation.name)
    )
    if request.method == "POST":
        try:
            if signed_in:
                services.invitation_accept(token=token, user=request.user)
                messages.success(request, _("You have joined."))
                return redirect("accounts:profile")
            if form.is_valid():
                user = services.account_create_from_invitation(
                    token=token,
                    username=form.cleaned_data["username"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to Samskap. Your account is ready."))
                return redirect("accounts:profile")
        except services.InvitationUnusable as error:
            return _unusable(request, error.status)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                form.add_error(None, error)
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "email_matches": signed_in and request.user.email.lower() == invitation.email,
        "oidc_enabled": settings.SAMSKAP_OIDC_ENABLED,
        "oidc_name": settings.SAMSKAP_OIDC_NAME,
    }
    response = render(request, "accounts/invitation_accept.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
