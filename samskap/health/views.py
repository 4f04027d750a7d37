"""Health-check pages: rounds of an initiative, results, reminders, own items, and the
respondent's page reached by a personal link (no account)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.core import numbers, outbox
from samskap.core.confirm import confirm_first
from samskap.core.outbox.models import Message
from samskap.core.params import whole_numbers
from samskap.registry.selectors import can_steer

from . import presentation, queries, scoring, services
from .forms import AnswerForm, OwnItemForm, RoundStartForm
from .models import Item, Respondent, Round


def _link_for(request: HttpRequest):
    return lambda token: request.build_absolute_uri(reverse("health:respond", args=[token]))


def _add_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form, by field where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, problems)


def _round_url(round_) -> str:
    return reverse("health:round", args=[round_.initiative.slug, round_.number])


@login_required
def rounds(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative's rounds, the trend over the closed ones, and a start button."""
    access = access_for(request.user)
    initiative = queries.get_initiative(access, slug, "results")
    results = queries.results(queries.closed_rounds(initiative, timezone.localdate()))
    context = {
        "initiative": initiative,
        "rounds": queries.rounds_of(initiative),
        "can_steer": can_steer(access, initiative),
        "results": results,
        "trend_chart": presentation.trend_chart(results),
        "trend_rows": presentation.trend_rows(results),
        "today": timezone.localdate(),
    }
    return render(request, "health/rounds.html", context)


STARTED_KEYS = "health_started_rounds"


