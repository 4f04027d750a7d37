"""Data exchange: initiatives and partners to CSV/Excel, and back in from a spreadsheet.

Exports read through the registry's selectors, so a file holds exactly what its reader may see
on the pages. Imports are all-or-nothing: every row is validated with the same form the page
uses, every problem is reported with its line and column, and nothing is stored unless the
whole file is correct.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, OrganisationKind
from samskap.core import numbers, spreadsheets
from samskap.core.import_templates import Column
from samskap.core.tabular import Table
from samskap.registry import selectors, services
from samskap.registry.forms import InitiativeForm, ParticipationForm
from samskap.registry.models import (
    GovernanceLogic,
    Initiative,
    Participation,
    ParticipationRole,
    SectorCode,
    Stage,
    Visibility,
)

# --- export -------------------------------------------------------------------------------

INITIATIVE_COLUMNS = [
    "slug",
    "title",
    "municipality",
    "owners",
    "stage",
    "visibility",
    "governance_logic",
    "sectors",
    "need",
    "description",
    "target_group",
    "start_date",
    "planned_transition_date",
    "url",
]
PARTNER_COLUMNS = [
    "initiative",
    "organisation",
    "organisation_name",
    "kind",
    "org_number",
    "role",
    "start_date",
    "end_date",
]


# Coded columns and the names of their values in the reader's language: a person's export has,
# beside each code column (kept for machines and for importing), a column of the shown value
# under a header in the reader's language.
CODE_LABELS = {
    "stage": (pgettext_lazy("export", "stage"), Stage),
    "visibility": (pgettext_lazy("export", "visibility"), Visibility),
    "governance_logic": (pgettext_lazy("export", "governance logic"), GovernanceLogic),
    "sectors": (pgettext_lazy("export", "sectors"), SectorCode),
    "kind": (pgettext_lazy("export", "type of organisation"), OrganisationKind),
    "role": (pgettext_lazy("export", "role"), ParticipationRole),
}


def with_labels(rows: list[dict], columns: list[str]) -> tuple[list[dict], list[str]]:
    """``rows`` and ``columns`` with a label column after each coded one (see CODE_LABELS)."""
    labelled: list[str] = []
    for column in columns:
        labelled.append(column)
        if column in CODE_LABELS:
            labelled.append(str(CODE_LABELS[column][0]))
    for row in rows:
        for column, (header, choices) in CODE_LABELS.items():
            if column in row:
                names = dict(choices.choices)
                codes = [code for code in str(row[column]).split(",") if code]
                row[str(header)] = ", ".join(str(names.get(code, code)) for code in codes)
    return rows, labelled


def initiative_rows(initiatives: Iterable[Initiative], base_url: str = "") -> list[dict]:
    return [
        {
            "slug": i.slug,
            "title": i.title,
            "municipality": i.municipality.slug,
            "owners": ",".join(sorted(m.slug for m in i.owners.all())),
            "stage": i.stage,
            "visibility": i.visibility,
            "governance_logic": i.governance_logic,
            "sectors": ",".join(sorted(s.code for s in i.sectors.all())),
            "need": i.need,
            "description": i.description,
            "target_group": i.target_group,
            # Dates as dates: date cells in Excel, ISO text in CSV and JSON.
            "start_date": i.start_date or "",
            "planned_transition_date": i.planned_transition_date or "",
            "url": base_url + i.get_absolute_url(),
        }
        for i in initiatives
    ]


PUBLISHED_COLUMNS = ["sroi_ratio", "sroi_ratio_p5", "sroi_ratio_p95", "value_method"]
# Number formats of the number columns in Excel (dates get a date format by their type).
NUMBER_FORMATS = dict.fromkeys(PUBLISHED_COLUMNS[:3], numbers.excel_format("ratio", 2))


def add_published_results(rows: list[dict], initiatives: Iterable[Initiative]) -> None:
    """What each initiative's municipality published (``valuation.publication``, the fields of
    ``registry.public.PUBLISHED_RESULTS_FIELDS``): the value with its band and method as
    columns, and in JSON the measured effects too. Nothing for the others (empty columns)."""
    from samskap.valuation.publication import published_fields

    published_ids = set(
        Initiative.objects.filter(
            pk__in=[i.pk for i in initiatives], results_publication__published=True
        ).values_list("pk", flat=True)
    )
    by_slug = {i.slug: i for i in initiatives if i.pk in published_ids}
    for row in rows:
        initiative = by_slug.get(row["slug"])
        found = (published_fields(initiative) if initiative is not None else None) or {}
        for column in PUBLISHED_COLUMNS:
            value = found.get(column)
            row[column] = "" if value is None else value
        row["measured_effects"] = found.get("measured_effects", [])


def partner_rows(participations: Iterable[Participation]) -> list[dict]:
    return [
        {
            "initiative": p.initiative.slug,
            "organisation": p.organisation.slug,
            "organisation_name": p.organisation.name,
            "kind": p.organisation.kind,
            "org_number": p.organisation.org_number,
            "role": p.role,
            "start_date": p.start_date or "",
            "end_date": p.end_date or "",
        }
        for p in participations
    ]


def visible_initiatives(access: Access):
    return (
        selectors.initiatives_visible_to(access)
        .select_related("municipality")
        .prefetch_related("owners", "sectors")
        .order_by("municipality__name", "title")
    )


def visible_participations(access: Access):
    return (
        Participation.objects.filter(initiative__in=selectors.initiatives_visible_to(access))
        .select_related("initiative", "organisation")
        .order_by("initiative__title", "organisation__name")
    )


def table_response(rows: list[dict], columns: list[str], fmt: str, filename: str) -> HttpResponse:
    """Rows as a CSV (UTF-8 with BOM, so Excel reads æøå) or an .xlsx download."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        safe = spreadsheets.csv_cell
        writer.writerows({k: safe(row.get(k, "")) for k in columns} for row in rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = filename[:31]
        spreadsheets.append(sheet, columns)
        formats = [NUMBER_FORMATS.get(column) for column in columns]
        for row in rows:
            spreadsheets.append(sheet, [row.get(column, "") for column in columns], formats)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                60, max(len(column), *(len(str(row.get(column, ""))) for row in rows[:200]), 8) + 2
            )
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """The outcome of an import: problems by line, or the number of rows stored."""

    kind: str
    rows: int = 0
    stored: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, line: int, column: str, message: str) -> None:
        self.problems.append((line, column, message))


