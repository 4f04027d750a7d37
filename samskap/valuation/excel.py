"""The Excel side of the value map: a template with the SROI guide's impact-map columns, the
reader that turns a filled template into the same structure as a JSON/YAML file (errors name
the cell), and a results workbook. openpyxl only; no Django import.

The impact map follows the column order of the SROI guide's stages 1-4 (Social Value UK, *A
guide to Social Return on Investment*, 2012, p. 38 ff.): stakeholder, the outcome (what
changes), indicator, quantity, duration, when the outcome starts, financial proxy and its
value and source, deadweight, displacement, attribution, drop-off. The guide's inputs column
is a sheet of its own, since one input usually serves several outcomes.

A ranged cell is written ``low; central; high`` (e.g. ``0.1; 0.2; 0.35`` or ``10%; 20%; 35%``);
a plain number is a fixed value. Percent-formatted cells are read as fractions, as Excel
stores them.

The round trip is lossless (``read_workbook(map_workbook(m)) == m``, a property test): plain
numbers are stored as numbers; a range's three numbers as the shortest text that reads back to
the same float (``repr``), never rounded; a custom discount schedule has its own sheet
(``Discount schedule``: from year, to year, rate); the evidence of each assumption (level,
source, rationale) its own sheet (``Evidence``, one row per outcome row and assumption). Text
is stored as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from samskap.core import spreadsheets
from samskap.core.coded import coded

from .valuemap import (
    EVIDENCE_FIELDS,
    SCHEDULES,
    ValueMap,
    ValueMapError,
    json_path,
    parse,
    to_data,
)


def gettext_noop(text: str) -> str:
    """Marks a header for the catalogues (``makemessages`` finds it by this name); the Django
    side shows it in the reader's language (``valuation.labels.workbook_headers``). This module
    stays free of Django."""
    return text


# (header, field) in the guide's order. The headers are English here; a workbook for a person
# shows them in the reader's language (``headers``) and a file headed in any of Samskap's
# languages reads back (``aliases``).
OUTCOME_COLUMNS = [
    (gettext_noop("Stakeholder"), "stakeholder"),
    (gettext_noop("Outcome (what changes)"), "outcome"),
    (gettext_noop("Indicator"), "indicator"),
    (gettext_noop("Quantity"), "quantity"),
    (gettext_noop("Duration (years)"), "duration"),
    (gettext_noop("Outcome starts (during/after)"), "starts"),
    (gettext_noop("Financial proxy"), "proxy_description"),
    (gettext_noop("Value per unit per year"), "proxy"),
    (gettext_noop("Proxy source"), "proxy_source"),
    (gettext_noop("Life satisfaction change (0-10 points)"), "life_satisfaction"),
    (gettext_noop("Deadweight"), "deadweight"),
    (gettext_noop("Displacement"), "displacement"),
    (gettext_noop("Attribution"), "attribution"),
    (gettext_noop("Drop-off"), "drop_off"),
    (gettext_noop("Who pays or saves (municipality/state/other)"), "payer"),
    (gettext_noop("Notes"), "notes"),
    (gettext_noop("Flow (resource/transfer)"), "flow"),
    (gettext_noop("Proxy price year"), "proxy_price_year"),
]
INPUT_COLUMNS = [
    (gettext_noop("Stakeholder"), "stakeholder"),
    (gettext_noop("Description"), "description"),
    (gettext_noop("Amount"), "amount"),
    (gettext_noop("Year (0 = start)"), "year"),
    (gettext_noop("Volunteer hours"), "hours"),
    (gettext_noop("Value per hour"), "hourly_value"),
    (gettext_noop("Notes"), "notes"),
    (gettext_noop("Who pays (municipality/state/other)"), "payer"),
    (gettext_noop("Flow (resource/transfer)"), "flow"),
]
SETTINGS_ROWS = [
    (gettext_noop("Title"), ("title",)),
    (gettext_noop("Currency"), ("currency",)),
    (gettext_noop("Price year"), ("price_year",)),
    (gettext_noop("Discount rate"), ("discounting", "rate")),
    (gettext_noop("Discount schedule (R-109, green-book)"), ("discounting", "schedule")),
    (gettext_noop("First year (discounted/undiscounted)"), ("discounting", "first_year")),
    (gettext_noop("Wellbeing value per point"), ("wellbeing", "value_per_point")),
    (gettext_noop("Wellbeing value source"), ("wellbeing", "source")),
    (gettext_noop("Analysis period (cost-benefit, years)"), ("cost_benefit", "analysis_period")),
    (gettext_noop("Residual value (cost-benefit)"), ("cost_benefit", "residual_value")),
    (gettext_noop("Tax-financing cost (cost-benefit)"), ("cost_benefit", "tax_financing_cost")),
]
SCHEDULE_COLUMNS = [
    ("From year", "from_year"),
    ("To year (empty for the last step)", "to_year"),
    ("Rate", "rate"),
]
EVIDENCE_COLUMNS = [
    ("Impact map row", "row"),
    ("Assumption", "assumption"),
    ("Evidence level (none/low/medium/high/full)", "level"),
    ("Source", "source"),
    ("Rationale", "rationale"),
]
# (sheet, header of the key column, header of the value column, the map's key): a mapping of
# the map kept as two columns.
PAIR_SHEETS = [
    ("Correlations", "Correlation group", "Rank correlation (-1 to 1)", "correlations"),
    ("Price index", "Year", "Index", "price_index"),
]
# Sheets a filled template must have; the others (schedule, evidence, pairs) are optional.
REQUIRED_SHEETS = ("Settings", "Inputs", "Impact map")
RANGED = {
    "quantity",
    "proxy",
    "life_satisfaction",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "amount",
    "hours",
    "hourly_value",
    "rate",
    "value_per_point",
}
GUIDE = [
    "Samskap value map (SROI impact map). Fill in the three sheets; see docs/valuation.md.",
    "Settings: title, currency, price year, discounting (rate, or a named schedule) and the "
    "value of one point of life satisfaction (if an outcome is valued that way).",
    "Inputs: who contributes what. Money in 'Amount'; volunteer time as hours x value per hour.",
    "Impact map: one row per outcome for one stakeholder. Value per unit per year is the "
    "financial proxy's value; leave it empty (and life satisfaction empty) for outcomes that "
    "have no money value: they are listed, not dropped.",
    "Rates (deadweight, displacement, attribution, drop-off) are fractions or percentages.",
    "Discount schedule (optional): steps of a schedule of your own, from year / to year / rate; "
    "leave the Settings' rate and schedule empty when you use it.",
    "Evidence (optional): for an Impact map row and an assumption (quantity, proxy, "
    "life_satisfaction, duration, deadweight, displacement, attribution, drop_off), how well it "
    "is backed (none, low, medium, high, full), the source and why.",
    "Any number may be a range written 'low; central; high', e.g. '10%; 20%; 35%'; a fourth "
    "part names the correlation group the range moves with ('0.1; 0.2; 0.3; demand'), whose "
    "rank correlation is on the sheet 'Correlations'.",
    "Price index (optional): a consumer price index by year, to bring proxies of another price "
    "year ('Proxy price year') to the map's price year.",
    "Do not paste values from the HACT Social Value Bank or National TOMs: their licence "
    "forbids redistribution.",
]


def _sheet_cell(sheet: str, coordinate: str) -> str:
    return f"'{sheet}'!{coordinate}"


def _cell_value(value: Any, field: str) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if field in RANGED and ";" in value:
            parts = [p.strip() for p in value.split(";")]
            if len(parts) == 3:
                return dict(zip(("low", "central", "high"), parts, strict=True))
            if len(parts) == 4:
                return dict(zip(("low", "central", "high", "group"), parts, strict=True))
            return value  # reported by the parser as not a number
    return value


MAX_ROWS = 5_000  # rows read from each sheet of a value map workbook
MAX_COLUMNS = 60


def _with_aliases(by_label: dict[str, Any], aliases: Mapping[str, str] | None) -> dict[str, Any]:
    """``by_label`` (lower-case English header -> target) also under each header ``aliases``
    gives for it (lower-case header in another language -> English header)."""
    for alias, english in (aliases or {}).items():
        target = by_label.get(english.lower())
        if target is not None:
            by_label.setdefault(alias.lower(), target)
    return by_label


def read_workbook(
    source: str | Path | IO[bytes], aliases: Mapping[str, str] | None = None
) -> ValueMap:
    """Read a filled template into a ``ValueMap``; problems name the sheet and cell. Headers
    and setting names may be English, the field names, or any header ``aliases`` knows (the
    template in another language: ``valuation.labels.workbook_aliases``)."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValueMapError(
            [("workbook", coded("not_xlsx", f"cannot be read as .xlsx: {error}"))]
        ) from error
    cells: dict[tuple, str] = {}
    missing = [s for s in REQUIRED_SHEETS if s not in workbook.sheetnames]
    if missing:
        raise ValueMapError(
            [
                (
                    "workbook",
                    coded(
                        "missing_sheets",
                        f"missing sheet(s) {', '.join(missing)}; start from the template",
                        sheets=missing,
                    ),
                )
            ]
        )
    data: dict[str, Any] = {}
    rows_of_outcomes: dict[int, int] = {}
    labels = _with_aliases({label.lower(): path for label, path in SETTINGS_ROWS}, aliases)
    # Explicit bounds on every sheet: openpyxl would otherwise trust (and pad rows to) the
    # dimension a sheet declares, which a hostile file sets to a million rows.
    settings_rows = workbook["Settings"].iter_rows(min_row=1, max_row=MAX_ROWS, max_col=2)
    for number, row in enumerate(settings_rows, start=1):
        if not row or row[0].value is None:
            continue
        label = str(row[0].value).strip().lower()
        path = labels.get(label)
        if path is None or len(row) < 2:
            continue
        value = _cell_value(row[1].value, path[-1])
        if value in (None, ""):
            continue
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        cells[path] = _sheet_cell("Settings", f"B{number}")
    for sheet_name, key, columns in (
        ("Inputs", "inputs", INPUT_COLUMNS),
        ("Impact map", "outcomes", OUTCOME_COLUMNS),
    ):
        sheet = workbook[sheet_name]
        rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
        header = next(rows, None)
        if header is None:
            data[key] = []
            continue
        by_header = {label.lower(): field for label, field in columns}
        by_header.update({field: field for _, field in columns})
        by_header = _with_aliases(by_header, aliases)
        fields: dict[int, str] = {}
        for position, cell in enumerate(header):
            name = str(cell.value or "").strip().lower()
            if name in by_header:
                fields[position] = by_header[name]
        items = []
        for number, row in enumerate(rows, start=2):
            values = {
                fields[p]: _cell_value(cell.value, fields[p])
                for p, cell in enumerate(row)
                if p in fields and cell.value not in (None, "")
            }
            if not values:
                continue
            index = len(items)
            items.append(values)
            cells[(key, index)] = _sheet_cell(sheet_name, f"row {number}")
            for p, field in fields.items():
                coordinate = f"{get_column_letter(p + 1)}{number}"
                cells[(key, index, field)] = _sheet_cell(sheet_name, coordinate)
        data[key] = items
        if key == "outcomes":
            # An outcome's spreadsheet row, for the Evidence sheet that names it.
            rows_of_outcomes = {
                int(cells[(key, i)].rsplit(" ", 1)[1]): i for i in range(len(items))
            }
    problems = []
    if "Discount schedule" in workbook.sheetnames:
        problems += _read_schedule(workbook["Discount schedule"], data, cells)
    if "Evidence" in workbook.sheetnames:
        problems += _read_evidence(workbook["Evidence"], data, cells, rows_of_outcomes)
    for sheet_name, key_header, value_header, key in PAIR_SHEETS:
        if sheet_name in workbook.sheetnames:
            _read_pairs(workbook[sheet_name], key_header, value_header, key, data, cells)
    workbook.close()

    def locate(path: tuple) -> str:
        for n in range(len(path), 0, -1):
            if path[:n] in cells:
                return cells[path[:n]]
        return f"{json_path(path)} (sheet 'Settings', 'Inputs' or 'Impact map')"

    try:
        value_map = parse(data, locate)
    except ValueMapError as error:
        raise ValueMapError(problems + error.problems) from None
    if problems:
        raise ValueMapError(problems)
    return value_map


