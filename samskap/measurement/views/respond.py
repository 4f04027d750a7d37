"""The participant's personal link: purpose and consent first, then questions; save to resume,
send once, or withdraw. No login; the link's token is the key (stored hashed)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import surveys
from ..forms import AnswerForm
from .common import add_errors


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    response = surveys.response_for_token(token)
    survey = response.time_point.survey
    context = {"response": response, "survey": survey, "token": token}
    if response.submitted_at is not None:
        return render(request, "measurement/respond_done.html", context)
    if not surveys.link_open(response):
        context["closed_on"] = response.time_point.closes_on
        return render(request, "measurement/respond_closed.html", context, status=410)
    if response.consented_at is None:
        if request.method == "POST" and request.POST.get("consent") == "yes":
            surveys.consent(response)
            return redirect("measurement:respond", token=token)
        return render(request, "measurement/respond_consent.html", context)
    questions = surveys.questions_of(survey)
    saved = {f"q-{a.item_id}-{a.question}": str(a.value) for a in response.answers.all()}
    form = AnswerForm(request.POST or None, questions=questions, initial=saved)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.response_save(
                response=response, answers=form.answers(), submit="send" in request.POST
            )
            if "send" in request.POST:
                return redirect("measurement:respond", token=token)
            context["saved"] = True
            form = AnswerForm(
                questions=questions,
                initial={
                    f"q-{a.item_id}-{a.question}": str(a.value) for a in response.answers.all()
                },
            )
        except ValidationError as error:
            add_errors(form, error)
            if "send" in request.POST:
                _mark_unanswered(form, saved)
    context["form"] = form
    return render(request, "measurement/respond_form.html", context)


def _mark_unanswered(form: AnswerForm, saved: dict[str, str]) -> None:
    """Each question still open gets its own error, so the error summary links to it."""
    for name in form.fields:
        answered = form.cleaned_data.get(name) not in (None, "") or name in saved
        if name.startswith("q-") and not answered:
            form.add_error(name, _("Answer this question, or save and come back later."))


@never_cache
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    response = surveys.response_for_token(token)
    survey = response.time_point.survey
    if not surveys.withdrawal_open(survey):
        context = {"survey": survey, "withdrawal": True}
        return render(request, "measurement/respond_closed.html", context, status=410)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        surveys.withdraw(response.participant)
        return render(request, "measurement/respond_withdrawn.html", {})
    return render(
        request,
        "measurement/respond_withdraw.html",
        {"token": token, "survey": response.time_point.survey},
    )
