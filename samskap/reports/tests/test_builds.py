"""Portfolio reports built by the background worker: asked for on the page, progress shown,
downloaded by the person who asked and by nobody else."""

import datetime

from django.utils import timezone

from samskap.conftest import World
from samskap.reports import builds
from samskap.reports.models import BuildStatus, ReportBuild


def _ask(world: World, **fields) -> tuple:
    client = world.client(world.coordinator)
    response = client.post("/rapporter/bygg/", {"stage": "", **fields})
    return client, response


def test_the_worker_builds_the_report_the_person_asked_for(world: World) -> None:
    client, response = _ask(world, start="2020-01-01")
    build = ReportBuild.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rapporter/bygg/{build.pk}/"
    assert build.query == {"start": "2020-01-01"} and build.status == BuildStatus.QUEUED
    waiting = client.get(f"/rapporter/bygg/{build.pk}/")
    assert b'hx-trigger="every 2s"' in waiting.content and b"<progress" in waiting.content
    # Not yet built: nothing to download.
    assert client.get(f"/rapporter/bygg/{build.pk}/rapport.pdf").status_code == 404

    assert builds.run(build.pk) == "done"
    assert builds.run(build.pk) == "not queued"  # a second worker leaves it alone
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE and build.progress == 100
    ready = client.get(f"/rapporter/bygg/{build.pk}/", HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in ready.content and b"rapport.pdf" in ready.content
    assert b"<html" not in ready.content  # htmx gets the status alone
    pdf = client.get(f"/rapporter/bygg/{build.pk}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "portefolje-fjordvik" in pdf["Content-Disposition"]


def test_a_build_is_its_owners_alone(world: World) -> None:
    _ask(world)
    build = ReportBuild.objects.get()
    builds.run(build.pk)
    for persona in ("other_coordinator", "viewer", "partner"):
        client = world.client(getattr(world, persona))
        assert client.get(f"/rapporter/bygg/{build.pk}/").status_code == 404
        assert client.get(f"/rapporter/bygg/{build.pk}/rapport.pdf").status_code == 404


def test_only_coordinators_ask_and_a_bad_period_is_refused(world: World) -> None:
    viewer = world.client(world.viewer)
    assert viewer.post("/rapporter/bygg/", {}).status_code == 403
    assert world.client(world.coordinator).get("/rapporter/bygg/").status_code == 405
    _client, response = _ask(world, start="2025-05-01", end="2025-01-01")
    assert response.status_code == 400 and not ReportBuild.objects.exists()


def test_without_a_worker_the_page_offers_the_direct_download(world: World) -> None:
    client, _response = _ask(world, stage="pilot")
    build = ReportBuild.objects.get()
    ReportBuild.objects.filter(pk=build.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(f"/rapporter/bygg/{build.pk}/").content.decode()
    assert "/rapporter/portefolje.pdf?stage=pilot" in page


def test_old_builds_are_cleaned_up(world: World) -> None:
    _ask(world)
    ReportBuild.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert builds.clean_up(timezone.localdate()) == "1 old report builds deleted"
    assert not ReportBuild.objects.exists()
