"""All-or-nothing imports of indicator values and survey answers, with a row-by-row report.

Nothing is stored from a file with any error. Survey answers are built for large files
(benchmark: 1,000,000 answers): a plain CSV file is read by Arrow and checked column by column
against the known codes (no Python step per row); any other file, or one with a mistake, is
read by the csv module and checked row by row, naming each problem. The answers are written in
one transaction by ``core.bulk.insert_columns`` (PostgreSQL: binary ``COPY``; SQLite:
``executemany``), after the participants are locked against withdrawal.

File formats (header row first; CSV with comma, semicolon or tab, UTF-8; or .xlsx):

- survey answers: ``code, time_point, item, question, value`` — ``time_point`` is
  ``before``/``after``/``follow_up``, ``item`` the library code (e.g. ``life-satisfaction``),
  ``question`` the question number within the item (1 if omitted), ``value`` a whole number on
  the item's scale, and optionally ``group``: ``intervention`` or ``comparison`` (or the words
  in any of Samskap's languages, ``GROUP_LABELS``), which puts a participant who has not
  answered yet in the initiative's comparison group (people not in the initiative, compared
  unpaired: difference-in-differences in ``results.py``); empty leaves the group as it is;
- indicator values: ``indicator, period, kind, value, numerator, denominator, dimension,
  category, date, method`` — ``indicator`` is the indicator's code, ``period`` its label,
  ``kind`` ``baseline``/``target``/``actual``.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from samskap.accounts.access import Access
from samskap.core import uploads
from samskap.core.bulk import fetch_rows, insert_columns
from samskap.core.import_templates import Column, aliases, described
from samskap.core.tabular import (
    TableError,
    csv_arrays,
    csv_text,
    named,
    read_bytes,
    read_table,
    sniff_dialect,
)
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit
from samskap.valuation.refresh import measurement_changed

from . import services
from .models import Answer, IndicatorValue, Participant, Response, Survey

MAX_REPORTED = 200  # errors listed in the report; all are counted


def answer_columns() -> list[Column]:
    """The survey-answer import's columns: codes, headers in the reader's language, meaning
    (the one list the import, its page and its templates read)."""
    return [
        Column(
            "code",
            pgettext_lazy("import column", "Participant code"),
            gettext_lazy("The participant's code, as on the code list."),
            "K7QX2M4P",
        ),
        Column(
            "time_point",
            pgettext_lazy("import column", "Time point"),
            gettext_lazy("When the answer was given: before, after or follow_up."),
            "before",
        ),
        Column(
            "item",
            pgettext_lazy("import column", "Question set"),
            gettext_lazy("The question set's code, e.g. life-satisfaction."),
            "life-satisfaction",
        ),
        Column(
            "question",
            pgettext_lazy("import column", "Question number"),
            gettext_lazy("The question's number within the set (1 if the set has one question)."),
            1,
            required=False,
        ),
        Column(
            "value",
            pgettext_lazy("import column", "Answer"),
            gettext_lazy("The answer: a whole number on the question's scale."),
            7,
        ),
        Column(
            "group",
            pgettext_lazy("import column", "Group"),
            gettext_lazy(
                "intervention (takes part in the initiative) or comparison (does not take "
                "part and answers for comparison). Empty: the group the participant has. "
                "Someone who has already answered keeps their group."
            ),
            "",
            required=False,
        ),
    ]


# The group a participant answers in: the codes (always accepted) and whether it is the
# comparison group; the words for them in each language are accepted too (``_group_values``).
GROUPS = {"intervention": False, "comparison": True}
GROUP_LABELS = {
    "intervention": pgettext_lazy("participant group", "intervention"),
    "comparison": pgettext_lazy("participant group", "comparison"),
}


@functools.cache
def _group_values() -> dict[str, bool]:
    """Every word a file may use for a group, lower-cased, to whether it is the comparison
    group: the code and its word in each of Samskap's languages."""
    found: dict[str, bool] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in GROUP_LABELS.items():
                found[str(label).strip().lower()] = GROUPS[code]
    for code, flag in GROUPS.items():
        found[code] = flag
    return found