def _rows(sheet, columns: list[tuple[str, str]]):
    """(row number, {field: cell value}, {field: coordinate}) of a sheet's non-empty rows, the
    columns found by their header (or field name)."""
    rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        return
    by_header = {label.lower(): name for label, name in columns}
    by_header.update({name: name for _, name in columns})
    fields = {
        p: by_header[str(cell.value or "").strip().lower()]
        for p, cell in enumerate(header)
        if str(cell.value or "").strip().lower() in by_header
    }
    for number, row in enumerate(rows, start=2):
        values = {
            fields[p]: cell.value.strip() if isinstance(cell.value, str) else cell.value
            for p, cell in enumerate(row)
            if p in fields and cell.value not in (None, "")
        }
        if values:
            where = {f: f"{get_column_letter(p + 1)}{number}" for p, f in fields.items()}
            yield number, values, where


def _read_pairs(
    sheet, key_header: str, value_header: str, key: str, data: dict, cells: dict
) -> None:
    """Two columns (name, number) into ``data[key]`` as a mapping."""
    pairs: dict[Any, Any] = {}
    for _number, values, where in _rows(sheet, [(key_header, "key"), (value_header, "value")]):
        name = values.get("key", "")
        if isinstance(name, float) and name.is_integer():
            name = int(name)
        pairs[name] = values.get("value")
        cells[(key, name)] = _sheet_cell(sheet.title, where["value"])
    if pairs:
        data[key] = pairs


