import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from samskap.accounts.validators import (
    org_number_check_digit,
    validate_municipality_number,
    validate_org_number,
)


@pytest.mark.parametrize("number", ["974760673", "923609016", "982463718"])
def test_it_accepts_real_organisation_numbers(number: str) -> None:
    # Published numbers: Brønnøysundregistrene, Equinor ASA, Norwegian Labour and Welfare Admin.
    validate_org_number(number)


def test_it_rejects_a_wrong_check_digit() -> None:
    with pytest.raises(ValidationError) as error:
        validate_org_number("974760674")
    assert error.value.code == "checksum"


@pytest.mark.parametrize("value", ["12345678", "1234567890", "97476067a", ""])
def test_it_rejects_malformed_organisation_numbers(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_org_number(value)
    assert error.value.code == "format"


@given(st.from_regex(r"[0-9]{8}", fullmatch=True))
def test_a_computed_check_digit_always_validates(first_eight: str) -> None:
    digit = org_number_check_digit(first_eight)
    if digit is None:  # remainder 1: no number is issued with these eight digits
        for candidate in range(10):
            with pytest.raises(ValidationError):
                validate_org_number(first_eight + str(candidate))
    else:
        validate_org_number(first_eight + str(digit))
        wrong = (digit + 1) % 10
        with pytest.raises(ValidationError):
            validate_org_number(first_eight + str(wrong))


@pytest.mark.parametrize("value", ["301", "03011", "abcd"])
def test_it_rejects_malformed_municipality_numbers(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_municipality_number(value)
