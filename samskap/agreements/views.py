"""Agreement pages: list per initiative, create from a template, edit by section, send, sign,
versions and their differences, PDF; the municipality's templates and rules of the road."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality, Organisation
from samskap.core.confirm import confirm_first
from samskap.core.params import whole_number
from samskap.core.pdf import pdf_response
from samskap.registry import selectors as registry

from . import content as doc
from . import selectors, services
from .forms import CreateForm, EndForm, LockForm, RulesForm, SignForm, TemplateForm
from .guidance import HELP
from .models import RulesOfTheRoad, VersionStatus
from .sections import SECTIONS


def present(content: dict) -> dict:
    """The document with party keys resolved to names, for templates."""
    names = doc.party_names(content)
    keys = [p["key"] for p in content["parties"]]
    return {
        **content,
        "responsibilities": [
            {"task": r["task"], "roles": [r["roles"].get(k, "") for k in keys]}
            for r in content["responsibilities"]
        ],
        "requirements": [
            {**r, "from_name": names.get(r["from"]), "to_name": names.get(r["to"])}
            for r in content["requirements"]
        ],
        "routines": [
            {
                **r,
                "kind_label": doc.ROUTINE_KINDS.get(r["kind"]),
                "owner_name": names.get(r["owner"]),
            }
            for r in content["routines"]
        ],
        "money_items": [
            {**i, "payer_name": names.get(i["payer"]), "amount": Decimal(i["amount"])}
            for i in content["money"]["items"]
        ],
        "anchoring": [
            {**a, "kind_label": doc.ANCHOR_KINDS.get(a["kind"])} for a in content["anchoring"]
        ],
        "raci": doc.RACI,
    }


def _version(agreement, number: int | None):
    versions = agreement.versions.all()
    version = (
        versions.filter(number=number).first() if number else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404
    return version


# --- initiative level ---------------------------------------------------------------------


def agreement_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = registry.get_initiative_for(access, slug)
    context = {
        "initiative": initiative,
        "agreements": selectors.agreements_of(access, initiative),
        "can_create": _can_create(access, initiative),
    }
    return render(request, "agreements/list.html", context)


def _can_create(access, initiative) -> bool:
    return initiative.municipality_id in access.manager_municipality_ids or (
        access.user_id is not None and initiative.project_leader_id == access.user_id
    )


@login_required
def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = registry.get_initiative_for(access, slug)
    if not _can_create(access, initiative):
        raise PermissionDenied
    form = CreateForm(
        request.POST or None,
        templates=selectors.templates_for(initiative.municipality_id),
        units=selectors.municipal_units(initiative.municipality_id),
        partners=Organisation.objects.filter(
            pk__in=initiative.participations.values("organisation_id")
        ).exclude(kind="municipal_unit"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                access=access, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agreement was created from the template."))
            return redirect(agreement)
    context = {"initiative": initiative, "form": form, "help": HELP}
    return render(request, "agreements/create.html", context, status=400 if form.errors else 200)


# --- one agreement ------------------------------------------------------------------------


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk)
    if services.agreement_sync_state(agreement=agreement):
        agreement = selectors.get_agreement_for(access, pk)
    version = _version(agreement, whole_number(request.GET.get("versjon")))
    latest = services.latest_version(agreement)
    signatures = list(version.signatures.select_related("organisation"))
    signed_ids = {s.organisation_id for s in signatures}
    signable = []
    if version == latest and version.status == VersionStatus.SENT:
        signable = [
            o for o in selectors.signable_organisations(access, agreement) if o.pk not in signed_ids
        ]
    can_edit = selectors.can_edit(access, agreement)
    context = {
        "agreement": agreement,
        "version": version,
        "latest": latest,
        "versions": agreement.versions.order_by("-number"),
        "document": present(version.content),
        "signatures": signatures,
        "waiting_for": [
            p for p in version.content["parties"] if p["organisation_id"] not in signed_ids
        ],
        "missing": doc.grouped(doc.missing_parts(version.content)),
        "missing_count": len(doc.missing_parts(version.content)),
        "intact": version.is_intact,
        "can_edit": can_edit,
        "can_end": selectors.can_end(access, agreement)
        and agreement.state in ("signed", "in_force"),
        "sections": SECTIONS,
        "help": HELP.get(agreement.type),
        "sign_form": SignForm(
            organisations=signable, initial={"content_hash": version.content_hash}
        )
        if signable
        else None,
        "end_form": EndForm(initial={"lock": agreement.lock_version}),
    }
    return render(request, "agreements/detail.html", context)


@login_required
def agreement_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk, "edit")
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    latest = services.latest_version(agreement)
    bound = spec.build(latest.content, request.POST or None)
    lock = LockForm(request.POST or None, initial={"lock": agreement.lock_version})
    error = None
    if request.method == "POST" and lock.is_valid() and bound.is_valid():
        try:
            services.agreement_update(
                access=access,
                agreement=agreement,
                expected_lock=lock.cleaned_data["lock"],
                changes=spec.changes(latest.content, bound),
            )
        except ValidationError as exc:
            error = exc.messages
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(agreement)
    context = {
        "agreement": agreement,
        "latest": latest,
        "section": spec,
        "forms": bound.forms,
        "lock": lock,
        "errors": error,
        "starts_new_version": latest.is_frozen,
    }
    # Invalid fields are listed by the page's error summary, each linked to its field.
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/edit.html", context, status=status)


@login_required
@require_POST
def agreement_send(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk, "edit")
    confirmation = confirm_first(
        request,
        title=_("Send for signing"),
        question=_("Send “%(title)s” to the parties for signing?") % {"title": agreement.title},
        consequence=_(
            "The text of this version is locked; every party is asked to sign it. A later "
            "change starts a new version that must be signed again."
        ),
        button=_("Yes, send for signing"),
        cancel_url=agreement.get_absolute_url(),
    )
    if confirmation:
        return confirmation
    lock = LockForm(request.POST)
    try:
        if not lock.is_valid():
            raise ValidationError(_("The form was incomplete; reload the page."))
        services.agreement_send(
            access=access, agreement=agreement, expected_lock=lock.cleaned_data["lock"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The agreement was sent for signing."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk)
    organisations = selectors.signable_organisations(access, agreement)
    if not organisations:
        raise PermissionDenied
    form = SignForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.agreement_sign(
                access=access,
                agreement=agreement,
                organisation=next(
                    o for o in organisations if o.pk == form.cleaned_data["organisation"]
                ),
                name=form.cleaned_data["name"],
                accepted_hash=form.cleaned_data["content_hash"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your signature was recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(agreement)


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk, "end")
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the agreement ends."))
        services.agreement_end(
            access=access,
            agreement=agreement,
            expected_lock=form.cleaned_data["lock"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The agreement has ended."))
    return redirect(agreement)


@login_required
def agreement_diff(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk)
    versions = list(agreement.versions.order_by("number"))
    numbers = [v.number for v in versions]
    new = whole_number(request.GET.get("til") or numbers[-1])
    old = whole_number(request.GET.get("fra") or max((new or 0) - 1, numbers[0]))
    if new is None or old is None:
        raise Http404
    by_number = {v.number: v for v in versions}
    if old not in by_number or new not in by_number:
        raise Http404
    context = {
        "agreement": agreement,
        "old": by_number[old],
        "new": by_number[new],
        "numbers": numbers,
        "changes": doc.difference(by_number[old].content, by_number[new].content),
    }
    return render(request, "agreements/diff.html", context)


@login_required
def agreement_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access = access_for(request.user)
    agreement = selectors.get_agreement_for(access, pk)
    version = _version(agreement, number)
    context = {
        "agreement": agreement,
        "version": version,
        "document": present(version.content),
        "signatures": version.signatures.select_related("organisation"),
        "intact": version.is_intact,
        "computed_hash": version.compute_hash(),
        "printed_at": timezone.now(),
    }
    return pdf_response(
        request, "agreements/pdf.html", context, f"avtale-{agreement.pk}-v{version.number}.pdf"
    )


# --- the municipality's templates and rules of the road -------------------------------------


def _managed_municipality(access, slug: str) -> Municipality:
    return get_object_or_404(
        Municipality.objects.filter(pk__in=access.manager_municipality_ids), slug=slug
    )


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """The first municipality the user manages (the portfolio links here)."""
    access = access_for(request.user)
    place = Municipality.objects.filter(pk__in=access.manager_municipality_ids).first()
    if place is None:
        raise Http404
    return redirect("agreements:settings", municipality=place.slug)


@login_required
def settings_page(request: HttpRequest, municipality: str) -> HttpResponse:
    access = access_for(request.user)
    place = _managed_municipality(access, municipality)
    rules = RulesOfTheRoad.objects.filter(municipality=place).first()
    form = RulesForm(
        request.POST or None,
        initial={"text": rules.text if rules else "", "version": rules.version if rules else 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(
                access=access,
                municipality=place,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rules of the road were saved."))
            return redirect("agreements:settings", municipality=place.slug)
    context = {
        "municipality": place,
        "form": form,
        "templates": selectors.templates_for(place.pk),
        "help": HELP,
    }
    return render(request, "agreements/settings.html", context, status=400 if form.errors else 200)


@login_required
def template_edit(request: HttpRequest, municipality: str, pk: int) -> HttpResponse:
    """Edit one of the municipality's templates; opening a shipped one makes a copy on save."""
    access = access_for(request.user)
    place = _managed_municipality(access, municipality)
    template = get_object_or_404(selectors.templates_for(place.pk, every_language=True), pk=pk)
    form = TemplateForm(
        request.POST or None,
        initial=TemplateForm.initial_from(
            template.name if not template.is_default else f"{template.name} ({place.name})",
            template.content,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                access=access,
                municipality=place,
                name=form.cleaned_data["name"],
                agreement_type=form.cleaned_data["type"],
                language=form.cleaned_data["language"],
                content=form.apply(template.content),
                template=None if template.is_default else template,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template was saved."))
            return redirect("agreements:settings", municipality=place.slug)
    context = {"municipality": place, "form": form, "template": template}
    return render(
        request, "agreements/template_form.html", context, status=400 if form.errors else 200
    )