def _read_schedule(sheet, data: dict, cells: dict) -> list[tuple[str, str]]:
    """A custom schedule's steps into ``data['discounting']['schedule']`` (when any); problems
    the parser cannot see (steps and a named schedule both)."""
    steps = []
    for number, values, where in _rows(sheet, SCHEDULE_COLUMNS):
        index = len(steps)
        steps.append(values)
        path = ("discounting", "schedule", index)
        cells[path] = _sheet_cell(sheet.title, f"row {number}")
        for name, coordinate in where.items():
            cells[(*path, name)] = _sheet_cell(sheet.title, coordinate)
    if not steps:
        return []
    discounting = data.setdefault("discounting", {})
    if "schedule" in discounting:
        return [
            (
                cells[("discounting", "schedule")],
                coded(
                    "schedule_twice",
                    "give a named schedule in 'Settings' or steps in 'Discount schedule', not both",
                ),
            )
        ]
    discounting["schedule"] = steps
    cells[("discounting", "schedule")] = _sheet_cell(sheet.title, "A2")
    return []


def _read_evidence(
    sheet, data: dict, cells: dict, outcome_rows: dict[int, int]
) -> list[tuple[str, str]]:
    """Each evidence row into its outcome's ``evidence`` (the outcome named by its row in
    'Impact map'); problems the parser cannot see (a row that names no outcome)."""
    problems = []
    outcomes = data.get("outcomes", [])
    for number, values, where in _rows(sheet, EVIDENCE_COLUMNS):
        row = values.get("row")
        if isinstance(row, float) and row.is_integer():
            row = int(row)
        if isinstance(row, str) and row.isdigit():
            row = int(row)
        index = outcome_rows.get(row) if isinstance(row, int) and row >= 2 else None
        if index is None:
            problems.append(
                (
                    _sheet_cell(sheet.title, where.get("row", f"A{number}")),
                    coded(
                        "evidence_no_outcome",
                        f"row {row} of 'Impact map' holds no outcome",
                        row=str(row),
                    ),
                )
            )
            continue
        assumption = str(values.get("assumption", "")).strip().lower().replace("-", "_")
        entry = {k: values[k] for k in ("level", "source", "rationale") if k in values}
        outcomes[index].setdefault("evidence", {})[assumption] = entry
        path = ("outcomes", index, "evidence", assumption)
        cells[path] = _sheet_cell(sheet.title, where.get("assumption", f"B{number}"))
        for name in ("level", "source", "rationale"):
            cells[(*path, name)] = _sheet_cell(sheet.title, where[name])
    return problems


