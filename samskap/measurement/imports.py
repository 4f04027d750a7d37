"""All-or-nothing imports of indicator values and survey answers, with a row-by-row report.

Nothing is stored from a file with any error. Survey answers are built for large files
(benchmark: 1,000,000 answers): the file is read column-wise, every row is checked against
dictionaries of the known codes in one pass (no query per row), and the answers are written
in one transaction by ``core.bulk.insert_columns`` (PostgreSQL: binary ``COPY``; SQLite:
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
import datetime
import io
import operator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.core.bulk import fetch_rows, insert_columns
from samskap.core.tabular import TableError, read_table
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit

from . import services
from .models import Answer, IndicatorValue, Response, Survey

MAX_REPORTED = 200  # errors listed in the report; all are counted


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
    """(line numbers, {column: list of cells}). CSV is read straight into columns — the same
    conventions as ``core.tabular.read_table`` (UTF-8 with or without BOM, comma/semicolon/tab,
    stripped headers and cells, blank rows skipped, line 1 = header) but without a dict per
    row, which matters for a million rows; .xlsx goes through ``read_table``."""
    wanted = columns + list(optional)
    if _name(source).endswith((".csv", ".txt")):
        header, lines, by_index = csv_columns(_text(source))
        if not any(header):
            raise TableError(_("The file has no header row."))
        missing = [c for c in columns if c not in header]
        if missing:
            raise TableError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        cells = {}
        for column in wanted:
            if column in header:
                values = by_index[header.index(column)]
                joined = "".join(values)
                if " " in joined or "\t" in joined or "\xa0" in joined:
                    values = list(map(str.strip, values))
                cells[column] = values
            else:
                cells[column] = [optional[column]] * len(lines)
        return lines, cells
    table = read_table(source)
    missing = table.missing_columns(columns)
    if missing:
        raise TableError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    lines = [row.number for row in table.rows]
    cells = {c: [row.get(c, optional.get(c, "")) for row in table.rows] for c in wanted}
    return lines, cells


def _text(source) -> str:
    if isinstance(source, str) or hasattr(source, "__fspath__"):
        with open(source, "rb") as handle:
            data = handle.read()
    else:
        source.seek(0)
        data = source.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The CSV file is not UTF-8 text.")) from error


Columns = tuple[list[str], list[int], list[list[str]]]


def csv_columns(text: str) -> Columns:
    """(stripped header, line numbers, one list of cells per header column) of a CSV text.

    Rows of blank cells are skipped, short rows padded and long rows cut, and the line numbers
    stay those of the file. A plain file (see ``split_columns``) is split with ``str.split``;
    any other goes through the ``csv`` module."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return split_columns(text, dialect) or reader_columns(text, dialect)