def _form_problems(report: ImportReport, line: int, form, columns: dict[str, str]) -> None:
    for name, errors in form.errors.items():
        for error in errors:
            report.add(line, columns.get(name, name), error)


def _split(value: object) -> list[str]:
    return [part.strip() for part in str(value or "").replace(";", ",").split(",") if part.strip()]


def initiative_import_columns() -> list[Column]:
    """The initiative import's columns: codes, headers in the reader's language, meaning (the one
    list the import, its page and its templates read)."""
    return [
        Column(
            "title",
            pgettext_lazy("import column", "Title"),
            gettext_lazy("The initiative's name."),
            "Middagsvenner",
        ),
        Column(
            "need",
            pgettext_lazy("import column", "Need"),
            gettext_lazy("The need or challenge the initiative answers."),
            "Mange eldre spiser alene hver dag",
        ),
        Column(
            "target_group",
            pgettext_lazy("import column", "Target group"),
            gettext_lazy("Who the initiative is for."),
            "Eldre som bor alene",
        ),
        Column(
            "sectors",
            pgettext_lazy("import column", "Sectors"),
            format_lazy(
                gettext_lazy("Sector codes separated by commas: {codes}."),
                codes=", ".join(SectorCode.values),
            ),
            "elderly_care,health",
        ),
        Column(
            "description",
            pgettext_lazy("import column", "Description"),
            gettext_lazy("What the initiative does."),
            "",
            required=False,
        ),
        Column(
            "governance_logic",
            pgettext_lazy("import column", "Governance logic"),
            format_lazy(
                gettext_lazy("One of: {codes}; empty: network."),
                codes=", ".join(GovernanceLogic.values),
            ),
            "network",
            required=False,
        ),
        Column(
            "visibility",
            pgettext_lazy("import column", "Visibility"),
            format_lazy(
                gettext_lazy("One of: {codes}; empty: internal."),
                codes=", ".join(Visibility.values),
            ),
            "internal",
            required=False,
        ),
        Column(
            "start_date",
            pgettext_lazy("import column", "Start date"),
            gettext_lazy("The date it started, as 2026-01-31."),
            "",
            required=False,
        ),
        Column(
            "contact_name",
            pgettext_lazy("import column", "Contact person"),
            gettext_lazy("The contact person's name (not public)."),
            "",
            required=False,
        ),
        Column(
            "contact_email",
            pgettext_lazy("import column", "Contact e-mail"),
            gettext_lazy("The contact person's e-mail address (not public)."),
            "",
            required=False,
        ),
    ]