def _exact(number: float) -> str:
    """The shortest text that reads back to the same float (no rounding to 6 digits)."""
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(float(number))


def _range_text(value: Any) -> Any:
    if isinstance(value, dict):
        text = "; ".join(_exact(value[part]) for part in ("low", "central", "high"))
        return f"{text}; {value['group']}" if value.get("group") else text
    return value


def _cell(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        # openpyxl writes numbers with 16 significant digits; the few floats that need 17
        # are written as their exact text, which the reader parses back to the same float.
        return _exact(value)
    return value


def _append(sheet, values: list[Any]) -> None:
    """A row through the formula-safe writer, every number kept exact."""
    spreadsheets.append(sheet, [_cell(value) for value in values])


def _header(sheet, labels: list[str]) -> None:
    spreadsheets.append(sheet, labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, label in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(label) + 2))
    sheet.freeze_panes = "A2"


def map_workbook(
    value_map: ValueMap | None = None, headers: Mapping[str, str] | None = None
) -> Workbook:
    """The template, filled with ``value_map`` when given (then it reads back to the same map).
    ``headers``: the settings' names and the Inputs and Impact map headers in the reader's
    language (English header -> shown header); the file reads back with the matching
    ``aliases``."""
    shown = headers or {}
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Guide"
    for line in GUIDE:
        spreadsheets.append(guide, [line])
    guide.column_dimensions["A"].width = 110
    data = to_data(value_map) if value_map is not None else {}
    settings = workbook.create_sheet("Settings")
    _header(settings, ["Setting", "Value"])
    defaults = {
        ("currency",): "NOK",
        ("discounting", "schedule"): "R-109",
        ("discounting", "first_year"): "undiscounted",
    }
    for label, path in SETTINGS_ROWS:
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value_map is None:
            value = defaults.get(path)
        if path == ("discounting", "schedule") and isinstance(value, list):
            value = None  # a custom schedule has its own sheet
        _append(settings, [shown.get(label, label), _range_text(value)])
    settings.column_dimensions["A"].width = 40
    settings.column_dimensions["B"].width = 40
    spreadsheets.append(settings, [])
    spreadsheets.append(settings, ["Named schedules: " + ", ".join(SCHEDULES)])
    for sheet_name, key, columns in (
        ("Inputs", "inputs", INPUT_COLUMNS),
        ("Impact map", "outcomes", OUTCOME_COLUMNS),
    ):
        sheet = workbook.create_sheet(sheet_name)
        _header(sheet, [shown.get(label, label) for label, _ in columns])
        for item in data.get(key, []):
            _append(sheet, [_range_text(item.get(field)) for _, field in columns])
    schedule = workbook.create_sheet("Discount schedule")
    _header(schedule, [label for label, _ in SCHEDULE_COLUMNS])
    steps = data.get("discounting", {}).get("schedule")
    for step in steps if isinstance(steps, list) else []:
        _append(schedule, [step.get(name) for _, name in SCHEDULE_COLUMNS])
    for sheet_name, key_header, value_header, key in PAIR_SHEETS:
        sheet = workbook.create_sheet(sheet_name)
        _header(sheet, [key_header, value_header])
        for name, number in data.get(key, {}).items():
            _append(sheet, [name, number])
    evidence = workbook.create_sheet("Evidence")
    _header(evidence, [label for label, _ in EVIDENCE_COLUMNS])
    for index, outcome in enumerate(data.get("outcomes", [])):
        for assumption in EVIDENCE_FIELDS:
            entry = outcome.get("evidence", {}).get(assumption)
            if entry is not None:
                _append(
                    evidence,
                    [
                        index + 2,  # the outcome's row in 'Impact map'
                        assumption,
                        entry.get("level", "none"),
                        entry.get("source", ""),
                        entry.get("rationale", ""),
                    ],
                )
    return workbook


