"""The formatting layer: each language's marks, rounding (never truncation), no "−0"."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.core import numbers

LANGUAGES = ["nb", "nn", "sv", "da", "en"]
NORDIC = ["nb", "nn", "sv", "da"]
finite = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**12), max_value=10**12),
)


def expected(value, digits: int) -> Decimal:
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    if isinstance(value, int):
        exact = Decimal(value)
    result = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(result) if result == 0 else result


@settings(max_examples=300, deadline=None)
@given(
    value=finite, digits=st.integers(min_value=0, max_value=4), language=st.sampled_from(LANGUAGES)
)
def test_parsing_the_output_gives_the_value_rounded_to_the_shown_digits(value, digits, language):
    text = numbers.decimal(value, digits, language)
    assert numbers.parse(text, language) == expected(value, digits)
    assert "-" not in text  # a real minus sign, never a hyphen
    assert not text.startswith("−") or expected(value, digits) < 0  # never "−0"
    decimal_mark, group = numbers.marks(language)
    integer_part = text.lstrip("−").split(decimal_mark)[0]
    groups = integer_part.split(group)
    assert len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if language in NORDIC:
        assert group == "\u00a0" and decimal_mark == ","
        assert "." not in text and "," not in integer_part


@settings(max_examples=200, deadline=None)
@given(
    share=st.floats(min_value=-5, max_value=5, allow_nan=False), language=st.sampled_from(LANGUAGES)
)
def test_a_share_is_written_as_a_percentage(share, language):
    text = numbers.percent(share, 1, language)
    assert text.endswith("%")
    figure = text.removesuffix("%").rstrip("\u00a0")
    assert numbers.parse(figure, language) == expected(Decimal(repr(share)) * 100, 1)
    assert text.endswith("\u00a0%") == (language != "en")


@settings(max_examples=200, deadline=None)
@given(value=finite, language=st.sampled_from(LANGUAGES))
def test_a_signed_change_has_its_sign_and_zero_has_none(value, language):
    text = numbers.signed(value, 1, language)
    rounded = expected(value, 1)
    assert text[0] == ("+" if rounded > 0 else "−" if rounded < 0 else "0")


@pytest.mark.parametrize(
    ("call", "nb", "en"),
    [
        (lambda: numbers.money(130160), "130\u00a0160\u00a0kr", "NOK\u00a0130,160"),
        (lambda: numbers.percent(0.2), "20\u00a0%", "20%"),
        (lambda: numbers.decimal(1.675, 2), "1,68", "1.68"),  # rounds; truncation gave 1,67
        (lambda: numbers.decimal(2.675, 2), "2,68", "2.68"),  # the float is 2.67499…
        (lambda: numbers.decimal(-0.04, 1), "0,0", "0.0"),  # never "−0,0"
        (lambda: numbers.signed(-0.38, 2), "−0,38", "−0.38"),
        (lambda: numbers.interval(1.18, 2.18), "1,18–2,18", "1.18–2.18"),
        (lambda: numbers.interval(-0.38, 0.12), "−0,38 – 0,12", "−0.38 – 0.12"),
        (lambda: numbers.integer(10000), "10\u00a0000", "10,000"),
        (lambda: numbers.significant(184523), "185\u00a0000", "185,000"),
        (lambda: numbers.p_value(0.0001), "<\u00a00,001", "<\u00a00.001"),
        (lambda: numbers.amount("350000.00"), "350\u00a0000\u00a0kr", "NOK\u00a0350,000"),
        (lambda: numbers.amount("1250.50"), "1\u00a0250,50\u00a0kr", "NOK\u00a01,250.50"),
        (lambda: numbers.number(None), "", ""),
    ],
)
def test_figures_in_bokmal_and_english(call, nb, en):
    with translation.override("nb"):
        assert call() == nb
    with translation.override("en"):
        assert call() == en


def test_danish_groups_with_a_space_not_a_point():
    assert numbers.integer(1234567, "da") == "1\u00a0234\u00a0567"
    assert numbers.decimal(1234.5, 1, "da") == "1\u00a0234,5"


def test_chart_ticks_follow_the_language():
    with translation.override("nb"):
        formatter = numbers.axis_formatter()
    assert formatter(250000.0) == "250\u00a0000"
    assert formatter(-0.5) == "−0,5"
    assert formatter(1.0000000000000002) == "1"
