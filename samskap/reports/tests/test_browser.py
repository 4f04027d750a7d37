"""In a real browser: the coordinator's dashboard, a filter, a figure followed to its rows, and
the PDF and Excel downloads (the PDF's first page rendered to PNG must not be blank)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from samskap.conftest import make_initiative
from samskap.registry.models import Sector

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) missing")
def test_dashboard_filter_rows_pdf_and_excel(page, live_server, world, tmp_path, settings) -> None:
    # The report is built by the background worker; here the task runs as soon as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for n in range(3):
        make_initiative(
            world.coordinator,
            world.home,
            f"Culture club {n}",
            sectors=Sector.objects.filter(code="culture"),
        )
    log_in(page, live_server, world.coordinator)
    page.goto(f"{live_server.url}/portefolje/")
    assert page.get_by_role("heading", name="Portfolio of Fjordvik").is_visible()
    assert page.locator("svg.chart[role=img]:visible").count() == 2  # phone copies hidden

    page.get_by_label("Sector", exact=True).select_option("culture")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**sector=culture**")
    idea_row = page.locator("section", has=page.get_by_role("heading", name="By stage")).locator(
        "tr", has_text="Idea"
    )
    assert idea_row.get_by_role("link").inner_text() == "3"
    idea_row.get_by_role("link").click()
    page.wait_for_url("**/mine/**")
    for n in range(3):
        assert page.get_by_role("link", name=f"Culture club {n}").first.is_visible()
    assert page.get_by_role("link", name="Dinner friends").count() == 0
    page.go_back()

    page.get_by_role("button", name="Download the portfolio report (PDF)").click()
    page.wait_for_url("**/rapporter/bygg/**")
    assert page.get_by_text("The report is ready.").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the portfolio report (PDF)").click()
    pdf = tmp_path / "portfolio.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    with Image.open(png) as image:
        dark = image.convert("L").histogram()[:128]
    dark = sum(dark)
    assert dark > 100

    page.get_by_role("link", name="Reports and data").click()
    with page.expect_download() as download_info:
        page.locator("li", has_text="Initiatives:").get_by_role("link", name="Excel").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    titles = {row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert {"Culture club 0", "Dinner friends", "Youth loft"} <= titles
