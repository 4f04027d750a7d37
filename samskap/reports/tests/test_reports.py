"""Exports, imports, open data and PDF reports."""

import csv
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from samskap.accounts.models import Organisation
from samskap.conftest import World, make_initiative
from samskap.registry.models import Initiative, Participation

PERSONAS = ["coordinator", "viewer", "partner", "other_partner", "other_coordinator"]


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_open_data_holds_public_initiatives_only(world: World, client) -> None:
    json_data = client.get("/apne-data/initiativ.json").json()
    assert [row["slug"] for row in json_data["initiatives"]] == [world.public.slug]
    assert "nlod" in json_data["licence"]
    assert "contact_email" not in json_data["initiatives"][0]
    rows = csv_rows(client.get("/apne-data/initiativ.csv"))
    assert [row["slug"] for row in rows] == [world.public.slug]
    assert client.get("/apne-data/initiativ.xml").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_hold_exactly_what_the_pages_show(world: World, persona) -> None:
    client = world.client(getattr(world, persona))
    exported = {row["slug"] for row in csv_rows(client.get("/rapporter/eksport/initiativ.csv"))}
    for initiative in (world.internal, world.public, world.foreign_internal):
        visible = client.get(initiative.get_absolute_url()).status_code == 200
        assert (initiative.slug in exported) == visible, initiative.slug
    partners = csv_rows(client.get("/rapporter/eksport/partnere.csv"))
    assert {row["initiative"] for row in partners} <= exported


