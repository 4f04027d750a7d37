"""The value-map file format: plain data classes, and a parser that names where a problem is.

A value map is what the SROI guide calls an impact map (Social Value UK, *A guide to Social
Return on Investment*, 2012, stages 1-4): who puts in what (inputs), which outcomes for which
stakeholders, how many, for how long, at which financial proxy, and how much of it would have
happened anyway (deadweight), moved elsewhere (displacement), is due to others (attribution) or
fades each year (drop-off). The format is documented in ``docs/valuation.md``.

Numbers that are uncertain may be ranges, written ``{"low": 1, "central": 2, "high": 4}``; a
plain number is a range with low == central == high. Rates are fractions in [0, 1] (0.25 is
25 %). Money is a float here (the engine is NumPy); the Django models keep Decimals.

``parse(data, locate)`` checks everything and raises one ``ValueMapError`` that lists every
problem with its place: a JSON path (``$.outcomes[2].deadweight``), a YAML line, or a cell of
the Excel template (``'Impact map'!K5``). No Django import here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samskap.core.coded import Coded, coded

Path_ = tuple[str | int, ...]
Locate = Callable[[Path_], str]

FIRST_YEAR_CONVENTIONS = ("discounted", "undiscounted")
STARTS = ("during", "after")
PAYERS = ("municipality", "state", "other")
PUBLIC_PAYERS = ("municipality", "state")
# A flow is a real use or saving of resources, or a transfer between parties (a benefit paid,
# a saving in benefits paid): transfers count zero for society in the cost-benefit view (DFØ,
# Veileder i samfunnsøkonomiske analyser, 2023, section 5.2), and still show for the payer.
FLOWS = ("resource", "transfer")
VIEWS = ("sroi", "cba")
# Tax-financing cost: 20 % of the net change in public budgets (Finansdepartementet, rundskriv
# R-109/21, "skattefinansieringskostnad"; DFØ 2023, section 5.7).
TAX_FINANCING_COST = 0.20
EVIDENCE_LEVELS = ("none", "low", "medium", "high", "full")
RATE_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")
# The assumptions of an outcome that may carry evidence, in the impact map's order.
EVIDENCE_FIELDS = ("quantity", "duration", "proxy", "life_satisfaction", *RATE_FIELDS)

# The real discount rate of Norwegian public guidance: Finansdepartementet, rundskriv R-109/21
# "Prinsipper og krav ved utarbeidelse av samfunnsøkonomiske analyser", section 5: 4 % for the
# first 40 years, 3 % from year 41 to 75, 2 % after that.
DEFAULT_RATE = 0.04
# A map that names no discounting gets R-109's declining schedule (a flat rate is a choice the
# map states: ``rate``).
DEFAULT_SCHEDULE = "R-109"
# Beyond this many years a flat rate departs from R-109's schedule (3 % from year 41).
FLAT_RATE_YEARS = 40
R_109 = ((1, 40, 0.04), (41, 75, 0.03), (76, None, 0.02))
# Named discounting conventions (real rates by discounting year), one table for the engine and
# the value maps; a map names one as ``discounting: {preset: "se-asek"}`` (or ``schedule``).
# The country presets, with their sources in docs/valuation.md:
# - no-r109: Norway, Finansdepartementet rundskriv R-109/21 and DFØ's guide (as "R-109").
# - se-asek: Sweden, Trafikverket ASEK 7.0 (ch. 5), 3.5 % real, the same in every year.
# - dk-fm: Denmark, Finansministeriet, Dokumentationsnotat 7 January 2021: 3.5 % in years
#   0-35, 2.5 % in years 36-70, 1.5 % after (lowered from 4/3/2 %).
SCHEDULES: dict[str, tuple[tuple[int, int | None, float], ...]] = {
    "R-109": R_109,
    "no-r109": R_109,
    "se-asek": ((1, None, 0.035),),
    "dk-fm": ((1, 35, 0.035), (36, 70, 0.025), (71, None, 0.015)),
    # HM Treasury, The Green Book (2022), table 8 / annex A6: declining long-term rates.
    "green-book": (
        (1, 30, 0.035),
        (31, 75, 0.03),
        (76, 125, 0.025),
        (126, 200, 0.02),
        (201, 300, 0.015),
        (301, None, 0.01),
    ),
}


class ValueMapError(ValueError):
    """A value map that cannot be computed. ``problems`` lists ``(place, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{place}: {message}" for place, message in problems))


@dataclass(frozen=True)
class Ranged:
    """An assumption as low / central / high; a plain number has all three equal."""

    low: float
    central: float
    high: float
    # The correlation group this range moves with (the map's ``correlations`` gives each
    # group's rank correlation); "" = independent of everything else.
    group: str = ""

    @classmethod
    def of(cls, value: float) -> Ranged:
        return cls(float(value), float(value), float(value))

    @property
    def is_range(self) -> bool:
        return self.low < self.high

    def to_data(self) -> float | dict[str, float | str]:
        if not self.is_range:
            return self.central
        data: dict[str, float | str] = {"low": self.low, "central": self.central, "high": self.high}
        if self.group:
            data["group"] = self.group
        return data


@dataclass(frozen=True)
class Evidence:
    """How well an assumption is backed: a level of the rubric, its source and a rationale."""

    level: str = "none"
    source: str = ""
    rationale: str = ""


@dataclass(frozen=True)
class Input:
    stakeholder: str
    description: str
    amount: Ranged
    year: int = 0
    # Volunteer time: amount = hours x hourly value (both may be ranges); amount is then 1.
    hours: Ranged | None = None
    hourly_value: Ranged | None = None
    notes: str = ""
    payer: str = ""  # a public payer (municipality, state) makes this a public budget cost
    flow: str = "resource"

    @property
    def is_volunteer_time(self) -> bool:
        return self.hours is not None


@dataclass(frozen=True)
class Outcome:
    stakeholder: str
    outcome: str
    quantity: Ranged
    indicator: str = ""
    proxy: Ranged | None = None
    proxy_source: str = ""
    proxy_description: str = ""
    # Change in life satisfaction (0-10 scale) per person and year: valued at the map's
    # wellbeing value per point instead of a proxy.
    life_satisfaction: Ranged | None = None
    duration: int = 1
    starts: str = "during"
    deadweight: Ranged | None = None
    displacement: Ranged | None = None
    attribution: Ranged | None = None
    drop_off: Ranged | None = None
    payer: str = ""
    evidence: dict[str, Evidence] = field(default_factory=dict)
    notes: str = ""
    flow: str = "resource"
    # The year the proxy's money is from; adjusted to the map's price year by its price index.
    proxy_price_year: int | None = None

    @property
    def is_valued(self) -> bool:
        return self.proxy is not None or self.life_satisfaction is not None

    @property
    def first_year(self) -> int:
        """The first year with value: 1 when the outcome starts during the activity, else 2."""
        return 1 if self.starts == "during" else 2

    def rate(self, name: str) -> Ranged:
        value = getattr(self, name)
        return value if value is not None else Ranged.of(0.0)


@dataclass(frozen=True)
class Discounting:
    rate: Ranged | None = None
    # Steps (from_year, to_year or None for open, rate), or a named schedule's steps.
    schedule: tuple[tuple[int, int | None, float], ...] | None = None
    schedule_name: str = ""
    first_year: str = "undiscounted"

    @property
    def convention(self) -> Coded:
        """The convention used, in words, for every result and report (a coded message)."""
        first = self.first_year
        if self.schedule is None:
            rate = self.rate.central if self.rate is not None else DEFAULT_RATE
            return coded(
                "convention_flat",
                f"flat {rate:.1%} a year (chosen instead of R-109/21's declining schedule); "
                f"first year {first}",
                rate=rate,
                first_year=first,
            )
        steps = [[start, end, rate] for start, end, rate in self.schedule]
        text = ", ".join(
            f"{rate:.1%} years {start}-{end}"
            if end is not None
            else f"{rate:.1%} from year {start}"
            for start, end, rate in self.schedule
        )
        rates = {rate for _start, _end, rate in self.schedule}
        if self.schedule_name and len(rates) == 1:
            # A constant rate (Sweden's ASEK: 3.5 % in every year) is not a declining schedule.
            (rate,) = rates
            return coded(
                "convention_named_constant",
                f"{self.schedule_name}: {rate:.1%} a year in every year; first year {first}",
                name=self.schedule_name,
                rate=rate,
                first_year=first,
            )
        if self.schedule_name:
            return coded(
                "convention_named",
                f"{self.schedule_name} declining schedule ({text}); first year {first}",
                name=self.schedule_name,
                steps=steps,
                first_year=first,
            )
        return coded(
            "convention_custom",
            f"own schedule ({text}); first year {first}",
            steps=steps,
            first_year=first,
        )

    def rate_for_year(self, year: int) -> float:
        """The rate applying to discounting year ``year`` (1-based) of a schedule."""
        assert self.schedule is not None
        for start, end, rate in self.schedule:
            if year >= start and (end is None or year <= end):
                return rate
        return self.schedule[-1][2]


@dataclass(frozen=True)
class Wellbeing:
    value_per_point: Ranged
    source: str = ""


@dataclass(frozen=True)
class CostBenefit:
    """Settings of the cost-benefit view (R-109/21, DFØ 2023): the analysis period in years
    (None: as long as the outcomes last), the residual value at its end, and the tax-financing
    cost (None: the installation's setting, by default 20 %)."""

    analysis_period: int | None = None
    residual_value: float = 0.0
    tax_financing_cost: float | None = None


@dataclass(frozen=True)
class ValueMap:
    title: str
    inputs: tuple[Input, ...]
    outcomes: tuple[Outcome, ...]
    currency: str = "NOK"
    price_year: int | None = None
    discounting: Discounting = field(default_factory=lambda: default_discounting())
    wellbeing: Wellbeing | None = None
    # Correlation group name -> Spearman rank correlation between any two of its ranges.
    correlations: dict[str, float] = field(default_factory=dict)
    cost_benefit: CostBenefit = field(default_factory=CostBenefit)
    # Consumer price index by year (e.g. SSB table 03014), to bring proxies to the price year.
    price_index: dict[int, float] = field(default_factory=dict)


def default_discounting(first_year: str = "undiscounted") -> Discounting:
    """R-109/21's declining schedule: what a map gets when it names no discounting."""
    return Discounting(None, SCHEDULES[DEFAULT_SCHEDULE], DEFAULT_SCHEDULE, first_year)


# --- parsing -----------------------------------------------------------------------------


def json_path(path: Path_) -> str:
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


class _Parser:
    def __init__(self, locate: Locate):
        self.locate = locate
        self.problems: list[tuple[str, str]] = []
        self.groups_used: dict[str, str] = {}  # correlation group -> where first used

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append((self.locate(path), message))

    @staticmethod
    def _not_a_number(name: str, value: Any) -> Coded:
        return coded(
            "not_a_number", f"'{name}' must be a number, not {value!r}", key=name, value=str(value)
        )

    # Scalars ---------------------------------------------------------------------------------

    def text(self, data: Mapping, key: str, path: Path_, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem((*path, key), coded("required", f"'{key}' is required", key=key))
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem((*path, key), coded("not_text", f"'{key}' must be text", key=key))
            return ""
        return value.strip()

    def integer(
        self, data: Mapping, key: str, path: Path_, *, default: int | None, minimum: int = 0
    ) -> int | None:
        value = data.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                (*path, key),
                coded(
                    "not_whole_number",
                    f"'{key}' must be a whole number, not {value!r}",
                    key=key,
                    value=str(value),
                ),
            )
            return default
        if value < minimum:
            self.problem(
                (*path, key),
                coded(
                    "below_minimum",
                    f"'{key}' must be at least {minimum}, not {value}",
                    key=key,
                    minimum=minimum,
                    value=value,
                ),
            )
            return default
        return value

    def choice(
        self, data: Mapping, key: str, path: Path_, options: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            return default
        if not isinstance(value, str) or value.strip().lower() not in options:
            self.problem(
                (*path, key),
                coded(
                    "not_an_option",
                    f"'{key}' must be one of {', '.join(options)}, not {value!r}",
                    key=key,
                    options=list(options),
                    value=str(value),
                ),
            )
            return default
        return value.strip().lower()

    def number(self, value: Any, path: Path_, name: str) -> float | None:
        if isinstance(value, str):
            text = value.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
            percent = text.endswith("%")
            try:
                number = float(text.rstrip("%").replace(",", "."))
            except ValueError:
                self.problem(path, self._not_a_number(name, value))
                return None
            value = number / 100 if percent else number
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(path, self._not_a_number(name, value))
            return None
        if not math.isfinite(value):
            self.problem(path, coded("not_finite", f"'{name}' must be a finite number", key=name))
            return None
        return float(value)

    def ranged(
        self,
        data: Mapping,
        key: str,
        path: Path_,
        *,
        required: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> Ranged | None:
        value = data.get(key)
        where = (*path, key)
        if value is None or value == "":
            if required:
                self.problem(where, coded("required", f"'{key}' is required", key=key))
            return None
        if isinstance(value, Mapping):
            unknown = set(value) - {"low", "central", "high", "group"}
            if unknown:
                self.problem(
                    where,
                    coded(
                        "range_unknown_parts",
                        f"a range has only low, central, high and group, not {sorted(unknown)}",
                        parts=[str(part) for part in sorted(unknown)],
                    ),
                )
                return None
            group = value.get("group") or ""
            if not isinstance(group, str):
                self.problem(
                    (*where, "group"),
                    coded("group_not_text", "'group' must be the name of a correlation group"),
                )
                return None
            missing = [part for part in ("low", "central", "high") if value.get(part) is None]
            if missing:
                self.problem(
                    where,
                    coded(
                        "range_incomplete",
                        f"the range of '{key}' lacks {', '.join(missing)}",
                        key=key,
                        missing=missing,
                    ),
                )
                return None
            parts = [self.number(value[p], (*where, p), key) for p in ("low", "central", "high")]
            if any(part is None for part in parts):
                return None
            result = Ranged(*parts, group=group.strip())  # type: ignore[arg-type]
            if result.group:
                self.groups_used.setdefault(result.group, self.locate(where))
            if not result.low <= result.central <= result.high:
                self.problem(
                    where,
                    coded(
                        "range_out_of_order",
                        f"the range of '{key}' must have low <= central <= high "
                        f"(got {result.low:g}, {result.central:g}, {result.high:g})",
                        key=key,
                        low=result.low,
                        central=result.central,
                        high=result.high,
                    ),
                )
                return None
        else:
            number = self.number(value, where, key)
            if number is None:
                return None
            result = Ranged.of(number)
        if minimum is not None and result.low < minimum:
            self.problem(
                where,
                coded(
                    "below_minimum",
                    f"'{key}' must be at least {minimum:g} (got {result.low:g})",
                    key=key,
                    minimum=minimum,
                    value=result.low,
                ),
            )
            return None
        if maximum is not None and result.high > maximum:
            self.problem(
                where,
                coded(
                    "above_maximum",
                    f"'{key}' must be at most {maximum:g} (got {result.high:g})",
                    key=key,
                    maximum=maximum,
                    value=result.high,
                ),
            )
            return None
        return result

    def mapping(self, value: Any, path: Path_, what: str) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.problem(
                path,
                coded("not_an_object", f"{what} must be an object with named fields", what=what),
            )
            return None
        return value

    def known_keys(self, data: Mapping, path: Path_, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                hint = ""
                close = [a for a in sorted(allowed) if _similar(str(key), a)]
                if close:
                    hint = f" (did you mean '{close[0]}'?)"
                self.problem(
                    (*path, key),
                    coded(
                        "unknown_field",
                        f"unknown field '{key}'{hint}",
                        key=str(key),
                        suggestion=close[0] if close else "",
                    ),
                )

    # Parts of the map ------------------------------------------------------------------------

    def discounting(self, value: Any) -> Discounting:
        path: Path_ = ("discounting",)
        if value is None:
            return default_discounting()
        data = self.mapping(value, path, "'discounting'")
        if data is None:
            return default_discounting()
        self.known_keys(data, path, {"rate", "schedule", "preset", "first_year"})
        first_year = self.choice(data, "first_year", path, FIRST_YEAR_CONVENTIONS, "undiscounted")
        rate = self.ranged(data, "rate", path, minimum=0.0, maximum=1.0)
        # ``preset`` names a country's convention; it is a named schedule by another word.
        schedule_data = data.get("schedule", data.get("preset"))
        if schedule_data is None:
            if rate is None:
                return default_discounting(first_year)
            return Discounting(rate, first_year=first_year)
        if rate is not None:
            self.problem(
                (*path, "schedule"),
                coded("rate_and_schedule", "give either 'rate' or 'schedule', not both"),
            )
        if isinstance(schedule_data, str):
            name = next((n for n in SCHEDULES if n.lower() == schedule_data.lower()), None)
            if name is None:
                self.problem(
                    (*path, "schedule"),
                    coded(
                        "unknown_schedule",
                        f"unknown schedule {schedule_data!r}; "
                        f"named schedules: {', '.join(SCHEDULES)}",
                        name=schedule_data,
                        names=list(SCHEDULES),
                    ),
                )
                return Discounting(Ranged.of(DEFAULT_RATE), first_year=first_year)
            return Discounting(None, SCHEDULES[name], name, first_year)
        if not isinstance(schedule_data, list) or not schedule_data:
            self.problem(
                (*path, "schedule"),
                coded("schedule_not_list", "'schedule' must be a name or a list of steps"),
            )
            return Discounting(Ranged.of(DEFAULT_RATE), first_year=first_year)
        steps: list[tuple[int, int | None, float]] = []
        expected = 1
        for i, step_value in enumerate(schedule_data):
            step_path: Path_ = (*path, "schedule", i)
            step = self.mapping(step_value, step_path, "a schedule step")
            if step is None:
                continue
            self.known_keys(step, step_path, {"from_year", "to_year", "rate"})
            start = self.integer(step, "from_year", step_path, default=expected, minimum=1)
            end = self.integer(step, "to_year", step_path, default=None, minimum=1)
            rate_value = self.ranged(step, "rate", step_path, required=True, minimum=0, maximum=1)
            if start != expected:
                self.problem(
                    (*step_path, "from_year"),
                    coded(
                        "schedule_gap",
                        f"steps must follow each other without gaps: expected from_year {expected}",
                        expected=expected,
                    ),
                )
            if end is not None and start is not None and end < start:
                self.problem(
                    (*step_path, "to_year"),
                    coded("schedule_backwards", "'to_year' is before 'from_year'"),
                )
            last = i == len(schedule_data) - 1
            if end is None and not last:
                self.problem(
                    (*step_path, "to_year"),
                    coded("schedule_open_early", "only the last step may be open-ended"),
                )
            if end is not None and last:
                self.problem(
                    (*step_path, "to_year"),
                    coded("schedule_closed_end", "the last step must be open-ended (no to_year)"),
                )
            if rate_value is not None and rate_value.is_range:
                self.problem(
                    (*step_path, "rate"),
                    coded("schedule_range", "a schedule's rates cannot be ranges"),
                )
            if rate_value is not None:
                steps.append((start or expected, end, rate_value.central))
            expected = (end or expected) + 1
        return Discounting(None, tuple(steps), "", first_year)

    def input(self, value: Any, i: int) -> Input | None:
        path: Path_ = ("inputs", i)
        data = self.mapping(value, path, "an input")
        if data is None:
            return None
        self.known_keys(
            data,
            path,
            {
                "stakeholder",
                "description",
                "amount",
                "year",
                "hours",
                "hourly_value",
                "notes",
                "payer",
                "flow",
            },
        )
        stakeholder = self.text(data, "stakeholder", path, required=True)
        description = self.text(data, "description", path)
        year = self.integer(data, "year", path, default=0, minimum=0)
        hours = self.ranged(data, "hours", path, minimum=0)
        hourly = self.ranged(data, "hourly_value", path, minimum=0)
        if data.get("amount") not in (None, ""):
            amount = self.ranged(data, "amount", path, minimum=0)
            if hours is not None or hourly is not None:
                self.problem(
                    path,
                    coded(
                        "amount_and_hours",
                        "give either 'amount' or 'hours' and 'hourly_value', not both",
                    ),
                )
        elif hours is not None or hourly is not None:
            if hours is None or hourly is None:
                self.problem(
                    path,
                    coded(
                        "hours_incomplete", "volunteer time needs both 'hours' and 'hourly_value'"
                    ),
                )
            amount = Ranged.of(1.0)
        else:
            self.problem((*path, "amount"), coded("required", "'amount' is required", key="amount"))
            amount = None
        if amount is None:
            return None
        return Input(
            stakeholder,
            description,
            amount,
            year or 0,
            hours,
            hourly,
            self.text(data, "notes", path),
            self.choice(data, "payer", path, PAYERS, ""),
            self.choice(data, "flow", path, FLOWS, "resource"),
        )

    def evidence(self, value: Any, path: Path_) -> dict[str, Evidence]:
        data = self.mapping(value, path, "'evidence'")
        if data is None:
            return {}
        result = {}
        allowed = set(EVIDENCE_FIELDS)
        for name, item in data.items():
            item_path = (*path, name)
            if name not in allowed:
                self.problem(
                    item_path,
                    coded(
                        "evidence_unknown",
                        f"evidence can be given for {', '.join(sorted(allowed))}",
                        allowed=sorted(allowed),
                    ),
                )
                continue
            entry = self.mapping(item, item_path, "an evidence entry")
            if entry is None:
                continue
            self.known_keys(entry, item_path, {"level", "source", "rationale"})
            result[name] = Evidence(
                self.choice(entry, "level", item_path, EVIDENCE_LEVELS, "none"),
                self.text(entry, "source", item_path),
                self.text(entry, "rationale", item_path),
            )
        return result

    def outcome(self, value: Any, i: int) -> Outcome | None:
        path: Path_ = ("outcomes", i)
        data = self.mapping(value, path, "an outcome")
        if data is None:
            return None
        self.known_keys(
            data,
            path,
            {
                "stakeholder",
                "outcome",
                "indicator",
                "quantity",
                "proxy",
                "proxy_source",
                "proxy_description",
                "life_satisfaction",
                "duration",
                "starts",
                "payer",
                "evidence",
                "notes",
                "flow",
                "proxy_price_year",
                *RATE_FIELDS,
            },
        )
        before = len(self.problems)
        stakeholder = self.text(data, "stakeholder", path, required=True)
        name = self.text(data, "outcome", path, required=True)
        quantity = self.ranged(data, "quantity", path, required=True, minimum=0)
        proxy = self.ranged(data, "proxy", path)
        life = self.ranged(data, "life_satisfaction", path, minimum=-10, maximum=10)
        if proxy is not None and life is not None:
            self.problem(
                path,
                coded(
                    "proxy_and_life_satisfaction",
                    "give either 'proxy' or 'life_satisfaction', not both",
                ),
            )
        duration = self.integer(data, "duration", path, default=1, minimum=1)
        rates = {
            name: self.ranged(data, name, path, minimum=0.0, maximum=1.0) for name in RATE_FIELDS
        }
        payer = self.choice(data, "payer", path, PAYERS, "")
        starts = self.choice(data, "starts", path, STARTS, "during")
        flow = self.choice(data, "flow", path, FLOWS, "resource")
        proxy_price_year = self.integer(data, "proxy_price_year", path, default=None, minimum=1900)
        evidence = (
            self.evidence(data["evidence"], (*path, "evidence")) if "evidence" in data else {}
        )
        if len(self.problems) > before or quantity is None:
            return None
        return Outcome(
            stakeholder=stakeholder,
            outcome=name,
            quantity=quantity,
            indicator=self.text(data, "indicator", path),
            proxy=proxy,
            proxy_source=self.text(data, "proxy_source", path),
            proxy_description=self.text(data, "proxy_description", path),
            life_satisfaction=life,
            duration=duration or 1,
            starts=starts,
            payer=payer,
            evidence=evidence,
            notes=self.text(data, "notes", path),
            flow=flow,
            proxy_price_year=proxy_price_year,
            **rates,
        )

    def value_map(self, data: Any) -> ValueMap | None:
        root = self.mapping(data, (), "a value map")
        if root is None:
            return None
        self.known_keys(
            root,
            (),
            {
                "title",
                "currency",
                "price_year",
                "discounting",
                "inputs",
                "outcomes",
                "wellbeing",
                "correlations",
                "cost_benefit",
                "price_index",
                "notes",
            },
        )
        title = self.text(root, "title", (), required=True)
        currency = self.text(root, "currency", ()) or "NOK"
        price_year = self.integer(root, "price_year", (), default=None, minimum=1900)
        discounting = self.discounting(root.get("discounting"))
        wellbeing = None
        if root.get("wellbeing") is not None:
            wb = self.mapping(root["wellbeing"], ("wellbeing",), "'wellbeing'")
            if wb is not None:
                self.known_keys(wb, ("wellbeing",), {"value_per_point", "source"})
                vpp = self.ranged(wb, "value_per_point", ("wellbeing",), required=True, minimum=0)
                if vpp is not None:
                    wellbeing = Wellbeing(vpp, self.text(wb, "source", ("wellbeing",)))
        inputs = []
        outcomes = []
        for key, parse, out in (
            ("inputs", self.input, inputs),
            ("outcomes", self.outcome, outcomes),
        ):
            items = root.get(key)
            if items is None:
                items = []
            if not isinstance(items, list):
                self.problem((key,), coded("not_a_list", f"'{key}' must be a list", key=key))
                continue
            for i, item in enumerate(items):
                parsed = parse(item, i)
                if parsed is not None:
                    out.append(parsed)
        if not root.get("inputs"):
            self.problem(
                ("inputs",),
                coded(
                    "no_inputs",
                    "the map has no inputs: the SROI ratio divides by the inputs, "
                    "so give at least one",
                ),
            )
        if not root.get("outcomes"):
            self.problem(("outcomes",), coded("no_outcomes", "the map has no outcomes"))
        needs_wellbeing = [
            i for i, o in enumerate(outcomes) if o.life_satisfaction is not None and o.is_valued
        ]
        if needs_wellbeing and wellbeing is None:
            self.problem(
                ("wellbeing",),
                coded(
                    "wellbeing_missing",
                    "outcomes valued by life satisfaction need "
                    "'wellbeing': {value_per_point, source}",
                ),
            )
        if inputs and sum(i.amount.low * _low(i.hours) * _low(i.hourly_value) for i in inputs) <= 0:
            self.problem(
                ("inputs",),
                coded(
                    "inputs_zero",
                    "the inputs add up to 0 (at their low values): "
                    "the SROI ratio would be a division by zero",
                ),
            )
        correlations = self.correlations(root.get("correlations"))
        cost_benefit = self.cost_benefit(root.get("cost_benefit"))
        price_index = self.price_index(root.get("price_index"))
        for group, place in self.groups_used.items():
            if group not in correlations:
                self.problems.append(
                    (
                        place,
                        coded(
                            "group_without_correlation",
                            f"correlation group {group!r} has no entry in 'correlations'",
                            group=group,
                        ),
                    )
                )
        if self.problems:
            return None
        return ValueMap(
            title=title,
            inputs=tuple(inputs),
            outcomes=tuple(outcomes),
            currency=currency,
            price_year=price_year,
            discounting=discounting,
            wellbeing=wellbeing,
            correlations=correlations,
            cost_benefit=cost_benefit,
            price_index=price_index,
        )

    def cost_benefit(self, value: Any) -> CostBenefit:
        path: Path_ = ("cost_benefit",)
        if value is None:
            return CostBenefit()
        data = self.mapping(value, path, "'cost_benefit'")
        if data is None:
            return CostBenefit()
        self.known_keys(data, path, {"analysis_period", "residual_value", "tax_financing_cost"})
        period = self.integer(data, "analysis_period", path, default=None, minimum=1)
        residual = self.ranged(data, "residual_value", path, minimum=0)
        tax = self.ranged(data, "tax_financing_cost", path, minimum=0.0, maximum=1.0)
        return CostBenefit(
            period, residual.central if residual else 0.0, tax.central if tax else None
        )

    def price_index(self, value: Any) -> dict[int, float]:
        """``price_index: {year: index}`` (any base; only ratios matter)."""
        path: Path_ = ("price_index",)
        if value is None:
            return {}
        data = self.mapping(value, path, "'price_index'")
        if data is None:
            return {}
        result = {}
        for year, item in data.items():
            number = self.number(item, (*path, year), "price_index")
            text = str(year).strip()
            if not text.isdigit():
                self.problem(
                    (*path, year),
                    coded("price_index_year", f"{year!r} is not a year", value=str(year)),
                )
                continue
            if number is None:
                continue
            if number <= 0:
                self.problem(
                    (*path, year),
                    coded(
                        "price_index_not_positive",
                        f"a price index must be above 0, not {number:g}",
                        value=number,
                    ),
                )
                continue
            result[int(text)] = number
        return result

    def correlations(self, value: Any) -> dict[str, float]:
        """``correlations: {group: rank correlation in [-1, 1]}``."""
        if value is None:
            return {}
        data = self.mapping(value, ("correlations",), "'correlations'")
        if data is None:
            return {}
        result = {}
        for name, item in data.items():
            number = self.number(item, ("correlations", name), str(name))
            if number is None:
                continue
            if not -1.0 <= number <= 1.0:
                self.problem(
                    ("correlations", name),
                    coded(
                        "correlation_out_of_range",
                        f"a rank correlation must be between -1 and 1, not {number:g}",
                        value=number,
                    ),
                )
                continue
            result[str(name).strip()] = number
        return result


def _low(value: Ranged | None) -> float:
    return 1.0 if value is None else value.low


def _similar(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.75


def parse(data: Any, locate: Locate = json_path) -> ValueMap:
    """A checked ``ValueMap`` from plain data, or ``ValueMapError`` listing every problem."""
    parser = _Parser(locate)
    result = parser.value_map(data)
    if parser.problems or result is None:
        raise ValueMapError(
            parser.problems or [(locate(()), coded("not_a_value_map", "not a value map"))]
        )
    return result


def parse_discounting(data: Any) -> Discounting:
    """The ``discounting`` part of a map alone, as ``parse`` reads it: names a stored map's
    convention without computing the map (a part with problems gives the default, where
    ``parse`` would refuse the whole map)."""
    return _Parser(json_path).discounting(data)


def loads_json(text: str) -> ValueMap:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueMapError(
            [
                (
                    f"line {error.lineno}, column {error.colno}",
                    coded("invalid_json", f"not valid JSON: {error.msg}", detail=error.msg),
                )
            ]
        ) from error
    return parse(data)


def loads_yaml(text: str) -> ValueMap:
    import yaml

    try:
        # Anchors and aliases are refused before anything is built: PyYAML shares an aliased
        # node, but every walk over the data expands it, and a "billion laughs" file of a few
        # hundred bytes then becomes gigabytes. A value map never needs them.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise ValueMapError(
                    [(f"line {line}", "YAML anchors and aliases (&name, *name) are not allowed")]
                )
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(error, "problem", None) or str(error)
        raise ValueMapError(
            [(place, coded("invalid_yaml", f"not valid YAML: {problem}", detail=str(problem)))]
        ) from error
    lines: dict[Path_, int] = {}

    def walk(current, path: Path_) -> None:
        lines[path] = current.start_mark.line + 1
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                child = (*path, key_node.value)
                walk(value_node, child)
                lines[child] = key_node.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())

    def locate(path: Path_) -> str:
        for n in range(len(path), -1, -1):
            if path[:n] in lines:
                return f"line {lines[path[:n]]} ({json_path(path)})"
        return json_path(path)

    return parse(data, locate)


def price_index_from_text(text: str, name: str = "price index") -> dict[int, float]:
    """A price index from CSV text with the columns year and index (a header row, comma or
    semicolon, decimal comma accepted), e.g. SSB table 03014 (consumer price index)."""
    import csv

    delimiter = ";" if text.count(";") > text.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "year" not in header or "index" not in header:
        raise ValueMapError(
            [
                (
                    f"{name}, line 1",
                    coded("price_index_header", "the header must name the columns year and index"),
                )
            ]
        )
    y, x = header.index("year"), header.index("index")
    result: dict[int, float] = {}
    problems: list[tuple[str, str]] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            year = int(cells[y].strip())
            index = float(cells[x].strip().replace(",", ".").replace(" ", ""))
        except (ValueError, IndexError):
            problems.append(
                (
                    f"{name}, line {line}",
                    coded("price_index_row", "needs a whole year and a number above 0"),
                )
            )
            continue
        if not math.isfinite(index) or index <= 0:
            problems.append(
                (
                    f"{name}, line {line}",
                    coded("price_index_row", "needs a whole year and a number above 0"),
                )
            )
            continue
        result[year] = index
    if problems:
        raise ValueMapError(problems)
    return result


def read_price_index(path: str | Path) -> dict[int, float]:
    """``price_index_from_text`` of a UTF-8 file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValueMapError(
            [(str(path), coded("unreadable", f"cannot be read: {error.strerror}"))]
        ) from error
    except UnicodeDecodeError as error:
        raise ValueMapError([(str(path), coded("not_utf8", "is not UTF-8 text"))]) from error
    return price_index_from_text(text, str(path))


# --- back to plain data --------------------------------------------------------------------


def to_data(value_map: ValueMap) -> dict[str, Any]:
    """The map as plain data in the file format (``parse(to_data(m)) == m``)."""

    def ranged(value: Ranged | None) -> Any:
        return None if value is None else value.to_data()

    def drop_empty(data: dict) -> dict:
        return {k: v for k, v in data.items() if v not in (None, "", {})}

    d = value_map.discounting
    discounting: dict[str, Any] = {"first_year": d.first_year}
    if d.schedule is None:
        discounting["rate"] = ranged(d.rate)
    elif d.schedule_name:
        discounting["schedule"] = d.schedule_name
    else:
        discounting["schedule"] = [
            drop_empty({"from_year": start, "to_year": end, "rate": rate})
            for start, end, rate in d.schedule
        ]
    data: dict[str, Any] = {
        "title": value_map.title,
        "currency": value_map.currency,
        "price_year": value_map.price_year,
        "discounting": discounting,
        "inputs": [
            drop_empty(
                {
                    "stakeholder": i.stakeholder,
                    "description": i.description,
                    "amount": None if i.is_volunteer_time else ranged(i.amount),
                    "hours": ranged(i.hours),
                    "hourly_value": ranged(i.hourly_value),
                    "year": i.year,
                    "notes": i.notes,
                    "payer": i.payer,
                    "flow": None if i.flow == "resource" else i.flow,
                }
            )
            for i in value_map.inputs
        ],
        "outcomes": [
            drop_empty(
                {
                    "stakeholder": o.stakeholder,
                    "outcome": o.outcome,
                    "indicator": o.indicator,
                    "quantity": ranged(o.quantity),
                    "proxy": ranged(o.proxy),
                    "proxy_source": o.proxy_source,
                    "proxy_description": o.proxy_description,
                    "life_satisfaction": ranged(o.life_satisfaction),
                    "duration": o.duration,
                    "starts": o.starts,
                    **{name: ranged(getattr(o, name)) for name in RATE_FIELDS},
                    "payer": o.payer,
                    "flow": None if o.flow == "resource" else o.flow,
                    "proxy_price_year": o.proxy_price_year,
                    "evidence": {
                        name: drop_empty(
                            {"level": e.level, "source": e.source, "rationale": e.rationale}
                        )
                        for name, e in o.evidence.items()
                    },
                    "notes": o.notes,
                }
            )
            for o in value_map.outcomes
        ],
    }
    if value_map.wellbeing is not None:
        data["wellbeing"] = drop_empty(
            {
                "value_per_point": ranged(value_map.wellbeing.value_per_point),
                "source": value_map.wellbeing.source,
            }
        )
    if value_map.correlations:
        data["correlations"] = dict(value_map.correlations)
    cb = value_map.cost_benefit
    if cb != CostBenefit():
        data["cost_benefit"] = {
            k: v
            for k, v in (
                ("analysis_period", cb.analysis_period),
                ("residual_value", cb.residual_value or None),
                ("tax_financing_cost", cb.tax_financing_cost),
            )
            if v is not None
        }
    if value_map.price_index:
        data["price_index"] = dict(value_map.price_index)
    return drop_empty(data)
