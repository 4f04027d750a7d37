"""Survey management for staff: create, codes, links, paper entry, import, results, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.core import numbers
from samskap.core.confirm import confirm_first
from samskap.registry.selectors import can_edit, can_steer

from .. import exports, imports, results, surveys
from .. import queries as selectors
from ..forms import (
    ClosingForm,
    CodesForm,
    PaperForm,
    SurveyForm,
    TimePointForm,
    UploadForm,
    WithdrawForm,
)
from .common import add_errors


@login_required
def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    library = selectors.library_for(initiative).filter(answer_min__isnull=False)
    form = SurveyForm(request.POST or None, library=library)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                survey = surveys.survey_create(
                    access=access,
                    initiative=initiative,
                    title=data["title"],
                    purpose=data["purpose"],
                    consent_text=data["consent_text"],
                    items=data["items"],
                )
                for kind in ("before", "after"):
                    surveys.time_point_add(
                        access=access, survey=survey, kind=kind, opens_on=data[kind]
                    )
            return redirect("measurement:survey", slug=slug, pk=survey.pk)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "measurement/form.html",
        {"initiative": initiative, "form": form, "heading": _("New participant survey")},
    )


@login_required
def survey_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug)
    survey = selectors.get_survey(initiative, pk)
    editable = can_edit(access, initiative)
    bound: dict = {}
    if request.method == "POST":
        if not editable:
            raise Http404
        outcome = _survey_post(request, access, initiative, survey)
        if isinstance(outcome, HttpResponse):
            return outcome
        bound = outcome  # a time point form with errors, shown again
    points = list(survey.time_points.all())
    counts = {
        point.pk: point.responses.filter(submitted_at__isnull=False).count() for point in points
    }
    shown = results.shown_answer_counts(survey, counts)
    context = {
        "initiative": initiative,
        "survey": survey,
        "items": survey.survey_items.select_related("library"),
        "points": [(point, shown[point.pk]) for point in points],
        "participants": initiative.participants.filter(withdrawn_at__isnull=True).count(),
        "can_edit": editable,
        "can_steer": can_steer(access, initiative),
        "codes_form": CodesForm(),
        "time_point_form": bound.get("time_point_form") or TimePointForm(),
        "closing_form": bound.get("closing_form") or ClosingForm(survey=survey),
        "withdraw_form": WithdrawForm(),
    }
    status = 400 if bound else 200
    return render(request, "measurement/survey_detail.html", context, status=status)


def _time_point_post(request, access, survey) -> dict | None:
    """Add a time point or change a closing date; the bound form when it has errors."""
    if "time_point" in request.POST:
        form = TimePointForm(request.POST)
        name = "time_point_form"
    else:
        form = ClosingForm(request.POST, survey=survey)
        name = "closing_form"
    if form.is_valid():
        try:
            if name == "time_point_form":
                surveys.time_point_add(access=access, survey=survey, **form.cleaned_data)
                messages.success(request, _("Time point added."))
            else:
                surveys.time_point_close(
                    access=access,
                    point=form.cleaned_data["point"],
                    closes_on=form.cleaned_data["closes_on"],
                )
                messages.success(request, _("Closing date saved."))
            return None
        except ValidationError as error:
            add_errors(form, error)
    return {name: form}


def _survey_post(request, access, initiative, survey) -> HttpResponse | dict:
    if "time_point" in request.POST or "closing" in request.POST:
        bound = _time_point_post(request, access, survey)
        if bound:
            return bound
        return redirect("measurement:survey", slug=initiative.slug, pk=survey.pk)
    try:
        if "codes" in request.POST:
            form = CodesForm(request.POST)
            if form.is_valid():
                surveys.participants_create(
                    access=access,
                    initiative=initiative,
                    count=form.cleaned_data["count"],
                    comparison=form.cleaned_data["comparison"],
                )
                messages.success(request, _("New codes created."))
        elif "withdraw" in request.POST:
            form = WithdrawForm(request.POST)
            if form.is_valid():
                participant = initiative.participants.filter(
                    code=form.cleaned_data["code"].strip().upper()
                ).first()
                if participant is None:
                    raise ValidationError(_("No participant has this code."))
                confirmation = confirm_first(
                    request,
                    title=_("Withdraw a participant"),
                    question=_("Withdraw participant %(code)s and delete all their answers?")
                    % {"code": participant.code},
                    consequence=_("This cannot be undone."),
                    button=_("Yes, withdraw and delete"),
                    cancel_url=request.path,
                )
                if confirmation:
                    return confirmation
                surveys.staff_withdraw(access=access, participant=participant)
                messages.success(request, _("The participant is withdrawn; answers deleted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("measurement:survey", slug=initiative.slug, pk=survey.pk)


@login_required
def code_list(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A printable list of codes for offline use (no names)."""
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    survey = selectors.get_survey(initiative, pk)
    return render(
        request,
        "measurement/code_list.html",
        {
            "initiative": initiative,
            "survey": survey,
            "participants": initiative.participants.filter(withdrawn_at__isnull=True),
        },
    )