def test_excel_export_and_formula_injection(world: World) -> None:
    Initiative.objects.filter(pk=world.public.pk).update(title='=HYPERLINK("http://x")')
    response = world.client(world.coordinator).get("/rapporter/eksport/initiativ.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert rows[0][0].value == "slug"
    cells = {row[1].value: row[1].data_type for row in rows[1:]}
    # Stored as text ("s"), never as a formula ("f"): shown as typed and never run.
    assert cells['=HYPERLINK("http://x")'] == "s"


def test_exports_need_login(client) -> None:
    assert client.get("/rapporter/eksport/initiativ.csv").status_code == 302


def upload(text: str, name: str = "import.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


GOOD = (
    "title;need;target_group;sectors;visibility\n"
    "Walking group;Loneliness;Older people;elderly_care,health;public\n"
    "Homework café;School drop-out;Pupils 13-16;education;\n"
)


def test_import_initiatives_stores_all_rows(world: World) -> None:
    before = Initiative.objects.count()
    response = world.client(world.coordinator).post(
        "/rapporter/import/initiativ/", {"file": upload(GOOD), "municipality": world.home.pk}
    )
    assert response.status_code == 200
    assert response.context["report"].stored == 2
    assert Initiative.objects.count() == before + 2
    walking = Initiative.objects.get(title="Walking group")
    assert walking.municipality == world.home and walking.stage == "idea"
    assert set(walking.sectors.values_list("code", flat=True)) == {"elderly_care", "health"}


def test_a_file_with_any_bad_row_stores_nothing_and_says_where(world: World) -> None:
    bad = GOOD + ";No title;Someone;gardening;public\nFine;Need;Group;health;sometimes\n"
    before = Initiative.objects.count()
    response = world.client(world.coordinator).post(
        "/rapporter/import/initiativ/", {"file": upload(bad), "municipality": world.home.pk}
    )
    assert response.status_code == 400
    problems = response.context["report"].problems
    assert (4, "sectors") in {(line, column) for line, column, _m in problems}
    assert (5, "visibility") in {(line, column) for line, column, _m in problems}
    assert Initiative.objects.count() == before
    assert "Nothing was stored" in response.content.decode()


def test_missing_columns_and_unreadable_files(world: World) -> None:
    client = world.client(world.coordinator)
    response = client.post("/rapporter/import/initiativ/", {"file": upload("title\nX\n")})
    assert {c for _l, c, _m in response.context["report"].problems} == {
        "need",
        "target_group",
        "sectors",
    }
    response = client.post("/rapporter/import/initiativ/", {"file": upload("x", "data.pdf")})
    assert "file" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["viewer", "partner", "project_leader"])
def test_imports_are_for_coordinators(world: World, persona) -> None:
    response = world.client(getattr(world, persona)).post(
        "/rapporter/import/initiativ/", {"file": upload(GOOD)}
    )
    assert response.status_code == 403


def test_a_coordinator_cannot_import_into_another_municipality(world: World) -> None:
    response = world.client(world.coordinator).post(
        "/rapporter/import/initiativ/", {"file": upload(GOOD), "municipality": world.other.pk}
    )
    assert "municipality" in response.context["form"].errors
    assert not Initiative.objects.filter(title="Walking group").exists()


def test_import_partners(world: World) -> None:
    text = (
        "organisation_name,kind,org_number,initiative,role\n"
        f"New Help AS,social_enterprise,,{world.internal.slug},operator\n"
        "Varme Hender,social_enterprise,,,\n"
    )
    response = world.client(world.coordinator).post(
        "/rapporter/import/partnere/", {"file": upload(text)}
    )
    assert response.context["report"].ok, response.context["report"].problems
    new = Organisation.objects.get(name="New Help AS")
    assert Participation.objects.filter(organisation=new, initiative=world.internal).exists()
    assert Organisation.objects.filter(name="Varme Hender").count() == 1


def test_bad_partner_rows_store_nothing(world: World) -> None:
    text = (
        "organisation_name,kind,org_number,initiative,role\n"
        f"New Help AS,social_enterprise,,{world.internal.slug},operator\n"
        "Odd Org,alien,,,\n"
        f"Other Org,business,,{world.foreign_internal.slug},operator\n"
        "Bad Number AS,business,123456789,,\n"
    )
    response = world.client(world.coordinator).post(
        "/rapporter/import/partnere/", {"file": upload(text)}
    )
    problems = {(line, column) for line, column, _m in response.context["report"].problems}
    assert problems == {(3, "kind"), (4, "initiative"), (5, "org_number")}
    assert not Organisation.objects.filter(name="New Help AS").exists()


def pdf_first_page_png(pdf: bytes, tmp_path) -> bytes:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    return next(tmp_path.glob("page*.png")).read_bytes()


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_first_page_lines(pdf: bytes, tmp_path) -> list[str]:
    """The first page as laid out (a table row on one line), each line's spaces collapsed."""
    path = tmp_path / "first.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_initiative_report_pdf(world: World, tmp_path) -> None:
    response = world.client(world.partner).get(f"/initiativ/{world.internal.slug}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Dinner friends" in text and "Eating alone every day" in text and "Varme Hender" in text
    assert len(pdf_first_page_png(response.content, tmp_path)) > 1000


@pytest.mark.parametrize(
    ("persona", "status"), [("other_partner", 403), ("other_coordinator", 403)]
)
def test_the_report_of_a_public_initiative_is_for_insiders(world: World, persona, status) -> None:
    url = f"/initiativ/{world.public.slug}/rapport.pdf"
    assert world.client(getattr(world, persona)).get(url).status_code == status


def test_the_report_of_a_hidden_initiative_is_not_found(world: World) -> None:
    url = f"/initiativ/{world.internal.slug}/rapport.pdf"
    assert world.client(world.other_coordinator).get(url).status_code == 404


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_portfolio_report_pdf_follows_the_filters(world: World, tmp_path) -> None:
    client = world.client(world.coordinator)
    text = pdf_text(client.get("/rapporter/portefolje.pdf").content, tmp_path)
    assert "2 initiatives" in text
    text = pdf_text(
        client.get("/rapporter/portefolje.pdf", {"sector": "children_youth"}).content, tmp_path
    )
    assert "1 initiative made" in text
    assert world.client(world.viewer).get("/rapporter/portefolje.pdf").status_code == 403


def test_the_portfolio_costs_the_same_queries_at_any_size(world: World) -> None:
    client = world.client(world.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portefolje/").status_code == 200
        return len(captured)

    small = queries()
    for n in range(15):
        make_initiative(world.coordinator, world.home, f"Extra {n}")
    assert queries() == small


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_portfolio_report_covers_its_period(world: World, tmp_path) -> None:
    from datetime import datetime

    from django.utils import timezone

    from samskap.registry.models import StageChange, Story

    def move(day: str, note: str) -> None:
        when = timezone.make_aware(datetime.fromisoformat(day + "T12:00"))
        StageChange.objects.create(
            municipality=world.home,
            initiative=world.internal,
            to_stage="exploration",
            changed_at=when,
            decision_body=note,
            decision_case_number="1",
        )

    move("2020-05-01", "Council of 2020")
    move("2024-05-01", "Council of 2024")
    for day in ("2020-06-01", "2024-06-01"):
        Story.objects.create(
            municipality=world.home,
            initiative=world.internal,
            title=f"Story of {day[:4]}",
            text="What happened.",
            kind="success",
            date=day,
        )
    client = world.client(world.coordinator)
    response = client.get("/rapporter/portefolje.pdf", {"start": "2020-01-01", "end": "2020-12-31"})
    text = pdf_text(response.content, tmp_path)
    assert "Council of 2020" in text and "Story of 2020" in text
    assert "Council of 2024" not in text and "Story of 2024" not in text
    assert "2020-01-01 – 2020-12-31" in text or "1.1.2020" in text or "Jan. 1, 2020" in text

    everything = pdf_text(client.get("/rapporter/portefolje.pdf").content, tmp_path)
    assert "Council of 2024" in everything and "Council of 2020" in everything


def test_a_backwards_report_period_is_refused_with_the_field_named(world: World) -> None:
    response = world.client(world.coordinator).get(
        "/rapporter/portefolje.pdf", {"start": "2021-01-01", "end": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.content.decode()
    response = world.client(world.coordinator).get("/rapporter/portefolje.pdf", {"start": "soon"})
    assert response.status_code == 400
    assert "From" in response.content.decode()


def test_report_sections_come_in_the_report_order(world: World, rf) -> None:
    from samskap.core.extensions import REPORT_ORDER, ReportPeriod, portfolio_report_sections

    request = rf.get("/")
    request.user = world.coordinator
    from samskap.accounts.access import access_for

    access = access_for(world.coordinator)
    labels = [
        s.app_label
        for s in portfolio_report_sections(
            request, access, Initiative.objects.all(), ReportPeriod()
        )
    ]
    ranked = [label for label in labels if label in REPORT_ORDER]
    assert ranked == sorted(ranked, key=REPORT_ORDER.index)
    assert len(ranked) >= 3


@pytest.mark.parametrize("what", ["initiativ", "partnere"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_templates_read_back_in_the_readers_language(world: World, what, fmt) -> None:
    """Each reports import has a template (CSV and Excel) with the reader's headers and an
    example row; filled in and sent back, it imports (headers in Norwegian are understood)."""
    from samskap.reports.exchange import IMPORT_COLUMNS

    client = world.client(world.coordinator)
    url = reverse("reports:import_template", args=[what, fmt])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert f'filename="mal-{what}.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        header = text.splitlines()[0].split(",")
    else:
        book = load_workbook(io.BytesIO(response.content))
        header = [cell.value for cell in book["data"][1]]
        explained = [row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
        assert explained == [column.name for column in IMPORT_COLUMNS[what]()]
    with translation.override("nb"):
        expected = [column.header for column in IMPORT_COLUMNS[what]()]
    assert header == expected
    assert ("Tittel" in header) if what == "initiativ" else ("Organisasjon" in header)
    page = client.get(reverse("reports:import", args=[what]), HTTP_ACCEPT_LANGUAGE="nb")
    assert url in page.content.decode()
    sent = SimpleUploadedFile(f"mal.{fmt}", response.content)
    result = client.post(
        reverse("reports:import", args=[what]), {"file": sent, "municipality": world.home.pk}
    )
    assert result.context["report"].ok, result.context["report"].problems
    assert result.context["report"].stored == 1


def test_import_templates_are_for_coordinators(world: World) -> None:
    url = reverse("reports:import_template", args=["initiativ", "xlsx"])
    assert world.client(world.viewer).get(url).status_code == 403
    assert world.client(world.coordinator).get(url.replace("xlsx", "pdf")).status_code == 404