def template_bytes(
    value_map: ValueMap | None = None, headers: Mapping[str, str] | None = None
) -> bytes:
    buffer = BytesIO()
    map_workbook(value_map, headers).save(buffer)
    return buffer.getvalue()


# Number formats of the results' figures: the cells hold real numbers and Excel writes them with
# the reader's own marks (the same kinds as samskap.core.numbers.excel_format).
MONEY, RATIO, SHARE, FACTOR, MONTHS = "#,##0", "0.00", "0%", "0.0000", "0.0"
SUMMARY_FORMATS = {
    "Present value": MONEY,
    "Present value of inputs": MONEY,
    "Total inputs (undiscounted)": MONEY,
    "Net present value": MONEY,
    "SROI ratio": RATIO,
    "Net SROI ratio": RATIO,
    "Payback (months)": MONTHS,
    "Discount rate": "0.0%",
    "Monte Carlo draws": "#,##0",
    "SROI ratio, 5th percentile": RATIO,
    "SROI ratio, median": RATIO,
    "SROI ratio, 95th percentile": RATIO,
    "NPV, 5th percentile": MONEY,
    "NPV, median": MONEY,
    "NPV, 95th percentile": MONEY,
    "Probability that the ratio is above 1": SHARE,
}
CBA_MONEY = (
    "Present value of benefits",
    "Present value of costs (with tax-financing cost)",
    "Net present value",
    "Transfers in outcomes (not counted)",
    "Transfers in inputs (not counted)",
    "Public budgets: costs (present value)",
    "Public budgets: savings (present value)",
    "Net cost to public budgets",
    "Tax-financing cost",
    "Tax-financing gain",
    "Residual value (present value)",
    "Value after the analysis period (left out)",
    "NPV, 5th percentile",
    "NPV, median",
    "NPV, 95th percentile",
)
CBA_RATIOS = (
    "Benefit-cost ratio",
    "Benefit-cost ratio, 5th percentile",
    "Benefit-cost ratio, 95th percentile",
    "NPV per budget krone",
    "NPV per budget krone, 5th percentile",
    "NPV per budget krone, median",
    "NPV per budget krone, 95th percentile",
)
CBA_FORMATS = {
    **dict.fromkeys(CBA_MONEY, MONEY),
    **dict.fromkeys(CBA_RATIOS, RATIO),
    "Tax-financing rate": SHARE,
    "Share of draws with a net cost to public budgets": SHARE,
}
COLUMN_FORMATS = {
    "Value": MONEY,
    "Present value": MONEY,
    "Inputs": MONEY,
    "Inputs (present value)": MONEY,
    "Cumulative value": MONEY,
    "Share": SHARE,
    "Discount factor": FACTOR,
    "Ratio at low": RATIO,
    "Ratio at high": RATIO,
}