@login_required
def round_start(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = queries.get_initiative(access, slug, "steer")
    started = request.session.get(STARTED_KEYS, {})
    key = request.POST.get("start_key", "")
    if request.method == "POST" and key and key in started:
        # The same form sent again: the round exists and its invitations are queued.
        round_ = Round.objects.filter(pk=started[key], initiative=initiative).first()
        if round_ is not None:
            messages.info(
                request,
                _(
                    "This round was already started and its invitations are on their way; "
                    "it was not started twice. Make a new link below if someone needs one."
                ),
            )
            return redirect(_round_url(round_))
    form = RoundStartForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_, links = services.round_start(
                access=access,
                initiative=initiative,
                title=data["title"],
                closes_on=data["closes_on"],
                set_codes=[s.code for s in data["sets"]],
                respondents=data["respondents"],
                include_own_items=data["include_own_items"],
                link_for=_link_for(request),
            )
        except ValidationError as error:
            _add_errors(form, error, {"respondents": "__all__"})
        else:
            if key:
                # Remember the last few keys of this session only.
                started = dict(list(started.items())[-19:])
                started[key] = round_.pk
                request.session[STARTED_KEYS] = started
            # The links are shown this once (they are stored only as digests); the
            # invitations carrying them are queued and delivered by the worker.
            link = _link_for(request)
            context = {
                "initiative": initiative,
                "round": round_,
                "links": [(respondent, link(token)) for respondent, token in links],
            }
            return render(request, "health/round_links.html", context)
    return render(request, "health/round_start.html", {"initiative": initiative, "form": form})


@login_required
def round_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A round: its results once closed; for those who steer, who has answered and reminders."""
    access = access_for(request.user)
    round_ = queries.get_round(access, slug, number, "results")
    today = timezone.localdate()
    steer = can_steer(access, round_.initiative)
    context = {"initiative": round_.initiative, "round": round_, "can_steer": steer}
    context["closed"] = closed = round_.is_closed(today)
    if closed:
        result = queries.results([round_])[0]
        context |= {
            "result": result,
            "summary": presentation.summary(result),
            "chart": presentation.round_chart(result),
            "dimension_rows": presentation.dimension_rows(result),
            "party_names": [presentation.party_name(p) for p in result.score.parties],
            "all_name": presentation.party_name("all"),
            "item_rows": presentation.item_rows(result),
            "too_few": presentation.too_few(result.score.threshold),
            "respondent_counts": [
                (
                    presentation.party_name(p),
                    result.score.respondents_shown(p),
                    scoring.is_suppressed(
                        result.score.respondents.get(p, 0), result.score.threshold
                    ),
                )
                for p in result.score.parties
            ],
            "comments": [
                (presentation.party_name(p), texts) for p, texts in result.comments.items()
            ],
        }
    if steer:
        respondents = list(queries.respondent_status(round_))
        by_respondent: dict[str, list] = {}
        for message in outbox.messages_for(respondents):
            by_respondent.setdefault(message.cause_id, []).append(message)
        for respondent in respondents:
            respondent.messages = by_respondent.get(str(respondent.pk), [])
        context["respondents"] = respondents
    return render(request, "health/round_detail.html", context)


@login_required
@require_POST
def round_new_link(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    """A new personal link for one person, shown once to copy (earlier links keep working)."""
    access = access_for(request.user)
    round_ = queries.get_round(access, slug, number, "steer")
    respondent = get_object_or_404(round_.respondents, pk=pk)
    try:
        token = services.new_link(access=access, respondent=respondent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_round_url(round_))
    context = {
        "initiative": round_.initiative,
        "round": round_,
        "links": [(respondent, _link_for(request)(token))],
        "new_link": True,
    }
    return render(request, "health/round_links.html", context)


@login_required
@require_POST
def round_resend(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    """Send one of the round's messages again (a failed one, or a sent one that got lost)."""
    access = access_for(request.user)
    round_ = queries.get_round(access, slug, number, "steer")
    message = get_object_or_404(
        Message,
        pk=pk,
        cause_type=ContentType.objects.get_for_model(Respondent),
        cause_id__in=[str(pk) for pk in round_.respondents.values_list("pk", flat=True)],
    )
    confirmation = confirm_first(
        request,
        title=_("Send the message again"),
        question=_("Send “%(subject)s” to %(to)s again?")
        % {"subject": message.subject, "to": message.to},
        consequence=_("The e-mail is queued and sent within a few minutes."),
        button=_("Yes, send it again"),
        cancel_url=_round_url(round_),
    )
    if confirmation:
        return confirmation
    try:
        outbox.resend(message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The message to %(to)s is queued again.") % {"to": message.to})
    return redirect(_round_url(round_))


@login_required
@require_POST
def round_close(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    access = access_for(request.user)
    round_ = queries.get_round(access, slug, number, "steer")
    confirmation = confirm_first(
        request,
        title=_("Close the round"),
        question=_("Close “%(title)s” now and show the results?") % {"title": round_.title},
        consequence=_(
            "Nobody can answer after this, also those who have not handed in, and the round "
            "cannot be opened again."
        ),
        button=_("Yes, close the round"),
        cancel_url=_round_url(round_),
    )
    if confirmation:
        return confirmation
    services.round_close(access=access, round_=round_)
    messages.success(request, _("The round is closed. The results are below."))
    return redirect(_round_url(round_))


@login_required
@require_POST
def round_remind(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    access = access_for(request.user)
    round_ = queries.get_round(access, slug, number, "steer")
    chosen = whole_numbers(request.POST.getlist("respondent"), minimum=1)
    recipients = services.reminder_recipients(round_, chosen or None).count()
    if recipients and not round_.is_closed(timezone.localdate()):
        confirmation = confirm_first(
            request,
            title=_("Send reminders"),
            question=ngettext(
                "Send a reminder to %(n)s person who has not answered?",
                "Send a reminder to %(n)s people who have not answered?",
                recipients,
            )
            % {"n": numbers.integer(recipients)},
            consequence=_(
                "Each is sent an e-mail with a new personal link; their earlier link keeps working."
            ),
            button=_("Yes, send reminders"),
            cancel_url=_round_url(round_),
        )
        if confirmation:
            return confirmation
    try:
        sent = services.reminders_send(
            access=access, round_=round_, link_for=_link_for(request), respondent_ids=chosen or None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reminders queued for sending: %(n)s.") % {"n": len(sent)})
    return redirect(_round_url(round_))


# Lazy: evaluated when shown, in the visitor's language (not once at import).
TOKEN_MESSAGES = {
    "invalid": (
        404,
        gettext_lazy("This link does not work"),
        gettext_lazy(
            "Check that you copied the whole link from the e-mail. If it still does not work, "
            "ask the project leader for a new link."
        ),
    ),
    "closed": (
        410,
        gettext_lazy("This health check is closed"),
        gettext_lazy("The round has closed, so no more answers can be given. Nothing was saved."),
    ),
    "submitted": (
        409,
        gettext_lazy("You have already answered"),
        gettext_lazy("Your answers were handed in and are counted once. Thank you!"),
    ),
}


def _token_problem(request: HttpRequest, reason: str) -> HttpResponse:
    status, heading, text = TOKEN_MESSAGES[reason]
    return render(
        request, "health/respond_problem.html", {"heading": heading, "text": text}, status=status
    )


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page. Save to finish later, or hand in (once)."""
    try:
        respondent = services.respondent_for_token(token)
    except services.TokenProblem as problem:
        return _token_problem(request, problem.reason)
    round_items = respondent.round.round_items.select_related("item", "item__dimension")
    stored = {
        a.round_item_id: services.DONT_KNOW if a.value is None else str(a.value)
        for a in respondent.answers.all()
    }
    form = AnswerForm(
        request.POST or None,
        round_items=round_items,
        stored=stored,
        initial={"comment": respondent.comment},
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        kwargs = {
            "token": token,
            "answers": form.answers(),
            "comment": form.cleaned_data["comment"],
        }
        try:
            services.answers_save(**kwargs, submit=submit)
        except services.TokenProblem as problem:
            return _token_problem(request, problem.reason)
        except ValidationError as error:
            # Keep what was answered so far, and say which statements are missing.
            services.answers_save(**kwargs, submit=False)
            _add_errors(form, error)
        else:
            if submit:
                return render(request, "health/respond_thanks.html", {"round": respondent.round})
            messages.success(
                request,
                _(
                    "Your answers are saved. Use the same link to continue; hand them in when "
                    "you are done."
                ),
            )
            return redirect("health:respond", token=token)
    context = {"respondent": respondent, "round": respondent.round, "form": form}
    return render(request, "health/respond.html", context)


@login_required
def own_items(request: HttpRequest) -> HttpResponse:
    """A municipality's own statements: add, see, retire."""
    access = access_for(request.user)
    municipalities = Municipality.objects.filter(
        pk__in=access.manager_municipality_ids | access.project_leader_municipality_ids
    )
    slug = request.GET.get("municipality")
    municipality = get_object_or_404(municipalities, slug=slug) if slug else municipalities.first()
    if municipality is None:
        raise PermissionDenied(_("Own statements are for coordinators and project leaders."))
    form = OwnItemForm(request.POST or None)
    if request.method == "POST" and "retire" in request.POST:
        item = get_object_or_404(
            Item, pk=request.POST.get("retire"), municipality=municipality, is_active=True
        )
        services.own_item_retire(access=access, item=item)
        messages.success(request, _("The statement will not be used in new rounds."))
        return redirect(f"{reverse('health:own_items')}?municipality={municipality.slug}")
    if request.method == "POST" and form.is_valid():
        try:
            services.own_item_create(
                access=access,
                municipality=municipality,
                dimension_code=form.cleaned_data["dimension"],
                text_nb=form.cleaned_data["text_nb"],
                text_en=form.cleaned_data["text_en"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The statement was added."))
            return redirect(f"{reverse('health:own_items')}?municipality={municipality.slug}")
    context = {
        "municipality": municipality,
        "municipalities": municipalities,
        "form": form,
        "items": Item.objects.filter(municipality=municipality).select_related("dimension"),
    }
    return render(request, "health/own_items.html", context)
