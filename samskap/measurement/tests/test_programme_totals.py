"""Programme totals: the evaluator's three reproductions (issue 17), the one-unit rule, and
property tests of the pure core (``measurement.totals``)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.measurement import indicator_edits, programmes, services, totals
from samskap.measurement import queries as selectors
from samskap.measurement.models import Indicator, LibraryIndicator

D = Decimal
QUARTERS = {
    "Q3 2024": (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
    "Q4 2024": (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    "Q1 2025": (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
    "2025": (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
}


@pytest.fixture(autouse=True)
def _one_person_may_enter_and_approve(world):
    """These tests are about totals, not review: one coordinator enters and approves."""
    Municipality.objects.update(four_eyes_approval=False)


def _adopt(world, initiative, library: LibraryIndicator, cumulative=False) -> Indicator:
    access = access_for(world.coordinator)
    item = services.chain_item_add(
        access=access, initiative=initiative, level="output", text="Reach"
    )
    indicator = services.indicator_adopt(
        access=access, initiative=initiative, library=library, chain_item=item
    )
    if cumulative:
        indicator = indicator_edits.indicator_update(
            access=access, indicator=indicator, cumulative=True
        )
    return indicator


def _approve(world, indicator: Indicator, values: dict) -> None:
    access = access_for(world.coordinator)
    for label, number in values.items():
        start, end = QUARTERS[label]
        period = services.period_add(
            access=access, indicator=indicator, label=label, start=start, end=end
        )
        numbers = (
            {"numerator": D(number[0]), "denominator": D(number[1])}
            if isinstance(number, tuple)
            else {"value": D(number)}
        )
        value = services.value_save(access=access, period=period, kind="actual", **numbers)
        services.value_submit(access=access, value=value)
        services.value_approve(access=access, value=value)


def _programme(world):
    return programmes.programme_save(
        access=access_for(world.coordinator),
        municipality=world.home,
        name="Together",
        initiatives=[world.internal, world.public],
    )


def _reached() -> LibraryIndicator:
    return LibraryIndicator.objects.get(code="participants-reached")


def _by_label(entry: dict) -> dict:
    return {p["label"]: p["total"] for p in entry["periods"]}


def test_one_library_entry_adopted_twice_counts_both(world) -> None:
    # 10 and 20 in one initiative (the second adoption is participants-reached-2), plus 5.
    first = _adopt(world, world.internal, _reached())
    second = _adopt(world, world.internal, _reached())
    assert second.code == "participants-reached-2"
    _approve(world, first, {"2025": 10})
    _approve(world, second, {"2025": 20})
    _approve(world, _adopt(world, world.public, _reached()), {"2025": 5})
    (entry,) = selectors.programme_totals(_programme(world))
    assert _by_label(entry) == {"2025": D(35)}  # was 25
    assert entry["periods"][0]["initiatives"] == 3


def test_periods_are_ordered_and_carried_by_their_dates(world) -> None:
    cumulative = _adopt(world, world.internal, _reached(), cumulative=True)
    _approve(world, cumulative, {"Q3 2024": 50, "Q4 2024": 100})
    _approve(world, _adopt(world, world.public, _reached()), {"Q1 2025": 10})
    (entry,) = selectors.programme_totals(_programme(world))
    # By dates, not by label text (which sorts Q1 2025 first).
    assert [p["label"] for p in entry["periods"]] == ["Q3 2024", "Q4 2024", "Q1 2025"]
    assert _by_label(entry)["Q1 2025"] == D(110)  # was 10
    carried = entry["periods"][2]["inputs"]
    assert [(i["value"], i["carried"]) for i in carried] == [(D(100), True), (D(10), False)]


def test_another_unit_is_listed_apart_never_summed(world) -> None:
    count = _adopt(world, world.internal, _reached())
    share = _adopt(world, world.public, _reached())
    # An indicator changed to a percentage before the one-unit rule existed.
    Indicator.objects.filter(pk=share.pk).update(unit="percentage")
    share.refresh_from_db()
    _approve(world, count, {"2025": 90})
    _approve(world, share, {"2025": (5, 10)})
    (entry,) = selectors.programme_totals(_programme(world))
    assert _by_label(entry) == {"2025": D(90)}  # was 140 (or 50 % in the other order)
    (apart,) = entry["not_added"]
    assert apart["indicator"] == share and apart["values"][0].numerator == D(5)
    page = world.client(world.coordinator).get(
        reverse("measurement:programme", args=[world.home.slug, "together"])
    )
    html = " ".join(page.content.decode().split())
    assert ">90<" in html and ">140<" not in html
    assert "Not added to the total" in html and "2025: 5/10" in html


def test_an_adopted_indicator_keeps_its_library_unit(world) -> None:
    indicator = _adopt(world, world.internal, _reached())
    with pytest.raises(ValidationError) as error:
        indicator_edits.indicator_update(
            access=access_for(world.coordinator), indicator=indicator, unit="percentage"
        )
    assert "library" in error.value.message_dict["unit"][0]


def test_a_library_entry_in_use_keeps_its_unit(world) -> None:
    access = access_for(world.coordinator)
    own = programmes.library_entry_save(
        access=access,
        municipality=world.home,
        name="Volunteers",
        definition="People who volunteer.",
        unit="number",
        source="Own",
        licence="CC0",
    )
    # Not yet adopted: the unit may still change.
    own = programmes.library_entry_save(
        access=access, municipality=world.home, entry=own, unit="money"
    )
    _adopt(world, world.internal, own)
    with pytest.raises(ValidationError) as error:
        programmes.library_entry_save(
            access=access, municipality=world.home, entry=own, unit="percentage"
        )
    assert "adopted" in error.value.message_dict["unit"][0]
    own.refresh_from_db()
    assert own.unit == "money"


# --- properties of the pure core --------------------------------------------------------------

YEARS = list(range(2020, 2026))


@st.composite
def series_strategy(draw, unit: str, key: int) -> totals.Series:
    years = draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=4))
    points = []
    for year in years:
        if unit == totals.PERCENTAGE:
            denominator = draw(st.integers(1, 500))
            numerator = draw(st.integers(0, denominator))
            value = D(numerator) / D(denominator) * 100
            numbers = {"numerator": D(numerator), "denominator": D(denominator)}
        else:
            value = D(draw(st.integers(0, 10**9))) / 100
            numbers = {}
        points.append(
            totals.Point(
                datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year), value, **numbers
            )
        )
    return totals.Series(key=key, unit=unit, cumulative=draw(st.booleans()), points=points)


@st.composite
def programme_strategy(draw, unit: str) -> dict[int, list[totals.Series]]:
    """Initiatives (1–4), each with 1–3 adopted indicators of one library entry."""
    initiatives = {}
    key = 0
    for initiative in range(draw(st.integers(1, 4))):
        initiatives[initiative] = []
        for _ in range(draw(st.integers(1, 3))):
            initiatives[initiative].append(draw(series_strategy(unit, key)))
            key += 1
    return initiatives


def _per_period(unit, series, at=None) -> dict:
    return {(p.start, p.end): p for p in totals.period_totals(unit, series, at)}


@settings(max_examples=60, deadline=None)
@given(unit=st.sampled_from(totals.ADDITIVE), data=st.data())
def test_programme_total_is_the_sum_of_its_initiatives_totals(unit, data) -> None:
    initiatives = data.draw(programme_strategy(unit))
    everything = [one for series in initiatives.values() for one in series]
    programme = _per_period(unit, everything)
    # Each initiative's totals read at the programme's periods (with its cumulative values
    # carried into periods where only others reported).
    alone = [_per_period(unit, series, programme) for series in initiatives.values()]
    for dates, period in programme.items():
        assert period.total == sum((one[dates].total for one in alone), D(0))
    # Periods come in date order.
    assert list(programme) == sorted(programme, key=lambda dates: (dates[1], dates[0]))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_percentages_pool_numerators_and_denominators(data) -> None:
    initiatives = data.draw(programme_strategy(totals.PERCENTAGE))
    everything = [one for series in initiatives.values() for one in series]
    programme = _per_period(totals.PERCENTAGE, everything)
    alone = [_per_period(totals.PERCENTAGE, series, programme) for series in initiatives.values()]
    for dates, period in programme.items():
        parts = [one[dates] for one in alone]
        numerator = sum((p.numerator for p in parts), D(0))
        denominator = sum((p.denominator for p in parts), D(0))
        assert (period.numerator, period.denominator) == (numerator, denominator)
        assert period.total == (numerator / denominator * 100 if denominator else None)


def test_series_of_another_unit_are_refused_by_the_core() -> None:
    one = totals.Series(key=1, unit="number")
    with pytest.raises(ValueError, match="not percentage"):
        totals.period_totals("percentage", [one])
    with pytest.raises(ValueError, match="Scale"):
        totals.period_totals("scale", [])
