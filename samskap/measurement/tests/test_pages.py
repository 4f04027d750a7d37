"""Pages, permissions, the participant link flow over HTTP, panels and the API."""

import datetime
import re

from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import services, surveys
from samskap.measurement.models import Answer, ChainItem, IndicatorValue

from .conftest import answer_all


def _url(name, world, *args):
    return reverse(f"measurement:{name}", args=[world.internal.slug, *args])


def test_overview_shows_chain_and_indicators_to_insiders(world, setup) -> None:
    services.chain_item_add(
        access=access_for(world.coordinator),
        initiative=world.internal,
        level="outcome",
        text="Pressure to attend",
        intended=False,
        valence="negative",
    )
    for user in (world.coordinator, world.project_leader, world.partner, world.viewer):
        page = world.client(user).get(_url("overview", world))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Less lonely" in html and "Life satisfaction" in html
        assert "unintended" in html and "negative" in html


def test_outsiders_get_403_or_404(world, setup) -> None:
    assert world.client(world.other_coordinator).get(_url("overview", world)).status_code == 404
    assert world.client(world.other_partner).get(_url("overview", world)).status_code == 404
    results = _url("results", world, setup.survey.pk)
    assert world.client(world.other_coordinator).get(results).status_code == 404
    assert world.client(None).get(results).status_code == 302  # to the login page


def test_viewer_cannot_change_the_chain(world, setup) -> None:
    response = world.client(world.viewer).post(
        _url("chain_add", world),
        {"level": "input", "text": "Money", "intended": "yes", "valence": "positive"},
    )
    assert response.status_code == 403
    assert not ChainItem.objects.filter(text="Money").exists()


def test_partner_adds_to_the_chain(world, setup) -> None:
    response = world.client(world.partner).post(
        _url("chain_add", world),
        {"level": "input", "text": "Money", "intended": "yes", "valence": "positive"},
    )
    assert response.status_code == 302
    assert ChainItem.objects.filter(text="Money", level="input").exists()