INITIATIVE_IMPORT_COLUMNS = [c.name for c in initiative_import_columns() if c.required]
INITIATIVE_OPTIONAL_COLUMNS = [c.name for c in initiative_import_columns() if not c.required]


def import_initiatives(table: Table, access: Access, municipality: Municipality) -> ImportReport:
    """Create one initiative (as an idea) per row; all rows or none."""
    from samskap.registry.models import Sector

    report = ImportReport("initiatives", rows=len(table.rows))
    for column in table.missing_columns(INITIATIVE_IMPORT_COLUMNS):
        report.add(1, column, _("This column is missing."))
    if municipality.pk not in access.staff_municipality_ids:
        report.add(0, "", _("You can only import initiatives for your own municipality."))
    if not report.ok:
        return report
    sectors = {s.code: s.pk for s in Sector.objects.all()}
    valid = []
    for row in table.rows:
        data = {name: row.get(name, "") for name in INITIATIVE_OPTIONAL_COLUMNS}
        data.update({name: row.get(name, "") for name in INITIATIVE_IMPORT_COLUMNS})
        data["governance_logic"] = data["governance_logic"] or "network"
        data["visibility"] = data["visibility"] or "internal"
        codes = _split(row.get("sectors"))
        unknown = [code for code in codes if code not in sectors]
        if unknown:
            report.add(
                row.number,
                "sectors",
                _("Unknown sector code(s): %(codes)s. Known: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(sorted(sectors))},
            )
            continue
        data["sectors"] = [sectors[code] for code in codes]
        form = InitiativeForm(data, municipality=municipality)
        del form.fields["co_owners"], form.fields["project_leader"]
        if form.is_valid():
            valid.append(form.cleaned_data)
        else:
            _form_problems(report, row.number, form, {})
    if report.ok:
        _store(
            report,
            valid,
            lambda data: services.initiative_create(
                access=access,
                municipality=municipality,
                **{k: v for k, v in data.items() if k != "version"},
            ),
        )
    return report


def partner_import_columns() -> list[Column]:
    """The partner import's columns (the one list the import, its page and its templates read)."""
    return [
        Column(
            "organisation_name",
            pgettext_lazy("import column", "Organisation"),
            gettext_lazy("The organisation's name; an existing one is found by number or name."),
            "Varme Hender SA",
        ),
        Column(
            "kind",
            pgettext_lazy("import column", "Kind of organisation"),
            format_lazy(gettext_lazy("One of: {codes}."), codes=", ".join(OrganisationKind.values)),
            "social_enterprise",
        ),
        Column(
            "org_number",
            pgettext_lazy("import column", "Organisation number"),
            gettext_lazy("Nine digits, from the register of legal entities."),
            "",
            required=False,
        ),
        Column(
            "website",
            pgettext_lazy("import column", "Website"),
            gettext_lazy("The organisation's web address."),
            "",
            required=False,
        ),
        Column(
            "initiative",
            pgettext_lazy("import column", "Initiative"),
            gettext_lazy(
                "The slug (in the address) of an initiative you steer: the organisation "
                "becomes its partner. Empty: only the organisation is added."
            ),
            "",
            required=False,
        ),
        Column(
            "role",
            pgettext_lazy("import column", "Role"),
            format_lazy(
                gettext_lazy("The partner's role: {codes}."),
                codes=", ".join(ParticipationRole.values),
            ),
            "",
            required=False,
        ),
        Column(
            "start_date",
            pgettext_lazy("import column", "Start date"),
            gettext_lazy("When the participation started, as 2026-01-31."),
            "",
            required=False,
        ),
        Column(
            "end_date",
            pgettext_lazy("import column", "End date"),
            gettext_lazy("When it ended, as 2026-12-31; empty while it lasts."),
            "",
            required=False,
        ),
    ]


PARTNER_IMPORT_COLUMNS = [c.name for c in partner_import_columns() if c.required]
PARTNER_OPTIONAL_COLUMNS = [c.name for c in partner_import_columns() if not c.required]
IMPORT_COLUMNS = {"initiativ": initiative_import_columns, "partnere": partner_import_columns}


def import_partners(table: Table, access: Access) -> ImportReport:
    """Find or create each organisation (by organisation number, else by name) and, where the
    row names an initiative the user steers, add it as a partner; all rows or none."""
    report = ImportReport("partners", rows=len(table.rows))
    for column in table.missing_columns(PARTNER_IMPORT_COLUMNS):
        report.add(1, column, _("This column is missing."))
    if not report.ok:
        return report
    kinds = set(OrganisationKind.values)
    steered = {
        i.slug: i
        for i in selectors.initiatives_visible_to(access)
        if selectors.can_steer(access, i)
    }
    planned = []
    new_organisations: dict[str, Organisation] = {}  # the same new name twice is one row
    for row in table.rows:
        name, kind = str(row.get("organisation_name", "")), str(row.get("kind", ""))
        org_number = str(row.get("org_number", "") or "").replace(" ", "")
        if kind not in kinds:
            report.add(
                row.number,
                "kind",
                _("Unknown organisation type “%(kind)s”. Known: %(known)s.")
                % {"kind": kind, "known": ", ".join(sorted(kinds))},
            )
            continue
        organisation = (
            Organisation.objects.filter(org_number=org_number).first() if org_number else None
        ) or Organisation.objects.filter(name__iexact=name).first()
        organisation = organisation or new_organisations.get(name.lower())
        if organisation is None:
            organisation = Organisation(
                name=name, kind=kind, org_number=org_number, website=row.get("website", "") or ""
            )
            try:
                organisation.full_clean(exclude=["slug"])
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    for message in messages:
                        report.add(
                            row.number, {"name": "organisation_name"}.get(column, column), message
                        )
                continue
            new_organisations[name.lower()] = organisation
        slug = row.get("initiative")
        participation = None
        if slug:
            initiative = steered.get(str(slug))
            if initiative is None:
                report.add(
                    row.number,
                    "initiative",
                    _("No initiative “%(slug)s” that you steer.") % {"slug": slug},
                )
                continue
            form = ParticipationForm(
                {
                    "organisation": organisation.pk or "",
                    "role": row.get("role", ""),
                    "start_date": row.get("start_date", ""),
                    "end_date": row.get("end_date", ""),
                }
            )
            if organisation.pk is None:
                form.fields["organisation"].required = False
            if not form.is_valid():
                _form_problems(report, row.number, form, {"organisation": "organisation_name"})
                continue
            participation = (initiative, form.cleaned_data)
        planned.append((organisation, participation))
    if report.ok:

        def store(item) -> None:
            organisation, participation = item
            if organisation.pk is None:
                organisation.slug = services.unique_slug(organisation.name, model=Organisation)
                organisation.save()
            if participation:
                initiative, data = participation
                data = {**data, "organisation": organisation}
                services.participation_add(access=access, initiative=initiative, **data)

        _store(report, planned, store)
    return report


def _store(report: ImportReport, items: list, save: Callable) -> None:
    """Store every item in one transaction; a failure rolls back all and is reported."""
    try:
        with transaction.atomic():
            for item in items:
                save(item)
    except ValidationError as error:
        report.add(0, "", "; ".join(error.messages))
        return
    report.stored = len(items)
