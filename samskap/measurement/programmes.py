"""A municipality's programmes and its own library indicators: access, reads and writes.

Who may do what, per municipality (the ``<municipality>`` in the URL):

- read its programmes and its library: staff of the municipality (any staff role);
- create and edit programmes and own library indicators: its coordinators and administrators;
- anyone else — another municipality's staff, partners — gets 404: the pages do not exist
  for them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality
from samskap.registry.models import Initiative
from samskap.registry.selectors import municipality_initiatives

from .models import LibraryIndicator, Programme, SurveyItem


def municipality_for(access: Access, slug: str, manage: bool = False) -> Municipality:
    """The municipality of a programme or library page: 404 unless the user is its staff, 403
    when ``manage`` is asked and the user is not its coordinator or administrator."""
    try:
        place = Municipality.objects.get(slug=slug, pk__in=access.staff_municipality_ids)
    except Municipality.DoesNotExist:
        raise Http404 from None
    if manage and place.pk not in access.manager_municipality_ids:
        raise PermissionDenied
    return place


def can_manage(access: Access, municipality: Municipality) -> bool:
    return municipality.pk in access.manager_municipality_ids


def _check_manage(access: Access, municipality: Municipality) -> None:
    if not can_manage(access, municipality):
        raise PermissionDenied


# --- programmes -------------------------------------------------------------------------------


def programmes_of(municipality: Municipality) -> QuerySet[Programme]:
    return municipality.programmes.annotate(initiative_count=Count("initiatives"))


def get_programme(municipality: Municipality, slug: str) -> Programme:
    try:
        return municipality.programmes.get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404 from None


def programme_choices(municipality: Municipality) -> QuerySet[Initiative]:
    """The initiatives a programme may group: those the municipality owns."""
    return municipality_initiatives(municipality).order_by("title")


# Taken by the page that creates a programme (``…/programmer/ny/``).
RESERVED_SLUGS = {"ny"}


@transaction.atomic
def programme_save(
    *,
    access: Access,
    municipality: Municipality,
    name: str,
    slug: str = "",
    initiatives: list[Initiative] | QuerySet[Initiative] = (),
    programme: Programme | None = None,
) -> Programme:
    """Create a programme (``programme`` None) or change one. The slug defaults to the name's;
    initiatives must be owned by the municipality."""
    _check_manage(access, municipality)
    if programme is not None and programme.municipality_id != municipality.pk:
        raise PermissionDenied
    programme = programme or Programme(municipality=municipality)
    programme.name = name.strip()
    programme.slug = slugify(slug or name)[:220]
    if not programme.slug or programme.slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("Choose another slug: it needs letters or digits, and “ny” is taken.")}
        )
    if municipality.programmes.filter(slug=programme.slug).exclude(pk=programme.pk).exists():
        raise ValidationError(
            {
                "slug": _("Another programme already uses the slug “%(slug)s”.")
                % {"slug": programme.slug}
            }
        )
    chosen = list(initiatives)
    owned = set(
        programme_choices(municipality)
        .filter(pk__in=[i.pk for i in chosen])
        .values_list("pk", flat=True)
    )
    if any(initiative.pk not in owned for initiative in chosen):
        raise ValidationError(
            {"initiatives": _("A programme can only group initiatives the municipality owns.")}
        )
    programme.full_clean()
    programme.save()
    programme.initiatives.set(chosen)
    return programme


# --- the municipality's own library indicators ------------------------------------------------


def library_available(municipality: Municipality) -> QuerySet[LibraryIndicator]:
    """The shared library and the municipality's own entries (never another's)."""
    return LibraryIndicator.objects.filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    )


def get_library_entry(municipality: Municipality, pk: int) -> LibraryIndicator:
    try:
        return library_available(municipality).get(pk=pk)
    except LibraryIndicator.DoesNotExist:
        raise Http404 from None


LIBRARY_FIELDS = {
    "name",
    "definition",
    "kind",
    "unit",
    "direction",
    "questions",
    "answer_min",
    "answer_max",
    "answer_labels",
    "scoring",
    "reliability",
    "source",
    "licence",
}
# What participants answered: fixed once a survey asks the entry's questions.
SURVEY_FIELDS = ("questions", "answer_min", "answer_max", "scoring")


def _check_answers(entry: LibraryIndicator) -> None:
    low, high = entry.answer_min, entry.answer_max
    if entry.questions and (low is None or high is None):
        raise ValidationError(
            {"answer_min": _("Questions need the lowest and the highest answer.")}
        )
    if (low is None) != (high is None):
        raise ValidationError({"answer_max": _("Give both the lowest and the highest answer.")})
    if low is not None and low >= high:
        raise ValidationError({"answer_max": _("The highest answer must be above the lowest.")})


@transaction.atomic
def library_entry_save(
    *,
    access: Access,
    municipality: Municipality,
    entry: LibraryIndicator | None = None,
    **fields: object,
) -> LibraryIndicator:
    """Create (``entry`` None) or change one of the municipality's own library indicators.
    Shared entries are read-only; the questions and answer scale of an entry a survey already
    uses stay as they are (the answers were given to them)."""
    _check_manage(access, municipality)
    unknown = set(fields) - LIBRARY_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if entry is not None and entry.municipality_id != municipality.pk:
        raise PermissionDenied
    if entry is not None and SurveyItem.objects.filter(library=entry).exists():
        for name in SURVEY_FIELDS:
            if name in fields and fields[name] != getattr(entry, name):
                raise ValidationError(
                    {
                        name: _(
                            "A survey already asks this indicator's questions, so its questions "
                            "and answer scale cannot change. Add a new indicator instead."
                        )
                    }
                )
    if (
        entry is not None
        and "unit" in fields
        and fields["unit"] != entry.unit
        and entry.adoptions.exists()
    ):
        # One unit per library indicator: programme totals add up the adoptions of an entry.
        raise ValidationError(
            {
                "unit": _(
                    "Initiatives have adopted this indicator as %(unit)s, so its unit cannot "
                    "change. Add a new indicator instead."
                )
                % {"unit": entry.get_unit_display().lower()}
            }
        )
    entry = entry or LibraryIndicator(municipality=municipality)
    for name, value in fields.items():
        setattr(entry, name, value)
    if not entry.code:
        base = slugify(entry.name)[:50] or "indicator"
        code, n = base, 2
        while library_available(municipality).filter(code=code).exists():
            code, n = f"{base}-{n}", n + 1
        entry.code = code
    _check_answers(entry)
    entry.full_clean()
    entry.save()
    return entry
