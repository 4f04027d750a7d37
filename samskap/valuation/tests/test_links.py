"""Measured effect feeds value (issue 17): an outcome's number linked to an indicator's approved
value or a survey's paired result, followed when the measurement changes, shown with its
source, flagged when changed since review, and never fed by a suppressed figure."""

import datetime
import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.measurement import imports, surveys
from samskap.measurement import services as measurement
from samskap.measurement.models import LibraryIndicator
from samskap.valuation import links, selectors, services
from samskap.valuation.models import MeasurementLink, ValueMap
from samskap.valuation.valuemap import parse

D = Decimal
MAP = {
    "title": "Dinner value",
    "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
    "outcomes": [
        {
            "stakeholder": "Participants",
            "outcome": "Eat with others",
            "quantity": 3,
            "proxy": 100,
            "proxy_source": "SSB",
            "deadweight": 0.2,
            "attribution": 0.2,
        }
    ],
}


@pytest.fixture(autouse=True)
def _one_approver(world) -> None:
    Municipality.objects.update(four_eyes_approval=False)  # about links, not review


def _map(world) -> ValueMap:
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(MAP)
    )


def _period_with_value(world, number: int, approve: bool = True):
    access = access_for(world.coordinator)
    item = measurement.chain_item_add(
        access=access, initiative=world.internal, level="output", text="Reach"
    )
    indicator = measurement.indicator_adopt(
        access=access,
        initiative=world.internal,
        library=LibraryIndicator.objects.get(code="participants-reached"),
        chain_item=item,
    )
    period = measurement.period_add(
        access=access,
        indicator=indicator,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    value = measurement.value_save(access=access, period=period, kind="actual", value=D(number))
    measurement.value_submit(access=access, value=value)
    if approve:
        measurement.value_approve(access=access, value=value)
    return period, value


def _link(world, value_map, **kwargs):
    value_map.refresh_from_db()
    return services.link_set(
        access=access_for(world.coordinator),
        value_map=value_map,
        expected_version=value_map.version,
        outcome=value_map.outcomes.get(),
        **kwargs,
    )


def _pv(value_map) -> float:
    value_map.refresh_from_db()
    return selectors.compute(value_map, draws=50).present_value


def _headline(value_map) -> float:
    value_map.refresh_from_db()
    return value_map.summary["present_value"]


def test_an_approved_indicator_value_becomes_the_quantity_and_is_followed(
    world, django_capture_on_commit_callbacks
) -> None:
    value_map = _map(world)
    unlinked = _pv(value_map)
    period, value = _period_with_value(world, 30)
    _link(world, value_map, kind="indicator", period=period)
    assert _pv(value_map) == pytest.approx(unlinked * 10)  # 30 instead of 3
    assert _headline(value_map) == pytest.approx(unlinked * 10)
    # The source changes and is approved again: the map follows, headline included.
    access = access_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        value = measurement.value_save(access=access, period=period, kind="actual", value=D(60))
    # No approved figure while the new one waits: not used, and the headline says so at once.
    assert _pv(value_map) == 0
    assert _headline(value_map) == 0
    measurement.value_submit(access=access, value=value)
    with django_capture_on_commit_callbacks(execute=True):
        measurement.value_approve(access=access, value=value)
    assert _pv(value_map) == pytest.approx(unlinked * 20)
    assert _headline(value_map) == pytest.approx(unlinked * 20)


def test_the_headline_waits_for_the_commit(world, django_capture_on_commit_callbacks) -> None:
    """The refresh runs after the transaction commits, never for a rolled-back one."""
    value_map = _map(world)
    unlinked = _pv(value_map)
    period, value = _period_with_value(world, 30)
    _link(world, value_map, kind="indicator", period=period)
    access = access_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        measurement.value_save(access=access, period=period, kind="actual", value=D(60))
    assert callbacks and _headline(value_map) == pytest.approx(unlinked * 10)


def test_the_results_page_shows_the_source_and_flags_a_change_since_review(world) -> None:
    value_map = _map(world)
    period, _value = _period_with_value(world, 30)
    _link(world, value_map, kind="indicator", period=period)
    client = world.client(world.coordinator)
    url = reverse("valuation:results", args=[world.internal.slug])
    html = " ".join(client.get(url).content.decode().split())
    assert "Indicator “Participants reached”, period 2025, approved by" in html
    assert "Changed since the map was last reviewed" in html
    client.post(reverse("valuation:links_reviewed", args=[world.internal.slug]))
    html = " ".join(client.get(url).content.decode().split())
    assert "Changed since the map was last reviewed" not in html and "Reviewed " in html
    access = access_for(world.coordinator)
    value = measurement.value_save(access=access, period=period, kind="actual", value=D(31))
    measurement.value_submit(access=access, value=value)
    measurement.value_approve(access=access, value=value)
    html = " ".join(client.get(url).content.decode().split())
    assert "Changed since the map was last reviewed" in html


def test_only_editors_mark_links_reviewed(world) -> None:
    _map(world)
    url = reverse("valuation:links_reviewed", args=[world.internal.slug])
    assert world.client(world.viewer).post(url).status_code == 403
    assert world.client(world.other_coordinator).post(url).status_code in (403, 404)
    assert world.client(world.coordinator).get(url).status_code == 405


def test_a_link_must_point_into_the_same_initiative(world) -> None:
    value_map = _map(world)
    access = access_for(world.other_coordinator)
    item = measurement.chain_item_add(
        access=access, initiative=world.foreign_internal, level="output", text="Reach"
    )
    indicator = measurement.indicator_adopt(
        access=access,
        initiative=world.foreign_internal,
        library=LibraryIndicator.objects.get(code="participants-reached"),
        chain_item=item,
    )
    foreign = measurement.period_add(
        access=access,
        indicator=indicator,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        _link(world, value_map, kind="indicator", period=foreign)
    assert "period" in error.value.message_dict


def _survey_with_pairs(world, pairs: int, same: int = 5):
    """A survey of life satisfaction (0–10, one question) with ``pairs`` participants answering
    before (4) and after (7 for most, 4 for ``same`` of them)."""
    access = access_for(world.coordinator)
    library = LibraryIndicator.objects.get(code="life-satisfaction")
    survey = surveys.survey_create(
        access=access,
        initiative=world.internal,
        title="Dinner survey",
        purpose="Learn",
        consent_text="Yes",
        items=[library],
    )
    surveys.time_point_add(
        access=access, survey=survey, kind="before", opens_on=datetime.date(2025, 1, 1)
    )
    surveys.time_point_add(
        access=access, survey=survey, kind="after", opens_on=datetime.date(2025, 6, 1)
    )
    item = survey.survey_items.get()
    if pairs:
        _answer_pairs(world, item, [(4, 4)] * same + [(4, 7)] * (pairs - same))
    return item


def _answer_pairs(world, item, answers: list[tuple[int, int]]) -> None:
    """New participants answering (before, after) on paper, one pair each."""
    access = access_for(world.coordinator)
    points = {point.kind: point for point in item.survey.time_points.all()}
    people = surveys.participants_create(
        access=access, initiative=world.internal, count=len(answers)
    )
    for person, (first, second) in zip(people, answers, strict=True):
        for kind, value in (("before", first), ("after", second)):
            surveys.paper_entry(
                access=access,
                time_point=points[kind],
                code=person.code,
                answers={(item.pk, 1): value},
            )


def test_the_number_who_improved_feeds_the_quantity(world) -> None:
    value_map = _map(world)
    unlinked = _pv(value_map)
    item = _survey_with_pairs(world, 15)
    _link(world, value_map, kind="improved", survey_item=item)
    (found,) = links.resolved_for(value_map).values()
    assert (found.value, found.source["n"], found.suppressed) == (D(10), 15, False)
    assert _pv(value_map) == pytest.approx(unlinked * 10 / 3)


def test_a_suppressed_result_never_feeds_the_value(world) -> None:
    value_map = _map(world)
    item = _survey_with_pairs(world, 6)  # shares are withheld under 10 pairs
    _link(world, value_map, kind="improved", survey_item=item)
    (found,) = links.resolved_for(value_map).values()
    assert found.suppressed and found.value is None
    assert _pv(value_map) == 0  # the stored quantity 3 is not used either
    html = world.client(world.coordinator).get(
        reverse("valuation:results", args=[world.internal.slug])
    )
    assert "Suppressed: too few people to show" in html.content.decode()


def test_new_survey_answers_refresh_the_headline_once_per_transaction(
    world, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    value_map = _map(world)
    unlinked = _pv(value_map)
    item = _survey_with_pairs(world, 15)  # 10 improved
    _link(world, value_map, kind="improved", survey_item=item)
    assert _headline(value_map) == pytest.approx(unlinked * 10 / 3)
    computed = []
    real = selectors.summary_of
    monkeypatch.setattr(selectors, "summary_of", lambda m: computed.append(m.pk) or real(m))
    # Five more pairs who improved, ten paper forms in one transaction: one recomputation.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _answer_pairs(world, item, [(3, 8)] * 5)
        assert _headline(value_map) == pytest.approx(unlinked * 10 / 3)  # not before the commit
    assert computed == [value_map.pk]
    assert _headline(value_map) == pytest.approx(unlinked * 15 / 3)


def test_a_withdrawal_and_an_import_refresh_the_headline(
    world, django_capture_on_commit_callbacks
) -> None:
    value_map = _map(world)
    unlinked = _pv(value_map)
    item = _survey_with_pairs(world, 15)  # 10 improved
    _link(world, value_map, kind="improved", survey_item=item)
    access = access_for(world.coordinator)
    improved = item.survey.initiative.participants.order_by("-pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        surveys.staff_withdraw(access=access, participant=improved)
    assert _headline(value_map) == pytest.approx(unlinked * 9 / 3)
    # Two more pairs who improved, from a file.
    people = surveys.participants_create(access=access, initiative=world.internal, count=2)
    rows = ["code,time_point,item,question,value"]
    code = item.library.code
    for person in people:
        rows += [f"{person.code},before,{code},1,2", f"{person.code},after,{code},1,9"]
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_answers(
            access=access,
            survey=item.survey,
            source=SimpleUploadedFile("answers.csv", "\n".join(rows).encode()),
        )
    assert report.ok, report.errors
    assert _headline(value_map) == pytest.approx(unlinked * 11 / 3)


WELLBEING_MAP = {
    "title": "Wellbeing value",
    "wellbeing": {"value_per_point": 1000, "source": "Test value"},
    "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
    "outcomes": [
        {
            "stakeholder": "Participants",
            "outcome": "Feel better",
            "quantity": 10,
            "life_satisfaction": 0.5,
            "duration": 1,
        }
    ],
}


def _wellbeing_map(world) -> ValueMap:
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(WELLBEING_MAP)
    )


def test_the_mean_change_becomes_the_life_satisfaction_change(world) -> None:
    """The paired mean (not the median, the number improved, or the unpaired answers) of the
    survey's life satisfaction is the outcome's change per person, valued per point."""
    value_map = _wellbeing_map(world)
    # 10 people × 0.5 points × 1,000 a point, year 1 undiscounted, nothing deducted.
    assert _pv(value_map) == pytest.approx(5000)
    item = _survey_with_pairs(world, 0, same=0)
    # Changes 0 (×5), +1 (×4), +3 (×6): mean 22/15 ≈ 1.4667, median 1, 10 improved.
    _answer_pairs(world, item, [(5, 5)] * 5 + [(5, 6)] * 4 + [(4, 7)] * 6)
    # Answers at one time point only are not pairs and change nothing.
    access = access_for(world.coordinator)
    (alone,) = surveys.participants_create(access=access, initiative=world.internal, count=1)
    before = item.survey.time_points.get(kind="before")
    surveys.paper_entry(
        access=access, time_point=before, code=alone.code, answers={(item.pk, 1): 0}
    )
    _link(world, value_map, kind="mean_change", survey_item=item)
    (found,) = links.resolved_for(value_map).values()
    assert found.usable and found.source["n"] == 15
    assert found.value == D("1.466667")
    (outcome,) = selectors.to_data(value_map)["outcomes"]
    assert outcome["life_satisfaction"] == pytest.approx(22 / 15, abs=1e-6)
    assert outcome["quantity"] == 10  # the quantity stays the map's own
    assert _pv(value_map) == pytest.approx(10 * 22 / 15 * 1000, abs=0.01)


def test_a_withheld_mean_change_leaves_the_outcome_unvalued(world) -> None:
    value_map = _wellbeing_map(world)
    item = _survey_with_pairs(world, 4, same=0)  # under the threshold of 5
    _link(world, value_map, kind="mean_change", survey_item=item)
    (found,) = links.resolved_for(value_map).values()
    assert found.suppressed and found.value is None
    assert _pv(value_map) == 0  # the stored 0.5 points are not used either
    result = selectors.compute(value_map, draws=50)
    assert [o["outcome"] for o in result.unvalued_outcomes] == ["Feel better"]


def _pdf_text(response, tmp_path) -> str:
    import subprocess

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_the_pdfs_name_where_each_linked_number_comes_from(world, tmp_path) -> None:
    value_map = _wellbeing_map(world)
    access = access_for(world.coordinator)
    period, _value = _period_with_value(world, 30)
    item = _survey_with_pairs(world, 15)
    _link(world, value_map, kind="mean_change", survey_item=item)
    value_map.refresh_from_db()
    eat = services.outcome_save(
        access=access,
        value_map=value_map,
        expected_version=value_map.version,
        stakeholder="Participants",
        outcome="Eat with others",
        quantity=D(3),
        proxy_value=D(100),
        proxy_source="SSB",
    )
    value_map.refresh_from_db()
    services.link_set(
        access=access,
        value_map=value_map,
        expected_version=value_map.version,
        outcome=eat,
        kind="indicator",
        period=period,
    )
    approver = str(world.coordinator)
    client = world.client(world.coordinator)
    exported = _pdf_text(
        client.get(reverse("valuation:export_pdf", args=[world.internal.slug])), tmp_path
    )
    report = _pdf_text(client.get(f"/initiativ/{world.internal.slug}/rapport.pdf"), tmp_path)
    for text in (exported, report):
        # Each outcome's row: where its number comes from, the number used, its status.
        found = text[text.index("Numbers taken from measurements") :]
        feel = found[found.index("Feel better (Participants)") : found.index("Eat with others")]
        assert "Survey “Dinner survey”, Life satisfaction" in feel
        # 10 of the 15 pairs rose by 3: a mean change of 2 points.
        assert "15 pairs; the mean change (life-satisfaction points) 2 Changed since" in feel
        eat = found[found.index("Eat with others (Participants)") :][:200]
        assert (
            f"Indicator “Participants reached”, period 2025, approved by {approver} 30 "
            "Changed since the map was last reviewed" in eat
        )
    # The report's assumptions give the numbers used, not the stored 3 and 0.5.
    table = report[report.index("Assumptions: what changes") : report.index("Numbers taken from")]
    # (pdftotext reads the figures of each row first, then the wrapped first column.)
    assert "10 2 life satisfaction points – – – – 1 30 100 – – – – 1" in table
    assert "Feel better (Participants) Linked to a measurement" in table
    assert "Eat with others (Participants) Source: SSB Linked to a measurement" in table
    assert "2 life satisfaction points" in table and "0.5 life satisfaction" not in table


@pytest.mark.parametrize("code", ["ucla-loneliness-3", "ons-anxiety"])
def test_a_mean_change_on_another_scale_is_refused(world, code) -> None:
    """Loneliness (3–9) or anxiety (lower is better) points are not life-satisfaction points."""
    value_map = _wellbeing_map(world)
    access = access_for(world.coordinator)
    survey = surveys.survey_create(
        access=access,
        initiative=world.internal,
        title="Other survey",
        purpose="Learn",
        consent_text="Yes",
        items=[LibraryIndicator.objects.get(code=code)],
    )
    with pytest.raises(ValidationError) as error:
        _link(world, value_map, kind="mean_change", survey_item=survey.survey_items.get())
    assert "survey_item" in error.value.message_dict
    assert not MeasurementLink.objects.exists()