@login_required
@require_POST
def links_issue(request: HttpRequest, slug: str, pk: int, point: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    survey = selectors.get_survey(initiative, pk)
    time_point = get_object_or_404(survey.time_points, pk=point)
    given_out = surveys.open_links(time_point)
    if given_out:
        # New links replace the ones already handed out: ask before they stop working.
        confirmation = confirm_first(
            request,
            title=_("Make new personal links"),
            question=ngettext(
                "%(n)s participant already has a link for %(point)s. Make new links?",
                "%(n)s participants already have a link for %(point)s. Make new links?",
                given_out,
            )
            % {"n": numbers.integer(given_out), "point": time_point.get_kind_display().lower()},
            consequence=_(
                "The links given out earlier stop working; answers already saved are kept. "
                "Give each participant the new link."
            ),
            button=_("Yes, make new links"),
            cancel_url=reverse("measurement:survey", args=[initiative.slug, survey.pk]),
        )
        if confirmation:
            return confirmation
    issued = surveys.links_issue(access=access, time_point=time_point)
    links = [
        (code, request.build_absolute_uri(reverse("measurement:respond", args=[token])))
        for code, token in issued
    ]
    return render(
        request,
        "measurement/links.html",
        {"initiative": initiative, "survey": survey, "time_point": time_point, "links": links},
    )


@login_required
def paper_entry(request: HttpRequest, slug: str, pk: int, point: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    survey = selectors.get_survey(initiative, pk)
    time_point = get_object_or_404(survey.time_points, pk=point)
    form = PaperForm(request.POST or None, questions=surveys.questions_of(survey))
    if request.method == "POST" and form.is_valid():
        try:
            surveys.paper_entry(
                access=access,
                time_point=time_point,
                code=form.cleaned_data["code"],
                answers=form.answers(),
            )
            messages.success(request, _("The paper form is saved."))
            return redirect(request.path)
        except ValidationError as error:
            add_errors(form, error)
    heading = _("Enter a paper form: %(point)s") % {"point": time_point}
    return render(
        request,
        "measurement/form.html",
        {"initiative": initiative, "form": form, "heading": heading},
    )


@login_required
def answers_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    survey = selectors.get_survey(initiative, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.import_answers(
            access=access, survey=survey, source=form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(request, _("%(count)s answers imported.") % {"count": report.created})
    return render(
        request,
        "measurement/values_import.html",
        {
            "initiative": initiative,
            "survey": survey,
            "form": form,
            "report": report,
            "columns": imports.answer_columns(),
        },
    )


@login_required
def survey_results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug)
    survey = selectors.get_survey(initiative, pk)
    found = results.survey_results(survey)
    return render(
        request,
        "measurement/results.html",
        {
            "initiative": initiative,
            "survey": survey,
            "results": found,
            "chart": results.change_chart(found),
            "comparisons": any(not row.result.suppressed for row in found),
            "holm": any(row.holm_p is not None for row in found),
            "changes_hidden": any(
                r.result.small_sample and r.result.changes is None and not r.result.suppressed
                for r in found
            ),
        },
    )


@login_required
def survey_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "steer")
    survey = selectors.get_survey(initiative, pk)
    try:
        return exports.survey_export(survey, fmt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measurement:survey", slug=slug, pk=pk)