def _group_of(raw) -> bool | None:
    """True (comparison), False (intervention), None (empty: unchanged); KeyError otherwise."""
    text = str(raw if raw is not None else "").strip().lower()
    if not text:
        return None
    return _group_values()[text]


def _group_name(comparison: bool) -> str:
    return str(GROUP_LABELS["comparison" if comparison else "intervention"])


def value_columns() -> list[Column]:
    """The indicator-value import's columns (the one list the import, its page and its
    templates read)."""
    return [
        Column(
            "indicator",
            pgettext_lazy("import column", "Indicator code"),
            gettext_lazy("The indicator's code in this initiative."),
            "life-satisfaction",
        ),
        Column(
            "period",
            pgettext_lazy("import column", "Period"),
            gettext_lazy("The period's label, as on the indicator, e.g. 2025."),
            "2025",
        ),
        Column(
            "kind",
            pgettext_lazy("import column", "Kind of value"),
            gettext_lazy("baseline, target or actual."),
            "actual",
        ),
        Column(
            "value",
            pgettext_lazy("import column", "Value"),
            gettext_lazy("The value (a decimal comma is fine)."),
            "7,5",
            required=False,
        ),
        Column(
            "numerator",
            pgettext_lazy("import column", "Numerator"),
            gettext_lazy("For a percentage: how many of ..."),
            "",
            required=False,
        ),
        Column(
            "denominator",
            pgettext_lazy("import column", "Denominator"),
            gettext_lazy("For a percentage: ... out of how many."),
            "",
            required=False,
        ),
        Column(
            "dimension",
            pgettext_lazy("import column", "Breakdown"),
            gettext_lazy("A breakdown, e.g. gender (optional)."),
            "",
            required=False,
        ),
        Column(
            "category",
            pgettext_lazy("import column", "Category"),
            gettext_lazy("The breakdown's category, e.g. women (optional)."),
            "",
            required=False,
        ),
        Column(
            "date",
            pgettext_lazy("import column", "Date measured"),
            gettext_lazy("The date measured: 2025-12-31 or 31.12.2025."),
            "",
            required=False,
        ),
        Column(
            "method",
            pgettext_lazy("import column", "Method"),
            gettext_lazy("How it was measured (optional)."),
            "",
            required=False,
        ),
    ]


@functools.cache
def _aliases(kind: str) -> dict[str, str]:
    return aliases(answer_columns() if kind == "answers" else value_columns())


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message
    error_count: int = 0
    # The import's columns, to name a column in the report by its header in the reader's
    # language.
    columns: list[Column] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((line, column, message))

    @property
    def errors_shown(self) -> list[tuple[int, str, str]]:
        """The errors with each column named by its header in the active language."""
        headers = {column.name: column.header for column in self.columns}
        return [(line, headers.get(code, code), message) for line, code, message in self.errors]


def _missing(codes: list[str], columns: list[Column]) -> str:
    return _("Missing columns: %(columns)s") % {"columns": described(codes, columns)}


def _name(source) -> str:
    return str(getattr(source, "name", source) or "").lower()


def read_columns(
    source,
    columns: list[str],
    optional: dict[str, str],
    limits: uploads.Limits,
    aliases: dict[str, str] | None = None,
) -> tuple[list, dict]:
    """(line numbers, {column: list of cells}). CSV is read by the ``csv`` module straight into
    columns — the same conventions as ``core.tabular.read_table`` (UTF-8 with or without BOM,
    comma/semicolon/tab, stripped headers, blank rows skipped, line 1 = header) but without a
    dict per row, which matters for a million rows; .xlsx goes through ``read_table``."""
    wanted = columns + list(optional)
    if _name(source).endswith((".csv", ".txt")):
        header, lines, by_index = csv_columns(csv_text(read_bytes(source, limits)), limits)
        if not any(header):
            raise TableError(_("The file has no header row."))
        header = named(header, aliases)
        missing = [c for c in columns if c not in header]
        if missing:
            raise TableError(_missing(missing, answer_columns()))
        cells = {
            column: by_index[header.index(column)]
            if column in header
            else [optional[column]] * len(lines)
            for column in wanted
        }
        return lines, cells
    table = read_table(source, limits, aliases)
    missing = table.missing_columns(columns)
    if missing:
        raise TableError(_missing(missing, answer_columns()))
    lines = [row.number for row in table.rows]
    cells = {c: [row.get(c, optional.get(c, "")) for row in table.rows] for c in wanted}
    return lines, cells


