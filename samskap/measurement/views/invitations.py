"""Survey invitations by e-mail: the form, the links to copy, each message's state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.core import outbox
from samskap.core.confirm import confirm_first
from samskap.core.outbox.models import Message

from .. import invitations
from .. import queries as selectors
from ..forms import SurveyInvitationForm
from ..models import TimePoint
from .common import add_errors


def _time_point(request: HttpRequest, slug: str, pk: int, point: int):
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    survey = selectors.get_survey(initiative, pk)
    return access, initiative, survey, get_object_or_404(survey.time_points, pk=point)


@login_required
def invitations_send(request: HttpRequest, slug: str, pk: int, point: int) -> HttpResponse:
    """Invite people by e-mail; after sending, each address with its code and link, shown
    once to copy, and below it the state of every invitation of this time point."""
    access, initiative, survey, time_point = _time_point(request, slug, pk, point)
    language = initiative.municipality.default_language
    form = SurveyInvitationForm(request.POST or None, language=language)
    invited = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = invitations.invitations_send(
                access=access,
                time_point=time_point,
                invitees=data["recipients"],
                language=data["language"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("measurement:respond", args=[token])
                ),
                batch=data["batch"],
                sender=request.user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "sent":
                messages.info(request, " ".join(error.messages))
                return redirect(request.path)
            add_errors(form, error)
        else:
            form = SurveyInvitationForm(language=language)
    context = {
        "initiative": initiative,
        "survey": survey,
        "time_point": time_point,
        "form": form,
        "invited": invited,
        "sent_messages": invitations.invitation_messages(time_point),
    }
    response = render(request, "measurement/invitations.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _invitation_message(time_point: TimePoint, pk: int) -> Message:
    return get_object_or_404(
        Message,
        pk=pk,
        kind=invitations.TEMPLATE,
        cause_type=ContentType.objects.get_for_model(TimePoint),
        cause_id=str(time_point.pk),
    )


@login_required
@require_POST
def invitation_forget(
    request: HttpRequest, slug: str, pk: int, point: int, message: int
) -> HttpResponse:
    """Remove a failed invitation's address and link (the person got the link another way)."""
    _access, _initiative, _survey, time_point = _time_point(request, slug, pk, point)
    found = _invitation_message(time_point, message)
    confirmation = confirm_first(
        request,
        title=_("Remove the address"),
        question=_("Remove the address %(to)s from this invitation?") % {"to": found.to},
        consequence=_(
            "The address and the link are removed from Samskap; the invitation cannot be sent "
            "again."
        ),
        button=_("Yes, remove the address"),
        cancel_url=reverse("measurement:invitations", args=[slug, pk, point]),
    )
    if confirmation:
        return confirmation
    try:
        outbox.forget(found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The address is removed."))
    return redirect("measurement:invitations", slug=slug, pk=pk, point=point)


@login_required
@require_POST
def invitation_resend(
    request: HttpRequest, slug: str, pk: int, point: int, message: int
) -> HttpResponse:
    """Send a failed invitation again (a delivered one has forgotten its address)."""
    _access, _initiative, _survey, time_point = _time_point(request, slug, pk, point)
    found = _invitation_message(time_point, message)
    confirmation = confirm_first(
        request,
        title=_("Send the message again"),
        question=_("Send “%(subject)s” to %(to)s again?")
        % {"subject": found.subject, "to": found.to},
        consequence=_("The e-mail is queued and sent within a few minutes."),
        button=_("Yes, send it again"),
        cancel_url=reverse("measurement:invitations", args=[slug, pk, point]),
    )
    if confirmation:
        return confirmation
    try:
        outbox.resend(found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message to %(to)s is queued again.") % {"to": found.to})
    return redirect("measurement:invitations", slug=slug, pk=pk, point=point)
