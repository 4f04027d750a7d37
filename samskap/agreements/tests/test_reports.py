"""The agreements sections of the PDF reports."""

import datetime
import shutil

import pytest
from django.utils import timezone

from samskap.reports.tests.test_reports import pdf_text

from .conftest import complete
from .test_services import send, sign

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"
)


def agreements_part(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    start = text.index("Agreements", text.index("Partnership health"))
    return text[start : text.index("Stories and lessons", start)]


def signed(aw):
    complete(aw, aw.agreement)
    version = send(aw)
    sign(aw, aw.partner, aw.partner_org, name="Pia Partner")
    sign(aw, aw.coordinator, aw.unit, name="Cora Coordinator")
    aw.agreement.refresh_from_db()
    version.refresh_from_db()
    return version


def test_the_initiative_report_lists_each_agreement_with_signatures_and_hash(aw, tmp_path):
    version = signed(aw)
    url = f"/initiativ/{aw.internal.slug}/rapport.pdf"
    text = agreements_part(aw.client(aw.partner).get(url), tmp_path)
    assert aw.agreement.title in text
    assert aw.agreement.get_type_display() in text and "In force" in text
    assert "Fjordvik health and care" in text and "Varme Hender" in text
    assert "1 (signed)" in text
    assert "Pia Partner" in text and "Cora Coordinator" in text
    assert version.content_hash[:20] in text.replace(" ", "")
    review = timezone.localdate() + datetime.timedelta(days=30)
    assert review.isoformat() in text


def test_a_draft_is_listed_as_not_signed(aw, tmp_path):
    url = f"/initiativ/{aw.internal.slug}/rapport.pdf"
    text = agreements_part(aw.client(aw.coordinator).get(url), tmp_path)
    assert aw.agreement.title in text and "Not signed yet." in text


def test_the_portfolio_report_shows_reviews_ahead_and_signings_of_the_period(aw, tmp_path):
    signed(aw)
    client = aw.client(aw.coordinator)
    today = timezone.localdate()
    text = agreements_part(
        client.get("/rapporter/portefolje.pdf", {"start": today - datetime.timedelta(days=1)}),
        tmp_path,
    )
    assert "Review" in text and aw.agreement.title in text
    signings = text[text.index("Agreements signed in the period") :]
    assert aw.agreement.title in signings and "Dinner friends" in signings
    text = agreements_part(
        client.get("/rapporter/portefolje.pdf", {"start": "2020-01-01", "end": "2020-12-31"}),
        tmp_path,
    )
    assert "No agreement was signed in the period." in text


def test_the_portfolio_section_costs_the_same_queries_for_more_agreements(
    aw, django_assert_max_num_queries
):
    from samskap.accounts.access import access_for
    from samskap.agreements.reports import portfolio_section
    from samskap.core.extensions import ReportPeriod
    from samskap.registry.models import Initiative

    from .conftest import make_agreement

    signed(aw)
    for _n in range(3):
        make_agreement(aw.world, aw.unit)
    access = access_for(aw.coordinator)
    with django_assert_max_num_queries(2):
        section = portfolio_section(access, Initiative.objects.all(), ReportPeriod())
    assert len(section["signed"]) == 1