def test_export_needs_steer_and_hides_codes(world, setup) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=6)
    for participant in people:
        surveys.paper_entry(
            access=access,
            time_point=setup.before,
            code=participant.code,
            answers=answer_all(setup.survey, 5, (1, 2, 3)),
        )
    url = _url("export", world, setup.survey.pk, "csv")
    assert world.client(world.partner).get(url).status_code == 403
    body = world.client(world.project_leader).get(url).content.decode()
    assert body.startswith("participant,time_point,item,question,value")
    assert len(body.strip().splitlines()) == 1 + 6 * 4
    assert not any(p.code in body for p in people)
    xlsx = world.client(world.project_leader).get(_url("export", world, setup.survey.pk, "xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_refused_below_threshold(world, setup) -> None:
    access = access_for(world.coordinator)
    participant = surveys.participants_create(access=access, initiative=world.internal, count=1)[0]
    surveys.paper_entry(
        access=access,
        time_point=setup.before,
        code=participant.code,
        answers=answer_all(setup.survey, 5, (1, 2, 3)),
    )
    response = world.client(world.project_leader).get(_url("export", world, setup.survey.pk, "csv"))
    assert response.status_code == 302


def test_participant_link_flow_over_http(world, setup) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    page = world.client(world.partner).post(
        _url("links_issue", world, setup.survey.pk, setup.before.pk)
    )
    assert page.status_code == 200
    # Each link stands in a copy field (the page's only readonly inputs).
    link = re.search(r'<input id="link-1"[^>]*readonly value="([^"]+)"', page.content.decode())[1]
    # Making links again would break the one just given out: a page asks first.
    again = _url("links_issue", world, setup.survey.pk, setup.before.pk)
    asked = world.client(world.partner).post(again).content.decode()
    assert "1 participant already has a link for" in asked and "Yes, make new links" in asked
    path = link.replace("http://testserver", "")
    anonymous = world.client(None)
    anonymous.handler.enforce_csrf_checks = True
    first = anonymous.get(path)
    assert "Why we ask" in first.content.decode() and "To learn whether" in first.content.decode()
    token = (
        first.cookies["csrftoken"].value
        if "csrftoken" in first.cookies
        else anonymous.cookies["csrftoken"].value
    )
    assert anonymous.post(path, {"consent": "yes"}).status_code == 403  # CSRF is enforced
    anonymous.post(path, {"consent": "yes", "csrfmiddlewaretoken": token})
    fields = {f"q-{k[0]}-{k[1]}": v for k, v in answer_all(setup.survey, 7, (1, 1, 2)).items()}
    anonymous.post(path, {**fields, "send": "1", "csrfmiddlewaretoken": token})
    assert Answer.objects.count() == 4
    again = anonymous.post(
        path, {**dict.fromkeys(fields, 0), "send": "1", "csrfmiddlewaretoken": token}
    )
    assert "already sent" in again.content.decode()
    assert sorted(Answer.objects.values_list("value", flat=True)) == [1, 1, 2, 7]
    anonymous.post(path + "trekk/", {"confirm": "yes", "csrfmiddlewaretoken": token})
    assert Answer.objects.count() == 0
    assert anonymous.get(path).status_code == 404


def test_results_page_shows_summary_and_chart(world, setup) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=12)
    for n, participant in enumerate(people):
        for point, life in ((setup.before, 4 + n % 3), (setup.after, 6 + n % 2)):
            surveys.paper_entry(
                access=access,
                time_point=point,
                code=participant.code,
                answers=answer_all(setup.survey, life, (2, 2, 2)),
            )
    html = world.client(world.viewer).get(_url("results", world, setup.survey.pk)).content.decode()
    assert "among 12 participants who answered both times" in html
    assert "95 % CI" in html and 'role="img"' in html


def test_initiative_panel_and_portfolio_panel(world, setup, django_assert_max_num_queries) -> None:
    access = access_for(world.coordinator)
    period = services.period_add(
        access=access,
        indicator=setup.life,
        label="2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
    )
    for kind, number in (("baseline", 5), ("target", 7), ("actual", 6)):
        services.value_save(access=access, period=period, kind=kind, value=number)
    page = world.client(world.coordinator).get(world.internal.get_absolute_url())
    assert "1 behind" in page.content.decode()
    outsider = world.client(world.other_partner).get(world.public.get_absolute_url())
    assert "Effect measurement" not in outsider.content.decode()
    from samskap.measurement.apps import MeasurementConfig
    from samskap.registry.models import Initiative

    config = MeasurementConfig.create("samskap.measurement")
    with django_assert_max_num_queries(3):
        panel = config.portfolio_panel(None, access, Initiative.objects.all())
    assert len(panel["behind_target"]) == 1


def test_api_reads_and_writes_values_with_page_permissions(world, setup) -> None:
    services.period_add(
        access=access_for(world.coordinator),
        indicator=setup.life,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    url = f"/api/v1/measurement/initiatives/{world.internal.slug}/indicators"
    write = f"{url}/{setup.life.code}/values"
    partner = world.client(world.partner)
    created = partner.post(
        write, {"period": "2025", "kind": "actual", "value": "6.5"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert IndicatorValue.objects.get().reported_by == world.partner
    bad = partner.post(
        write, {"period": "2025", "kind": "actual", "value": "42"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "value" in bad.json()["detail"]
    viewer = world.client(world.viewer)
    assert (
        viewer.post(
            write,
            {"period": "2025", "kind": "actual", "value": "5"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert world.client(world.other_coordinator).get(url).status_code == 404
    assert world.client(None).get(url).status_code == 401
    listed = viewer.get(url).json()
    assert listed[0]["values"][0]["value"] in ("6.5", "6.5000", 6.5)
    results = viewer.get(
        f"/api/v1/measurement/initiatives/{world.internal.slug}/surveys/{setup.survey.pk}/results"
    ).json()
    assert results["results"][0]["paired"]["suppressed"] is True


def test_portfolio_status_matches_the_indicator_table(world, setup) -> None:
    """The portfolio status (latest period, progress) agrees with ``indicator_table`` and
    ``progress`` for: a later period without a baseline, target equal to baseline, a period
    not started yet, whole and fractional values, lower-is-better, and no values."""
    from decimal import Decimal as D

    import pytest
    from django.utils import timezone

    from samskap.measurement import queries
    from samskap.measurement.models import Indicator
    from samskap.registry.models import Initiative

    access = access_for(world.coordinator)
    today = timezone.localdate()
    cases = {
        "behind, whole numbers": [("2023", {"baseline": 10, "target": 20, "actual": 15})],
        "reached": [("2023", {"baseline": 1, "target": 3, "actual": 3})],
        "fractional": [("2023", {"baseline": D("0.5"), "target": D("2.25"), "actual": D("1.1")})],
        "latest lacks baseline": [
            ("2022", {"baseline": 10, "target": 20, "actual": 30}),
            ("2023", {"target": 20, "actual": 12}),
        ],
        "target equals baseline": [("2023", {"baseline": 5, "target": 5, "actual": 6})],
        "future period ignored": [
            ("2023", {"baseline": 0, "target": 10, "actual": 2}),
            ("next", {"baseline": 0, "target": 10, "actual": 10}),
        ],
        "lower is better": [("2023", {"baseline": 30, "target": 10, "actual": 25})],
        "no values": [("2023", {})],
    }
    for name, periods in cases.items():
        indicator = services.indicator_create(
            access=access,
            initiative=world.internal,
            chain_item=setup.outcome,
            name=name,
            definition="-",
            unit="number",
        )
        for label, values in periods:
            if label == "next":
                start = today + datetime.timedelta(days=30)
            else:
                start = datetime.date(int(label), 1, 1)
            period = services.period_add(
                access=access,
                indicator=indicator,
                label=label,
                start=start,
                end=start + datetime.timedelta(days=300),
            )
            for kind, number in values.items():
                services.value_save(access=access, period=period, kind=kind, value=number)
    status = queries.portfolio_indicator_status(Initiative.objects.all(), today)
    # The reference, in Python: each indicator's latest started period with a total value.
    latest = {}
    for row in queries.indicator_table(list(Indicator.objects.all())):
        has_total = any(row[k] is not None for k in ("baseline", "target", "actual"))
        if row["period"].start <= today and has_total:
            latest[row["indicator"].pk] = row
    shares = [row["progress"] for row in latest.values() if row["progress"] is not None]
    assert status["indicators"] == Indicator.objects.count()
    assert status["on_target_count"] == sum(share >= 1 for share in shares) == 1
    assert status["behind_count"] == sum(share < 1 for share in shares)
    behind = sorted(
        (row["progress"], row["indicator"].pk, row["period"].label)
        for row in latest.values()
        if row["progress"] is not None and row["progress"] < 1
    )
    found = [(r["progress"], r["indicator"].pk, r["period"].label) for r in status["behind_target"]]
    assert [(pytest.approx(p), i, label) for p, i, label in behind] == found
    assert {r["indicator"].name for r in status["behind_target"]} == {
        "behind, whole numbers",
        "fractional",
        "future period ignored",
        "lower is better",
    }
    # The compiled statement is kept per day: a month later the next period has started and
    # reached its target.
    later = queries.portfolio_indicator_status(
        Initiative.objects.all(), today + datetime.timedelta(days=31)
    )
    assert later["on_target_count"] == 2
    assert "future period ignored" not in {r["indicator"].name for r in later["behind_target"]}