Columns = tuple[list[str], list[int], list[list[str]]]


def csv_columns(text: str, limits: uploads.Limits = uploads.SURVEY_ANSWERS) -> Columns:
    """(stripped header, line numbers, one list of cells per header column) of a CSV text.
    Rows of blank cells are skipped, short rows padded and long rows cut, and the line numbers
    stay those of the file. The upload gate's caps on rows and field length apply."""
    records = uploads.csv_rows(text, sniff_dialect(text), limits)
    header = [cell.strip() for cell in (records[0] if records else [])]
    width = len(header)
    records = records[1:]
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


ANSWER_COLUMNS = ["code", "time_point", "item", "value"]


@dataclass
class _Known:
    """What a survey answer file is checked against, fetched once before the rows."""

    participants: dict[str, int]  # code -> participant id (active only)
    withdrawn: set[str]  # codes of participants who have withdrawn
    points: dict[str, int]  # time point kind -> id
    items: dict[str, tuple[int, int, int, int]]  # library code -> (item id, questions, lo, hi)
    existing: dict[tuple[int, int], tuple[int, bool]]  # (participant, point) -> (id, submitted)
    comparison: dict[int, bool] = field(default_factory=dict)  # participant id -> group
    # Participants with a submitted response in any of the initiative's surveys: their group
    # is fixed (changing it would move answers already counted in results).
    answered: set[int] = field(default_factory=set)


