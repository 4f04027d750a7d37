"""Validators for Norwegian identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Weights of the Brønnøysund Register Centre's modulus-11 check for organisation numbers.
ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number_check_digit(first_eight: str) -> int | None:
    """Return the modulus-11 check digit for the first eight digits, or None if none exists.

    Source: Brønnøysundregistrene, "Organisasjonsnummer" (weights 3 2 7 6 5 4 3 2; check
    digit = 11 − (weighted sum mod 11); remainder 0 gives 0; a result of 10 is never issued).
    """
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORG_NUMBER_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    digit = 11 - remainder
    return None if digit == 10 else digit


def _ascii_digits(value: str, length: int) -> bool:
    # str.isdigit() is true for "²" and other Unicode digits that int() refuses.
    return len(value) == length and all("0" <= c <= "9" for c in value)


def normalise_org_number(value: str) -> str:
    """The number as typed, without the spaces, dots and "NO"/"MVA" people copy with it
    ("NO 974 760 673 MVA" → "974760673"); validation is left to :func:`validate_org_number`."""
    cleaned = value.strip().upper()
    cleaned = cleaned.removeprefix("NO").removesuffix("MVA")
    return "".join(c for c in cleaned if c not in " .\u00a0-")


def validate_org_number(value: str) -> None:
    if not _ascii_digits(value, 9):
        raise ValidationError(_("An organisation number has exactly nine digits."), code="format")
    if org_number_check_digit(value[:8]) != int(value[8]):
        raise ValidationError(
            _("The check digit of this organisation number is wrong; please check for typos."),
            code="checksum",
        )


def validate_municipality_number(value: str) -> None:
    if not _ascii_digits(value, 4):
        raise ValidationError(_("A municipality number has exactly four digits."), code="format")