def split_columns(text: str, dialect) -> Columns | None:
    """The columns of a file without quote characters whose rows all have the header's width
    and none of them blank — for which a CSV reader gives the same cells (a property test checks
    it) — split by ``str.split`` without a Python step per row; ``None`` for any other file."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    marks = {'"', "\r", dialect.quotechar, getattr(dialect, "escapechar", None)} - {None, ""}
    if any(mark in text for mark in marks):
        return None
    delimiter = dialect.delimiter
    rows = text.split("\n")
    if rows[-1] == "":
        rows.pop()
    if not rows or not rows[0]:
        return None
    header = rows[0].split(delimiter)
    width = len(header)
    body = rows[1:]
    if set(map(operator.methodcaller("count", delimiter), body)) - {width - 1}:
        return None
    if not all(map(str.strip, map(operator.methodcaller("replace", delimiter, ""), body))):
        return None
    flat = delimiter.join(body).split(delimiter) if body else []
    columns = [flat[k::width] for k in range(width)]
    return [h.strip() for h in header], list(range(2, len(body) + 2)), columns


def reader_columns(text: str, dialect) -> Columns:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [cell.strip() for cell in next(reader, [])]
    width = len(header)
    records = list(reader)
    lines = list(range(2, len(records) + 2))
    if set(map(len, records)) - {width} or not all("".join(row).strip() for row in records):
        kept_lines, kept = [], []
        for number, row in zip(lines, records, strict=True):
            if not any(cell.strip() for cell in row):
                continue
            kept_lines.append(number)
            kept.append((row + [""] * width)[:width])
        lines, records = kept_lines, kept
    columns = [list(column) for column in zip(*records, strict=True)] or [[] for _ in header]
    return header, lines, columns


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


@dataclass
class _Known:
    """What a survey answer file is checked against, fetched once before the rows."""

    participants: dict[str, int]  # code -> participant id (active only)
    points: dict[str, int]  # time point kind -> id
    items: dict[str, tuple[int, int, int, int]]  # library code -> (item id, questions, lo, hi)
    existing: dict[tuple[int, int], tuple[int, bool]]  # (participant, point) -> (id, submitted)


def _known(survey: Survey) -> _Known:
    initiative = survey.initiative
    return _Known(
        participants=dict(
            fetch_rows(initiative.participants.filter(withdrawn_at__isnull=True), "code", "pk")
        ),
        points={point.kind: point.pk for point in survey.time_points.all()},
        items={
            item.library.code: (
                item.pk,
                len(item.library.questions),
                item.library.answer_min,
                item.library.answer_max,
            )
            for item in survey.survey_items.select_related("library")
        },
        existing={
            (pid, tid): (rid, submitted is not None)
            for rid, pid, tid, submitted in Response.objects.filter(
                time_point__survey=survey
            ).values_list("pk", "participant_id", "time_point_id", "submitted_at")
        },
    )


def import_answers(*, access: Access, survey: Survey, source) -> ImportReport:
    """Import paper or external survey answers; all-or-nothing. Responses become submitted
    (entered by the importing user); a participant who already submitted at a time point is an
    error, so a second file cannot count anyone twice."""
    if not can_edit(access, survey.initiative):
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
    known = _known(survey)
    columns = _resolve_fast(cells, known)
    if columns is None:
        # Something is wrong (or unusual): check row by row, which names every problem.
        columns = _resolve_rows(lines, cells, known, report)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _store_answers(access, columns, known.existing)
    except IntegrityError:
        # Only a duplicate in the file gets here (all else was checked); nothing was stored.
        columns = _resolve_rows(lines, cells, known, report)
        if report.ok:
            raise
        return report
    report.created = len(columns[0])
    return report


def _parsed(raw_values: list) -> list:
    """Whole numbers of a column, parsing each distinct text once."""
    cache = {raw: _whole_number(raw) for raw in set(raw_values)}
    return list(map(cache.__getitem__, raw_values))


def _resolve_fast(cells: dict, known: _Known):
    """The columns (participant, time point, item, question, value ids/numbers) when every row
    is valid — checked column-wise with dictionaries and NumPy; None at the first doubt."""
    import numpy as np

    if not cells["code"]:
        return [], [], [], [], []
    participants = known.participants
    pids = list(map(participants.get, cells["code"]))
    if None in pids:
        return None
    point_index = {kind: i for i, kind in enumerate(known.points)}
    points = list(map(point_index.get, cells["time_point"]))
    if None in points:
        return None
    item_codes = list(known.items)
    item_index = {code: i for i, code in enumerate(item_codes)}
    items = list(map(item_index.get, cells["item"]))
    if None in items:
        return None
    questions = _parsed(cells["question"])
    values = _parsed(cells["value"])
    if None in questions or None in values:
        return None
    specs = np.array([known.items[code] for code in item_codes], dtype=np.int64)
    p = np.array(pids, dtype=np.int64)
    t = np.array(points, dtype=np.int64)
    i = np.array(items, dtype=np.int64)
    q = np.array(questions, dtype=np.int64)
    v = np.array(values, dtype=np.int64)
    spec = specs[i]
    if ((q < 1) | (q > spec[:, 1]) | (v < spec[:, 2]) | (v > spec[:, 3])).any():
        return None
    # The same answer twice in the file is caught by the answers' primary key when they are
    # written (IntegrityError -> rolled back -> the row-by-row check reports the lines).
    point_ids = np.array(list(known.points.values()), dtype=np.int64)
    submitted = {pair for pair, (_rid, done) in known.existing.items() if done}
    if submitted:
        pair_ids = set(zip(p.tolist(), point_ids[t].tolist(), strict=True))
        if pair_ids & submitted:
            return None
    return p, point_ids[t], specs[i, 0], q, v


def _resolve_rows(lines: list, cells: dict, known: _Known, report: ImportReport):
    """Check every row and report each problem with its line and column."""
    columns: tuple[list, ...] = ([], [], [], [], [])
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
        participant = known.participants.get(str(code).strip().upper())
        if participant is None:
            add(line, "code", _("Unknown participant code."))
            continue
        point = known.points.get(str(kind).strip())
        if point is None:
            add(line, "time_point", _("This survey has no such time point."))
            continue
        spec = known.items.get(str(item_code).strip())
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
        previous = known.existing.get((participant, point))
        if previous is not None and previous[1]:
            add(line, "code", _("This participant has already answered at this time point."))
            continue
        seen.add(key)
        for column, cell in zip(
            columns, (participant, point, item_id, question, value), strict=True
        ):
            column.append(cell)
    return columns


def _store_answers(access: Access, columns, existing: dict) -> None:
    """Write the responses and answers of checked columns (NumPy arrays or lists)."""
    import numpy as np

    pids, tids, items, numbers, values = (np.asarray(c, dtype=np.int64) for c in columns)
    if not len(pids):
        return
    now = timezone.now()
    # One key per (participant, time point): participant * span + time point.
    span = int(tids.max()) + 1
    keys = pids * span + tids
    pairs = np.unique(keys)
    known = np.array([p * span + t for p, t in existing if t < span], dtype=np.int64)
    reused = [existing[(int(k) // span, int(k) % span)][0] for k in pairs[np.isin(pairs, known)]]
    if reused:
        # Links were issued but not submitted: their half-finished answers are replaced.
        for start in range(0, len(reused), 5000):
            chunk = reused[start : start + 5000]
            Answer.objects.filter(response_id__in=chunk).delete()
            Response.objects.filter(pk__in=chunk).update(
                submitted_at=now, consented_at=now, entered_by_id=access.user_id
            )
    new = pairs[~np.isin(pairs, known)]
    stamp = np.full(len(new), np.datetime64(now.astimezone(datetime.UTC).replace(tzinfo=None)))
    insert_columns(
        Response,
        {
            "participant_id": new // span,
            "time_point_id": new % span,
            "consented_at": stamp,
            "submitted_at": stamp,
            "entered_by_id": np.full(len(new), access.user_id, dtype=np.int64),
        },
    )
    # The response id of each answer: read (participant, time point, id) back, sorted by key.
    stored = _response_ids(np.unique(tids).tolist())
    stored_keys = stored[:, 0] * span + stored[:, 1]
    order = np.argsort(stored_keys)
    response_ids = stored[order, 2][np.searchsorted(stored_keys[order], keys)]
    # Insert in index order: the (response, item, question) primary key grows at its end.
    sequence = np.lexsort((numbers, items, response_ids))
    insert_columns(
        Answer,
        {
            "response_id": response_ids[sequence],
            "item_id": items[sequence],
            "question": numbers[sequence],
            "value": values[sequence],
        },
    )


def _response_ids(time_point_ids: list[int]):
    """(participant, time point, id) of every response at the time points, as an array."""
    import numpy as np

    responses = Response.objects.filter(time_point_id__in=time_point_ids)
    rows = fetch_rows(responses, "participant_id", "time_point_id", "pk")
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


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