def _known(survey: Survey) -> _Known:
    initiative = survey.initiative
    active = initiative.participants.filter(withdrawn_at__isnull=True)
    return _Known(
        comparison=dict(fetch_rows(active, "pk", "comparison")),
        answered=set(
            Response.objects.filter(participant__initiative=initiative, submitted_at__isnull=False)
            .values_list("participant_id", flat=True)
            .distinct()
        ),
        participants=dict(
            fetch_rows(initiative.participants.filter(withdrawn_at__isnull=True), "code", "pk")
        ),
        withdrawn=set(
            initiative.participants.filter(withdrawn_at__isnull=False).values_list(
                "code", flat=True
            )
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


class _Changed(Exception):  # noqa: N818 - a signal inside this module, not an error to show
    """What the file was checked against changed before its answers were stored: a participant
    withdrew, or answered through their link, meanwhile."""


def import_answers(*, access: Access, survey: Survey, source) -> ImportReport:
    """Import paper or external survey answers; all-or-nothing. Responses become submitted
    (entered by the importing user); a participant who already submitted at a time point is an
    error, so a second file cannot count anyone twice."""
    if not can_edit(access, survey.initiative):
        raise PermissionDenied
    report = ImportReport(columns=answer_columns())
    known = _known(survey)
    try:
        arrays = csv_arrays(
            source,
            ANSWER_COLUMNS,
            ("question", "group"),
            uploads.SURVEY_ANSWERS,
            _aliases("answers"),
        )
    except TableError as error:  # refused by the upload gate (size)
        report.add(1, "", str(error))
        return report
    resolved = _resolve_arrays(arrays, known) if arrays is not None else None
    if resolved is None:
        # Something is wrong (or unusual): read and check row by row, which names every problem.
        resolved = _check_rows(source, known, report)
    else:
        report.rows = len(resolved[0][0])
    if not report.ok:
        return report
    columns, groups = resolved
    try:
        with transaction.atomic():
            _store_groups(survey, groups)
            _store_answers(access, survey, columns, known.existing)
            measurement_changed(survey_ids=[survey.pk])
    except (IntegrityError, _Changed):
        # Nothing was stored. A duplicate answer in the file gets here (the primary key finds
        # it), and so does a change by someone else since the file was checked: check the rows
        # again, against what is stored now, to name the lines.
        report = ImportReport(columns=answer_columns())
        _check_rows(source, _known(survey), report)
        if report.ok:
            raise
        return report
    report.created = len(columns[0])
    return report


def _check_rows(source, known: _Known, report: ImportReport):
    try:
        lines, cells = read_columns(
            source,
            ANSWER_COLUMNS,
            {"question": "1", "group": ""},
            uploads.SURVEY_ANSWERS,
            _aliases("answers"),
        )
    except TableError as error:
        report.add(1, "", str(error))
        return None
    report.rows = len(lines)
    return _resolve_rows(lines, cells, known, report)


def _resolve_arrays(arrays: dict, known: _Known):
    """The columns (participant, time point, item, question, value: ids and numbers) when every
    row is valid, checked column-wise by Arrow and NumPy; ``None`` at the first doubt.

    It accepts only what the row-by-row check accepts (a property test compares the two): codes
    are upper-cased in ASCII only, and numbers must be plain integers (no "7.0")."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = len(arrays["code"])
    if not rows:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(5)), {}

    def positions(cells, keys: list) -> np.ndarray | None:
        found = pc.index_in(cells, value_set=pa.array(keys, type=pa.string()))
        return None if found.null_count else found.to_numpy()

    def numbers(name: str) -> np.ndarray | None:
        if name not in arrays:
            return np.ones(rows, dtype=np.int64)
        try:
            return pc.cast(arrays[name], pa.int64()).to_numpy()
        except pa.ArrowInvalid:
            return None

    found = (
        positions(pc.ascii_upper(arrays["code"]), list(known.participants)),
        positions(arrays["time_point"], list(known.points)),
        positions(arrays["item"], list(known.items)),
        numbers("question"),
        numbers("value"),
    )
    if any(column is None for column in found):
        return None
    p, t, i, q, v = found
    specs = np.array(list(known.items.values()), dtype=np.int64).reshape(-1, 4)[i]
    if ((q < 1) | (q > specs[:, 1]) | (v < specs[:, 2]) | (v > specs[:, 3])).any():
        return None
    pids = np.fromiter(known.participants.values(), dtype=np.int64)[p]
    tids = np.fromiter(known.points.values(), dtype=np.int64)[t]
    # The same answer twice in the file is caught by the answers' primary key when they are
    # written (IntegrityError -> rolled back -> the row-by-row check reports the lines).
    done = [pair for pair, (_rid, submitted) in known.existing.items() if submitted]
    if done:
        done_p, done_t = np.array(done, dtype=np.int64).T
        span = int(max(tids.max(), done_t.max())) + 1
        if np.isin(pids * span + tids, done_p * span + done_t).any():
            return None
    groups: dict[int, bool] = {}
    if "group" in arrays:
        words = list(_group_values())
        found_group = pc.index_in(
            pc.utf8_lower(arrays["group"]), value_set=pa.array(["", *words], type=pa.string())
        )
        if found_group.null_count:
            return None
        # -1: empty (unchanged), 0: intervention, 1: comparison.
        flags = np.array([-1, *(int(_group_values()[w]) for w in words)])[found_group.to_numpy()]
        given = flags >= 0
        chosen = np.unique(np.stack([pids[given], flags[given]]), axis=1)
        people, counts = np.unique(chosen[0], return_counts=True)
        if (counts > 1).any():
            return None  # one participant given both groups
        for pid, flag in zip(chosen[0].tolist(), chosen[1].tolist(), strict=True):
            if known.comparison.get(pid) != bool(flag):
                if pid in known.answered:
                    return None
                groups[pid] = bool(flag)
    return (pids, tids, specs[:, 0], q, v), groups


def _resolve_rows(lines: list, cells: dict, known: _Known, report: ImportReport):
    """Check every row and report each problem with its line and column."""
    columns: tuple[list, ...] = ([], [], [], [], [])
    seen: set[tuple[int, int, int, int]] = set()
    # participant -> (group given in the file, its first line)
    given: dict[int, tuple[bool, int]] = {}
    add = report.add
    for line, code, kind, item_code, question_raw, value_raw, group_raw in zip(
        lines,
        cells["code"],
        cells["time_point"],
        cells["item"],
        cells["question"],
        cells["value"],
        cells["group"],
        strict=True,
    ):
        code = str(code).strip().upper()
        participant = known.participants.get(code)
        if participant is None:
            if code in known.withdrawn:
                add(line, "code", _("This participant has withdrawn: no answers are stored."))
            else:
                add(line, "code", _("Unknown participant code."))
            continue
        try:
            group = _group_of(group_raw)
        except KeyError:
            add(
                line,
                "group",
                _("Not a group: write %(intervention)s or %(comparison)s, or leave it empty.")
                % {"intervention": _group_name(False), "comparison": _group_name(True)},
            )
            continue
        if group is not None:
            earlier = given.setdefault(participant, (group, line))
            if earlier[0] != group:
                add(
                    line,
                    "group",
                    _("Line %(line)s puts this participant in the %(group)s group.")
                    % {"line": earlier[1], "group": _group_name(earlier[0])},
                )
                continue
            if participant in known.answered and known.comparison.get(participant) != group:
                add(
                    line,
                    "group",
                    _(
                        "This participant has already answered in the %(group)s group; the "
                        "group of someone who has answered cannot change."
                    )
                    % {"group": _group_name(known.comparison.get(participant, False))},
                )
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
    groups = {
        participant: group
        for participant, (group, _line) in given.items()
        if known.comparison.get(participant) != group
    }
    return columns, groups


def _store_groups(survey: Survey, groups: dict[int, bool]) -> None:
    """Put participants in the group the file gives them, inside the caller's transaction;
    ``_Changed`` if one of them has answered since the file was checked (their group is then
    fixed)."""
    if not groups:
        return
    people = Participant.objects.filter(initiative_id=survey.initiative_id, pk__in=list(groups))
    answered = Response.objects.filter(participant__in=people, submitted_at__isnull=False)
    if answered.exists():
        raise _Changed
    for flag in (True, False):
        chosen = [pid for pid, group in groups.items() if group is flag]
        if chosen:
            people.filter(pk__in=chosen).update(comparison=flag)


def _store_answers(access: Access, survey: Survey, columns, existing: dict) -> None:
    """Write the responses and answers of checked columns (NumPy arrays or lists), inside the
    caller's transaction; ``_Changed`` if a participant withdrew or answered meanwhile."""
    import numpy as np

    pids, tids, items, numbers, values = (np.asarray(c, dtype=np.int64) for c in columns)
    if not len(pids):
        return
    # Locked until commit (PostgreSQL: FOR SHARE; SQLite's transaction holds the write lock): a
    # withdrawal, which locks its participant FOR UPDATE, waits for the import, and any that came
    # first is seen here. (The responses' foreign key would not catch it: the row stays.)
    active = fetch_rows(
        Participant.objects.filter(initiative_id=survey.initiative_id, withdrawn_at__isnull=True),
        "pk",
        share_lock=True,
    )
    if not np.isin(pids, np.array(active, dtype=np.int64).ravel()).all():
        raise _Changed
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
            updated = Response.objects.filter(pk__in=chunk, submitted_at__isnull=True).update(
                submitted_at=now, consented_at=now, entered_by_id=access.user_id
            )
            if updated != len(chunk):  # submitted through the link since the file was checked
                raise _Changed
            Answer.objects.filter(response_id__in=chunk).delete()
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
        # Spaces, no-break spaces (Excel's Norwegian thousands separator) and a decimal comma.
        text = str(raw).replace(" ", "").replace("\xa0", "").replace("\u202f", "")
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError from None


def import_indicator_values(*, access: Access, initiative: Initiative, source) -> ImportReport:
    """Import many indicator values at once (they become drafts to submit); all-or-nothing."""
    if not can_edit(access, initiative):
        raise PermissionDenied
    report = ImportReport(columns=value_columns())
    try:
        table = read_table(source, uploads.INDICATOR_VALUES, _aliases("values"))
    except TableError as error:
        report.add(1, "", str(error))
        return report
    missing = table.missing_columns(["indicator", "period", "kind"])
    if missing:
        report.add(1, "", _missing(missing, report.columns))
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
    text = str(raw).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:  # as Excel in a Norwegian locale writes dates into CSV: 31.12.2025
        day, month, year = (int(part) for part in text.split("."))
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Dates are written YYYY-MM-DD.")) from None


def indicator_value_count(initiative: Initiative) -> int:
    return IndicatorValue.objects.filter(period__indicator__initiative=initiative).count()
