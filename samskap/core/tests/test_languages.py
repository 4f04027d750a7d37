"""The Nordic languages: selectable, translated, with each language's date convention."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

NORDIC = ["nb", "nn", "sv", "da"]


def test_every_nordic_language_is_offered() -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[:2] == ["nb", "en"]
    assert set(NORDIC) <= set(codes)


@pytest.mark.django_db
def test_the_switcher_lists_every_language_in_its_own_name(client) -> None:
    content = client.get("/").content.decode()
    for code, own_name in [("nn", "norsk (nynorsk)"), ("sv", "svenska"), ("da", "dansk")]:
        assert f'<option value="{code}"' in content
        assert own_name in content.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "search", "lessons"),
    [("nn", "Søk", "Lærdomar"), ("sv", "Sök", "Lärdomar"), ("da", "Søg", "Erfaringer")],
)
def test_choosing_a_language_translates_the_page(
    client, code: str, search: str, lessons: str
) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert f'lang="{code}"' in content
    assert search in content
    assert lessons in content
    assert "Skip to content" not in content


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("nb", "7. desember 2026"),
        ("nn", "7. desember 2026"),
        ("sv", "7 december 2026"),
        ("da", "7. december 2026"),
    ],
)
def test_dates_follow_the_language(code: str, written: str) -> None:
    with translation.override(code):
        assert formats.date_format(datetime.date(2026, 12, 7), "DATE_FORMAT") == written
