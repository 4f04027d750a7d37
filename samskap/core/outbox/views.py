"""The coordinators' view of the outbox: every message of their municipalities, its state,
and "send again". The text of a message is never shown: it may hold someone's personal link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.core.confirm import confirm_first

from . import resend
from .models import MessageState
from .selectors import messages_visible_to

PAGE_SIZE = 50


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_manager:
        raise PermissionDenied(_("Only coordinators see the municipality's messages."))
    state = request.GET.get("state", "")
    page = Paginator(messages_visible_to(access, state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "state": state if state in MessageState.values else "",
        "states": MessageState.choices,
    }
    response = render(request, "outbox/message_list.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def message_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """A failed message goes back in the queue (the pages that sent a message also offer to
    send a delivered one again, where they know whether its link still works)."""
    access = access_for(request.user)
    message = get_object_or_404(messages_visible_to(access), pk=pk)
    if message.state != MessageState.FAILED:
        messages.error(request, _("Only a failed message can be sent again here."))
        return redirect("outbox:messages")
    confirmation = confirm_first(
        request,
        title=_("Send the message again"),
        question=_("Send “%(subject)s” to %(to)s again?")
        % {"subject": message.subject, "to": message.to},
        consequence=_("The e-mail is queued and sent within a few minutes."),
        button=_("Yes, send it again"),
        cancel_url=reverse("outbox:messages"),
    )
    if confirmation:
        return confirmation
    try:
        resend(message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message to %(to)s is queued again.") % {"to": message.to})
    return redirect("outbox:messages")