def _format_numbers(sheet, formats: dict[int, str]) -> None:
    """Give the numeric cells of the given columns (1-based) their number format."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            number_format = formats.get(cell.column)
            if (
                number_format
                and isinstance(cell.value, int | float)
                and not isinstance(cell.value, bool)
            ):
                cell.number_format = number_format


def cost_benefit_rows(cba) -> list[tuple[str, Any]]:
    """The cost-benefit view's figures (R-109/21, DFØ 2023) as (label, value) rows: the sheet
    'Cost-benefit' of the results workbook."""
    data = cba.to_dict()
    cb, u = data["cost_benefit"], data["uncertainty"]
    rows: list[tuple[str, Any]] = [
        ("Present value of benefits", data["present_value"]),
        ("Present value of costs (with tax-financing cost)", data["present_value_of_inputs"]),
        ("Net present value", data["net_present_value"]),
        ("Benefit-cost ratio", data["sroi_ratio"]),
        ("Transfers in outcomes (not counted)", cb["transfers_present_value"]),
        ("Transfers in inputs (not counted)", cb["transfer_inputs_present_value"]),
        ("Public budgets: costs (present value)", cb["public_costs_present_value"]),
        ("Public budgets: savings (present value)", cb["public_savings_present_value"]),
        ("Net cost to public budgets", cb["net_public_budget_cost"]),
        ("Tax-financing rate", cb["tax_financing_rate"]),
        ("Tax-financing cost", cb["tax_financing_cost"]),
        ("Tax-financing gain", cb["tax_financing_gain"]),
        ("Analysis period (years)", cb["analysis_period"]),
        ("Residual value (present value)", cb["residual_present_value"]),
        ("Value after the analysis period (left out)", cb["cut_off_present_value"]),
        ("Proxies adjusted to the price year", len(cb["real_price_adjustments"])),
        ("NPV per budget krone", cb["npv_per_budget_krone"]),
    ]
    if u:
        per_krone = u["npv_per_budget_krone"] or {}
        rows += [
            ("NPV, 5th percentile", u["net_present_value"]["p5"]),
            ("NPV, median", u["net_present_value"]["p50"]),
            ("NPV, 95th percentile", u["net_present_value"]["p95"]),
            ("Benefit-cost ratio, 5th percentile", u["sroi_ratio"]["p5"]),
            ("Benefit-cost ratio, 95th percentile", u["sroi_ratio"]["p95"]),
            ("NPV per budget krone, 5th percentile", per_krone.get("p5")),
            ("NPV per budget krone, median", per_krone.get("p50")),
            ("NPV per budget krone, 95th percentile", per_krone.get("p95")),
            ("Share of draws with a net cost to public budgets", u["budget_cost_share"]),
        ]
    return rows


def results_workbook(result, cost_benefit=None, why_views_differ: str = "") -> Workbook:
    """The map (readable again as input) plus sheets with every figure and its inputs; with
    ``cost_benefit`` (the map's result in the cost-benefit view), or when ``result`` is that
    view, a sheet 'Cost-benefit' with its figures, and the sentence on why the views differ."""
    data = result.to_dict()
    workbook = map_workbook(result.value_map)
    cba = cost_benefit if cost_benefit is not None else (result if result.view == "cba" else None)
    if cba is not None:
        sheet = workbook.create_sheet("Cost-benefit", 1)
        _header(sheet, ["Figure (cost-benefit view, R-109/21 and DFØ)", "Value"])
        for label, value in cost_benefit_rows(cba):
            spreadsheets.append(sheet, [label, value])
            number_format = CBA_FORMATS.get(label)
            if number_format and isinstance(value, int | float):
                sheet.cell(row=sheet.max_row, column=2).number_format = number_format
        if why_views_differ:
            spreadsheets.append(sheet, [])
            spreadsheets.append(sheet, ["Why the views differ", why_views_differ])
        sheet.column_dimensions["A"].width = 50
        sheet.column_dimensions["B"].width = 20
    summary = workbook.create_sheet("Results", 1)
    _header(summary, ["Figure", "Value"])
    rows = [
        ("Present value", data["present_value"]),
        ("Present value of inputs", data["present_value_of_inputs"]),
        ("Total inputs (undiscounted)", data["total_inputs"]),
        ("Net present value", data["net_present_value"]),
        ("SROI ratio", data["sroi_ratio"]),
        ("Net SROI ratio", data["net_sroi_ratio"]),
        ("Payback (months)", data["payback_months"]),
        ("First-year convention", data["discounting"]["first_year"]),
        ("Discount rate", data["discounting"]["rate"]),
        ("Discount schedule", data["discounting"]["schedule_name"]),
        ("Discounting convention", data["discounting"]["convention"]),
    ]
    u = data["uncertainty"]
    if u:
        rows += [
            ("Monte Carlo draws", u["draws"]),
            ("Seed", u["seed"]),
            ("Ranged assumptions", u["ranged_assumptions"]),
            ("SROI ratio, 5th percentile", u["sroi_ratio"]["p5"]),
            ("SROI ratio, median", u["sroi_ratio"]["p50"]),
            ("SROI ratio, 95th percentile", u["sroi_ratio"]["p95"]),
            ("NPV, 5th percentile", u["net_present_value"]["p5"]),
            ("NPV, median", u["net_present_value"]["p50"]),
            ("NPV, 95th percentile", u["net_present_value"]["p95"]),
            ("Probability that the ratio is above 1", u["probability_ratio_above_1"]),
        ]
    for row in rows:
        spreadsheets.append(summary, list(row))
        number_format = SUMMARY_FORMATS.get(row[0])
        if number_format and isinstance(row[1], int | float):
            summary.cell(row=summary.max_row, column=2).number_format = number_format
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 20

    def table(title: str, headers: list[str], body: list[list[Any]]) -> None:
        sheet = workbook.create_sheet(title)
        _header(sheet, headers)
        for line in body:
            spreadsheets.append(sheet, line)
        formats = {i: COLUMN_FORMATS[h] for i, h in enumerate(headers, 1) if h in COLUMN_FORMATS}
        _format_numbers(sheet, formats)

    table(
        "Outcome years",
        [
            "Outcome #",
            "Stakeholder",
            "Outcome",
            "Year",
            "Value",
            "Discount exponent",
            "Discount factor",
            "Present value",
            "Proxy source",
            "How the first year is computed",
        ],
        [
            [
                o["index"] + 1,
                o["stakeholder"],
                o["outcome"],
                y["year"],
                y["value"],
                y["exponent"],
                y["discount_factor"],
                y["present_value"],
                o["proxy_source"],
                o["explanation"],
            ]
            for o in data["outcomes"]
            for y in o["years"]
        ],
    )
    table(
        "By year",
        ["Year", "Value", "Present value", "Inputs", "Inputs (present value)", "Cumulative value"],
        [
            [
                r["year"],
                r["value"],
                r["present_value"],
                r["inputs"],
                r["inputs_present_value"],
                r["cumulative_value"],
            ]
            for r in data["by_year"]
        ],
    )
    table(
        "By stakeholder",
        ["Stakeholder", "Present value", "Share", "Inputs (present value)"],
        [
            [r["stakeholder"], r["present_value"], r["share"], r["inputs_present_value"]]
            for r in data["by_stakeholder"]
        ],
    )
    table(
        "Tornado",
        ["Assumption", "Low", "Central", "High", "Ratio at low", "Ratio at high"],
        [
            [t["label"], t["low"], t["central"], t["high"], t["ratio_at_low"], t["ratio_at_high"]]
            for t in data["tornado"]
        ],
    )
    table(
        "Break-even",
        ["Assumption", "Central", "Break-even value", "Ratio above 1 when"],
        [
            [b["label"], b["central"], b["break_even"], b["ratio_above_1_when"]]
            for b in data["break_even"]
        ],
    )
    table(
        "Warnings",
        ["Check", "Where", "Warning"],
        [[w["code"], w["place"], w["message"]] for w in data["warnings"]],
    )
    table(
        "Not valued",
        ["Stakeholder", "Outcome", "Indicator", "Quantity"],
        [
            [u["stakeholder"], u["outcome"], u["indicator"], u["quantity"]]
            for u in data["unvalued_outcomes"]
        ],
    )
    return workbook


def results_bytes(result, cost_benefit=None, why_views_differ: str = "") -> bytes:
    buffer = BytesIO()
    results_workbook(result, cost_benefit, why_views_differ).save(buffer)
    return buffer.getvalue()
