"""All-or-nothing imports of indicator values and survey answers, with a row-by-row report.

Nothing is stored from a file with any error. Survey answers are built for large files
(benchmark: 1,000,000 answers): the file is read column-wise, every row is checked against
dictionaries of the known codes in one pass (no query per row), and the answers are written
in one transaction with one bulk statement per batch (PostgreSQL: ``COPY``; SQLite:
``executemany``).

File formats (header row first; CSV with comma, semicolon or tab, UTF-8; or .xlsx):

- survey answers: ``code, time_point, item, question, value`` — ``time_point`` is
  ``before``/``after``/``follow_up``, ``item`` the library code (e.g. ``life-satisfaction``),
  ``question`` the question number within the item (1 if omitted), ``value`` a whole number on
  the item's scale;
- indicator values: ``indicator, period, kind, value, numerator, denominator, dimension,
  category, date, method`` — ``indicator`` is the indicator's code, ``period`` its label,
  ``kind`` ``baseline``/``target``/``actual``.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.core.tabular import TableError, read_table
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit

from . import services
from .models import Answer, IndicatorValue, Response, Survey

MAX_REPORTED = 200  # errors listed in the report; all are counted
BATCH = 50_000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((line, column, message))


def _name(source) -> str:
    return str(getattr(source, "name", source) or "").lower()


def read_columns(source, columns: list[str], optional: dict[str, str]) -> tuple[list, dict]:
    """(line numbers, {column: list of cells}). CSV is read straight into columns with the
    csv module — the same conventions as ``core.tabular.read_table`` (UTF-8 with or without
    BOM, comma/semicolon/tab, stripped headers and cells, blank rows skipped, line 1 = header)
    but without a dict per row, which matters for a million rows; .xlsx goes through
    ``read_table``."""
    wanted = columns + list(optional)
    if _name(source).endswith((".csv", ".txt")):
        if isinstance(source, str) or hasattr(source, "__fspath__"):
            with open(source, "rb") as handle:
                data = handle.read()
        else:
            source.seek(0)
            data = source.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(_("The CSV file is not UTF-8 text.")) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise TableError(_("The file has no header row."))
        missing = [c for c in columns if c not in header]
        if missing:
            raise TableError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        index = {c: header.index(c) for c in wanted if c in header}
        lines: list[int] = []
        cells: dict[str, list] = {c: [] for c in wanted}
        width = len(header)
        for number, row in enumerate(reader, start=2):
            if len(row) < width:
                if not any(x.strip() for x in row):
                    continue
                row = row + [""] * (width - len(row))
            elif not any(row) or not any(x.strip() for x in row):
                continue
            lines.append(number)
            for column in wanted:
                i = index.get(column)
                cells[column].append(row[i].strip() if i is not None else optional[column])
        return lines, cells
    table = read_table(source)
    missing = table.missing_columns(columns)
    if missing:
        raise TableError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    lines = [row.number for row in table.rows]
    cells = {c: [row.get(c, optional.get(c, "")) for row in table.rows] for c in wanted}
    return lines, cells


def _whole_number(raw) -> int | None:
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    try:
        return int(str(raw))
    except ValueError:
        try:
            number = float(str(raw).replace(",", "."))
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


# --- survey answers ---------------------------------------------------------------------------


def import_answers(*, access: Access, survey: Survey, source) -> ImportReport:
    """Import paper or external survey answers; all-or-nothing. Responses become submitted
    (entered by the importing user); a participant who already submitted at a time point is an
    error, so a second file cannot count anyone twice."""
    initiative = survey.initiative
    if not can_edit(access, initiative):
        raise PermissionDenied
    report = ImportReport()
    try:
        lines, cells = read_columns(
            source, ["code", "time_point", "item", "value"], {"question": "1"}
        )
    except TableError as error:
        report.add(1, "", str(error))
        return report
    report.rows = len(lines)
    participants = dict(
        initiative.participants.filter(withdrawn_at__isnull=True).values_list("code", "pk")
    )
    points = {point.kind: point.pk for point in survey.time_points.all()}
    items = {
        item.library.code: (
            item.pk,
            len(item.library.questions),
            item.library.answer_min,
            item.library.answer_max,
        )
        for item in survey.survey_items.select_related("library")
    }
    existing = {
        (pid, tid): (rid, submitted is not None)
        for rid, pid, tid, submitted in Response.objects.filter(
            time_point__survey=survey
        ).values_list("pk", "participant_id", "time_point_id", "submitted_at")
    }
    rows: list[tuple[int, int, int, int, int]] = []  # participant, time point, item, q, value
    seen: set[tuple[int, int, int, int]] = set()
    add = report.add
    for line, code, kind, item_code, question_raw, value_raw in zip(
        lines,
        cells["code"],
        cells["time_point"],
        cells["item"],
        cells["question"],
        cells["value"],
        strict=True,
    ):
        participant = participants.get(str(code).strip().upper())
        if participant is None:
            add(line, "code", _("Unknown participant code."))
            continue
        point = points.get(kind)
        if point is None:
            add(line, "time_point", _("This survey has no such time point."))
            continue
        spec = items.get(item_code)
        if spec is None:
            add(line, "item", _("Not an item of this survey."))
            continue
        item_id, questions, low, high = spec
        question = _whole_number(question_raw)
        if question is None or not 1 <= question <= questions:
            add(line, "question", _("No such question in this item."))
            continue
        value = _whole_number(value_raw)
        if value is None:
            add(line, "value", _("Not a whole number."))
            continue
        if not low <= value <= high:
            add(line, "value", _("Out of scale (%(low)s–%(high)s).") % {"low": low, "high": high})
            continue
        key = (participant, point, item_id, question)
        if key in seen:
            add(line, "code", _("The same answer appears twice in the file."))
            continue
        previous = existing.get((participant, point))
        if previous is not None and previous[1]:
            add(line, "code", _("This participant has already answered at this time point."))
            continue
        seen.add(key)
        rows.append((participant, point, item_id, question, value))
    if not report.ok:
        return report
    with transaction.atomic():
        _store_answers(access, rows, existing)
    report.created = len(rows)
    return report


def _store_answers(access: Access, rows: list, existing: dict) -> None:
    now = timezone.now()
    pairs = {(p, t) for p, t, _i, _q, _v in rows}
    reused = [existing[pair][0] for pair in pairs if pair in existing]
    if reused:
        # Links were issued but not submitted: their half-finished answers are replaced.
        Answer.objects.filter(response_id__in=reused).delete()
        Response.objects.filter(pk__in=reused).update(
            submitted_at=now, consented_at=now, entered_by_id=access.user_id
        )
    Response.objects.bulk_create(
        (
            Response(
                participant_id=p,
                time_point_id=t,
                submitted_at=now,
                consented_at=now,
                entered_by_id=access.user_id,
            )
            for p, t in pairs
            if (p, t) not in existing
        ),
        batch_size=5000,
    )
    time_points = {t for _p, t in pairs}
    ids = {
        (p, t): rid
        for rid, p, t in Response.objects.filter(time_point_id__in=time_points).values_list(
            "pk", "participant_id", "time_point_id"
        )
    }
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            statement = f"COPY {table} (response_id, item_id, question, value) FROM STDIN"  # noqa: S608 - table name from the model
            with raw.copy(statement) as copy:
                for p, t, item, question, value in rows:
                    copy.write_row((ids[(p, t)], item, question, value))
        else:
            statement = f"INSERT INTO {table} (response_id, item_id, question, value) VALUES (%s, %s, %s, %s)"  # noqa: S608, E501
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    statement,
                    [
                        (ids[(p, t)], item, question, value)
                        for p, t, item, question, value in rows[start : start + BATCH]
                    ],
                )


# --- indicator values -------------------------------------------------------------------------


def _decimal(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError from None


def import_indicator_values(*, access: Access, initiative: Initiative, source) -> ImportReport:
    """Import many indicator values at once (they become drafts to submit); all-or-nothing."""
    if not can_edit(access, initiative):
        raise PermissionDenied
    report = ImportReport()
    try:
        table = read_table(source)
    except TableError as error:
        report.add(1, "", str(error))
        return report
    missing = table.missing_columns(["indicator", "period", "kind"])
    if missing:
        report.add(1, "", _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        return report
    indicators = {i.code: i for i in initiative.indicators.all()}
    periods = {
        (p.indicator_id, p.label): p
        for p in services.Period.objects.filter(indicator__initiative=initiative)
    }
    report.rows = len(table.rows)
    planned = []
    seen = set()
    for row in table.rows:
        indicator = indicators.get(str(row.get("indicator", "")))
        if indicator is None:
            report.add(row.number, "indicator", _("Unknown indicator code."))
            continue
        period = periods.get((indicator.pk, str(row.get("period", ""))))
        if period is None:
            report.add(row.number, "period", _("Wrong period: the indicator has no such period."))
            continue
        kind = str(row.get("kind", ""))
        if kind not in ("baseline", "target", "actual"):
            report.add(row.number, "kind", _("Use baseline, target or actual."))
            continue
        try:
            numbers = {k: _decimal(row.get(k)) for k in ("value", "numerator", "denominator")}
        except ValueError:
            report.add(row.number, "value", _("Not a number."))
            continue
        dimension, category = str(row.get("dimension", "")), str(row.get("category", ""))
        try:
            services.check_value(indicator, dimension=dimension, category=category, **numbers)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                report.add(row.number, column, " ".join(messages))
            continue
        key = (period.pk, kind, dimension, category)
        if key in seen:
            report.add(row.number, "period", _("The same value appears twice in the file."))
            continue
        seen.add(key)
        measured_on = row.get("date")
        planned.append((period, kind, dimension, category, numbers, measured_on, row))
    if not report.ok:
        return report
    with transaction.atomic():
        for period, kind, dimension, category, numbers, measured_on, row in planned:
            try:
                services.value_save(
                    access=access,
                    period=period,
                    kind=kind,
                    dimension=dimension,
                    category=category,
                    measured_on=_date(measured_on),
                    method=str(row.get("method", ""))[:300],
                    **numbers,
                )
            except ValidationError as error:
                report.add(row.number, "date", " ".join(error.messages))
        if not report.ok:
            transaction.set_rollback(True)
            return report
    report.created = len(planned)
    return report


def _date(raw):
    import datetime

    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError(_("Dates are written YYYY-MM-DD.")) from None


def indicator_value_count(initiative: Initiative) -> int:
    return IndicatorValue.objects.filter(period__indicator__initiative=initiative).count()
