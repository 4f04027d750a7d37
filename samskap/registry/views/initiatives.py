"""An initiative: its page, editing, lifecycle moves, partners and stories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.core.confirm import confirm_first
from samskap.core.extensions import initiative_panels

from .. import lifecycle, selectors, services
from ..forms import InitiativeForm, MoveForm, ParticipationForm, StoryForm


def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug)
    internal = selectors.can_see_internal(access, initiative)
    steer = selectors.can_steer(access, initiative)
    context = {
        "initiative": initiative,
        "internal": internal,
        "can_edit": selectors.can_edit(access, initiative),
        "can_steer": steer,
        "owners": initiative.owners.all(),
        "sectors": initiative.sectors.all(),
        "participations": selectors.participations_of(initiative),
        "stories": selectors.visible_stories(access, initiative),
        "history": initiative.stage_changes.select_related("changed_by"),
        "move_form": MoveForm(current_stage=initiative.stage) if steer else None,
        "today": timezone.localdate(),
        "panels": initiative_panels(request, initiative, access),
        "similar": selectors.similar_initiatives(initiative),
    }
    return render(request, "registry/initiative_detail.html", context)


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    municipalities = Municipality.objects.filter(pk__in=access.staff_municipality_ids)
    municipality = (
        get_object_or_404(municipalities, slug=request.GET.get("municipality") or None)
        if request.GET.get("municipality")
        else municipalities.first()
    )
    if municipality is None:
        raise PermissionDenied(_("Only municipal staff can report initiatives."))
    form = InitiativeForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            initiative = services.initiative_create(
                access=access, municipality=municipality, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The initiative was added to the registry."))
            return redirect(initiative)
    return render(
        request,
        "registry/initiative_form.html",
        {"form": form, "municipality": municipality, "municipalities": municipalities},
    )


@login_required
def initiative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug, "edit")
    steering = selectors.can_steer(access, initiative)
    form = InitiativeForm(
        request.POST or None,
        instance=initiative,
        municipality=initiative.municipality,
        steering=steering,
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        try:
            services.initiative_update(
                access=access,
                initiative=initiative,
                expected_version=form.cleaned_data["version"] or 0,
                sectors=form.cleaned_data["sectors"],
                co_owners=form.cleaned_data.get("co_owners") if steering else None,
                **changes,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(initiative)
    return render(
        request, "registry/initiative_form.html", {"form": form, "initiative": initiative}
    )


def _known(initiative) -> dict:
    """What a move form can fill in: the pilot plan, and the decision already recorded."""
    known = {
        "planned_transition_date": initiative.planned_transition_date,
        "operating_owner": initiative.operating_owner_id,
        "post_pilot_funding": initiative.post_pilot_funding,
    }
    decision = (
        initiative.stage_changes.exclude(decision_body="").order_by("-changed_at", "-id").first()
    )
    if decision is not None:
        known |= {
            "decision_body": decision.decision_body,
            "decision_case_number": decision.decision_case_number,
            "decision_date": decision.decision_date,
            "decision_url": decision.decision_url,
        }
    return known


@login_required
def initiative_move(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug, "steer")
    # The fields depend on the chosen move: the target posted, or asked for by the select
    # (?target=, htmx swaps the form), or the first allowed move.
    data = request.POST if request.method == "POST" else None
    target = (data or request.GET).get("target", "")
    form = MoveForm(data, current_stage=initiative.stage, target=target, initial=_known(initiative))
    if data is not None and data.get("shown_for", form.chosen) != form.chosen:
        # The move was changed without JavaScript: show its fields first, no errors yet.
        form = MoveForm(
            current_stage=initiative.stage,
            target=form.chosen,
            initial={**_known(initiative), "target": form.chosen, "note": data.get("note", "")},
        )
    elif data is not None and form.is_valid():
        try:
            services.initiative_move(access=access, initiative=initiative, move=form.move_request())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stage was changed."))
            return redirect(initiative)
    # Choosing another move fetches this page for it; htmx swaps in the form (no reload).
    form.fields["target"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-target": "#move-form",
            "hx-select": "#move-form",
            "hx-swap": "outerHTML",
        }
    )
    status = 400 if form.errors else 200
    context = {
        "initiative": initiative,
        "form": form,
        "terminal": lifecycle.TERMINAL,
    }
    return render(request, "registry/initiative_move.html", context, status=status)


@login_required
def story_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug, "edit")
    form = StoryForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.story_create(access=access, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The story was saved."))
            return redirect(initiative)
    context = {
        "form": form,
        "initiative": initiative,
        "heading": _("Add story or lesson"),
        "help": _(
            "Record what went well, what was hard, and effects nobody intended — negative ones "
            "too. They are how others learn."
        ),
    }
    return render(request, "registry/simple_form.html", context)


@login_required
def participation_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug, "steer")
    form = ParticipationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_add(access=access, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partner was added."))
            return redirect(initiative)
    context = {"form": form, "initiative": initiative, "heading": _("Add partner")}
    return render(request, "registry/simple_form.html", context)


@login_required
@require_POST
def participation_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug, "steer")
    participation = get_object_or_404(initiative.participations, pk=pk)
    confirmation = confirm_first(
        request,
        title=_("End the participation"),
        question=_("End the participation of %(organisation)s in %(initiative)s today?")
        % {"organisation": participation.organisation, "initiative": initiative.title},
        consequence=_("The partner stays in the history with today as the end date."),
        button=_("Yes, end it today"),
        cancel_url=initiative.get_absolute_url(),
    )
    if confirmation:
        return confirmation
    try:
        services.participation_end(
            access=access, participation=participation, end_date=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The participation was ended today."))
    return redirect(initiative)
