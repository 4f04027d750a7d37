"""Indicator values workflow, progress, programme totals and the all-or-nothing imports."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samskap.accounts.access import access_for
from samskap.accounts.models import Municipality
from samskap.measurement import imports, services, surveys
from samskap.measurement import queries as selectors
from samskap.measurement.models import (
    Answer,
    IndicatorValue,
    LibraryIndicator,
    Programme,
    Response,
    Status,
)
from samskap.registry.selectors import can_edit

D = Decimal


def _period(world, indicator, label="2025"):
    return services.period_add(
        access=access_for(world.coordinator),
        indicator=indicator,
        label=label,
        start=datetime.date(int(label[:4]), 1, 1),
        end=datetime.date(int(label[:4]), 12, 31),
    )


def test_library_is_loaded_with_sources_and_licences(db) -> None:
    codes = set(LibraryIndicator.objects.values_list("code", flat=True))
    assert {
        "life-satisfaction",
        "ons-worthwhile",
        "ons-anxiety",
        "ucla-loneliness-3",
        "general-self-efficacy",
        "own-goals",
        "participants-reached",
    } <= codes
    assert not codes & {"wemwbs", "eq-5d", "outcomes-star"}
    assert all(entry.licence and entry.source for entry in LibraryIndicator.objects.all())


def test_partner_reports_leader_approves_or_returns(world, setup) -> None:
    period = _period(world, setup.life)
    partner = access_for(world.partner)
    value = services.value_save(access=partner, period=period, kind="actual", value=D("6.5"))
    assert value.status == Status.DRAFT
    value = services.value_submit(access=partner, value=value)
    with pytest.raises(PermissionDenied):
        services.value_approve(access=partner, value=value)
    with pytest.raises(ValidationError):
        services.value_return(access=access_for(world.project_leader), value=value, comment=" ")
    value = services.value_return(
        access=access_for(world.project_leader), value=value, comment="Source?"
    )
    assert value.status == Status.RETURNED and value.review_comment == "Source?"
    value = services.value_submit(access=partner, value=value)
    value = services.value_approve(access=access_for(world.project_leader), value=value)
    assert value.status == Status.APPROVED
    assert [h.status for h in value.history.order_by("history_id")] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]


def test_value_must_be_within_the_scale(world, setup) -> None:
    period = _period(world, setup.life)
    with pytest.raises(ValidationError) as error:
        services.value_save(
            access=access_for(world.partner), period=period, kind="actual", value=D("11")
        )
    assert "value" in error.value.message_dict


def test_conflicting_edit_is_refused(world, setup) -> None:
    period = _period(world, setup.life)
    access = access_for(world.partner)
    value = services.value_save(access=access, period=period, kind="target", value=D("7"))
    services.value_save(
        access=access, period=period, kind="target", value=D("8"), expected_version=value.version
    )
    with pytest.raises(ValidationError, match="Someone else"):
        services.value_save(
            access=access,
            period=period,
            kind="target",
            value=D("9"),
            expected_version=value.version,
        )


def test_other_partner_and_viewer_cannot_report(world, setup) -> None:
    period = _period(world, setup.life)
    for user in (world.other_partner, world.viewer, world.other_coordinator):
        assert not can_edit(access_for(user), world.internal)
        with pytest.raises(PermissionDenied):
            services.value_save(access=access_for(user), period=period, kind="actual", value=D(5))


def test_percentage_keeps_numerator_and_flags_disaggregations(world, setup) -> None:
    access = access_for(world.coordinator)
    indicator = services.indicator_create(
        access=access,
        initiative=world.internal,
        chain_item=setup.output,
        name="Share in activity",
        definition="Share taking part weekly",
        unit="percentage",
        disaggregations={"gender": ["female", "male"]},
    )
    period = _period(world, indicator)
    total = services.value_save(
        access=access, period=period, kind="actual", numerator=D(30), denominator=D(40)
    )
    assert total.value == D("75.0000")
    services.value_save(
        access=access,
        period=period,
        kind="actual",
        numerator=D(20),
        denominator=D(25),
        dimension="gender",
        category="female",
    )
    services.value_save(
        access=access,
        period=period,
        kind="actual",
        numerator=D(9),
        denominator=D(15),
        dimension="gender",
        category="male",
    )
    row = selectors.indicator_table([indicator])[0]
    assert row["mismatches"] == ["actual: gender"]
    with pytest.raises(ValidationError):
        services.value_save(access=access, period=period, kind="actual", value=D(50))


def test_progress_toward_target(world, setup) -> None:
    period = _period(world, setup.life)
    access = access_for(world.coordinator)
    for kind, number in (("baseline", 5), ("target", 7), ("actual", 6.5)):
        services.value_save(access=access, period=period, kind=kind, value=D(str(number)))
    row = selectors.indicator_table([setup.life])[0]
    assert row["progress"] == pytest.approx(0.75) and row["on_track"] is False


def test_programme_totals_are_computed_when_read(world, setup) -> None:
    Municipality.objects.update(four_eyes_approval=False)  # about totals, not review
    access = access_for(world.coordinator)
    reached = LibraryIndicator.objects.get(code="participants-reached")
    programme = Programme.objects.create(municipality=world.home, name="Together", slug="together")
    programme.initiatives.add(world.internal, world.public)
    for initiative, numbers in (
        (world.internal, {"2024": 10, "2025": 25}),
        (world.public, {"2024": 4}),
    ):
        item = services.chain_item_add(
            access=access, initiative=initiative, level="output", text="Reach"
        )
        indicator = services.indicator_adopt(
            access=access, initiative=initiative, library=reached, chain_item=item
        )
        indicator.cumulative = True
        indicator.save()
        for label, number in numbers.items():
            value = services.value_save(
                access=access,
                period=_period(world, indicator, label),
                kind="actual",
                value=D(number),
            )
            services.value_submit(access=access, value=value)
            services.value_approve(access=access, value=value)
    totals = selectors.programme_totals(programme)[0]
    by_label = {p["label"]: p["total"] for p in totals["periods"]}
    # Cumulative: the public initiative's 4 carries into 2025.
    assert by_label == {"2024": D(14), "2025": D(29)}
    # Change a value and the total follows (nothing copied).
    IndicatorValue.objects.filter(value=D(25)).update(value=D(30))
    assert selectors.programme_totals(programme)[0]["periods"][1]["total"] == D(34)


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_indicator_value_import_is_all_or_nothing(world, setup) -> None:
    _period(world, setup.life)
    access = access_for(world.partner)
    bad = _upload(
        "v.csv",
        "indicator,period,kind,value\n"
        "life-satisfaction,2025,baseline,5\n"
        "no-such,2025,actual,6\n"
        "life-satisfaction,2031,actual,6\n"
        "life-satisfaction,2025,actual,12\n",
    )
    report = imports.import_indicator_values(access=access, initiative=world.internal, source=bad)
    assert not report.ok
    assert [(line, column) for line, column, _m in report.errors] == [
        (3, "indicator"),
        (4, "period"),
        (5, "value"),
    ]
    assert not IndicatorValue.objects.exists()
    good = _upload(
        "v.csv",
        "indicator;period;kind;value\nlife-satisfaction;2025;baseline;5\n"
        "life-satisfaction;2025;actual;6,5\n",
    )
    report = imports.import_indicator_values(access=access, initiative=world.internal, source=good)
    assert report.ok and report.created == 2
    assert IndicatorValue.objects.get(kind="actual").value == D("6.5")


def test_answer_import_is_all_or_nothing_with_a_row_report(world, setup) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=2)
    a, b = people[0].code, people[1].code
    text = (
        "code,time_point,item,question,value\n"
        f"{a},before,life-satisfaction,1,5\n"
        f"ZZZZZZZZ,before,life-satisfaction,1,5\n"
        f"{a},sometime,life-satisfaction,1,5\n"
        f"{b},before,ucla-loneliness-3,2,4\n"
        f"{b},before,life-satisfaction,1,x\n"
        f"{a},before,life-satisfaction,1,6\n"
    )
    report = imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    )
    assert [(line, column) for line, column, _m in report.errors] == [
        (3, "code"),
        (4, "time_point"),
        (5, "value"),
        (6, "value"),
        (7, "code"),
    ]
    assert not Answer.objects.exists() and not Response.objects.exists()
    text = (
        "code,time_point,item,question,value\n"
        f"{a},before,life-satisfaction,1,5\n"
        f"{b},after,ucla-loneliness-3,2,3\n"
    )
    report = imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    )
    assert report.ok and report.created == 2
    assert Response.objects.filter(submitted_at__isnull=False).count() == 2
    # Importing the same file again would count people twice: refused.
    report = imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    )
    assert report.error_count == 2 and Answer.objects.count() == 2


def test_answer_import_reads_xlsx(world, setup, tmp_path) -> None:
    from openpyxl import Workbook

    access = access_for(world.coordinator)
    code = surveys.participants_create(access=access, initiative=world.internal, count=1)[0].code
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "time_point", "item", "value"])
    sheet.append([code, "before", "life-satisfaction", 7])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    report = imports.import_answers(access=access, survey=setup.survey, source=str(path))
    assert report.ok and Answer.objects.get().value == 7


def test_import_refuses_outsiders(world, setup) -> None:
    with pytest.raises(PermissionDenied):
        imports.import_answers(
            access=access_for(world.other_partner),
            survey=setup.survey,
            source=_upload("a.csv", "code,time_point,item,value\n"),
        )


def test_answer_import_reports_a_duplicate_found_by_the_database(world, setup) -> None:
    access = access_for(world.coordinator)
    code = surveys.participants_create(access=access, initiative=world.internal, count=1)[0].code
    text = (
        "code,time_point,item,question,value\n"
        f"{code},before,life-satisfaction,1,5\n"
        f"{code},after,life-satisfaction,1,6\n"
        f"{code},before,life-satisfaction,1,7\n"
    )
    report = imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    )
    assert [(line, column) for line, column, _m in report.errors] == [(4, "code")]
    assert not Answer.objects.exists() and not Response.objects.exists()


def test_imported_answers_read_back_exactly(world, setup) -> None:
    """The bulk writer (binary COPY on PostgreSQL) stores every number, the response times and
    who entered them as given."""
    import datetime

    from django.utils import timezone

    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=3)
    rows = [
        (p.code, point, "life-satisfaction", 1, (n * 3 + k) % 11)
        for n, p in enumerate(people)
        for k, point in enumerate(("before", "after"))
    ]
    rows += [(people[0].code, "before", "ucla-loneliness-3", q, q) for q in (1, 2, 3)]
    text = "code,time_point,item,question,value\n" + "".join(
        ",".join(map(str, row)) + "\n" for row in rows
    )
    started = timezone.now()
    report = imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    )
    assert report.ok and report.created == len(rows)
    stored = {
        (
            a.response.participant.code,
            a.response.time_point.kind,
            a.item.library.code,
            a.question,
        ): a.value
        for a in Answer.objects.select_related(
            "response__participant", "response__time_point", "item__library"
        )
    }
    assert stored == {row[:4]: row[4] for row in rows}
    for response in Response.objects.all():
        assert response.entered_by_id == world.coordinator.pk
        assert response.submitted_at == response.consented_at
        assert started - datetime.timedelta(seconds=1) <= response.submitted_at <= timezone.now()


def test_deleting_the_user_who_entered_answers_keeps_the_answers(world, setup) -> None:
    from samskap.accounts.models import Membership, Role, User

    clerk = User.objects.create_user("clerk", password="x")
    Membership.objects.create(user=clerk, role=Role.COORDINATOR, municipality=world.home)
    access = access_for(clerk)
    code = surveys.participants_create(access=access, initiative=world.internal, count=1)[0].code
    text = f"code,time_point,item,value\n{code},before,life-satisfaction,7\n"
    assert imports.import_answers(
        access=access, survey=setup.survey, source=_upload("a.csv", text)
    ).ok
    clerk.delete()
    response = Response.objects.get()
    assert response.entered_by_id is None
    assert Answer.objects.get().value == 7


def test_a_file_as_norwegian_excel_saves_it(world, setup) -> None:
    """Excel in a Norwegian locale saves "CSV (semikolondelt)" as Windows-1252 with semicolons,
    a decimal comma, no-break spaces between thousands and dates as 31.12.2025; method texts
    with æøå. Both imports read it."""
    _period(world, setup.life)
    access = access_for(world.partner)
    text = (
        "indicator;period;kind;value;date;method\r\n"
        "life-satisfaction;2025;baseline;6,5;15.01.2025;Spørreskjema på papir (før)\r\n"
        "life-satisfaction;2025;actual;7,25;31.12.2025;Spørreskjema, høst – ærlig\r\n"
    )
    data = text.encode("cp1252")
    assert data.decode("cp1252") == text and b"\xf8" in data  # "ø" as Excel writes it
    report = imports.import_indicator_values(
        access=access, initiative=world.internal, source=SimpleUploadedFile("verdier.csv", data)
    )
    assert report.ok, report.errors
    actual = IndicatorValue.objects.get(kind="actual")
    assert actual.value == D("7.25") and actual.measured_on == datetime.date(2025, 12, 31)
    assert actual.method == "Spørreskjema, høst – ærlig"
    coordinator = access_for(world.coordinator)
    code = surveys.participants_create(access=coordinator, initiative=world.internal, count=1)[0]
    answers = f"code;time_point;item;question;value\r\n{code.code};before;life-satisfaction;1;7\r\n"
    report = imports.import_answers(
        access=coordinator,
        survey=setup.survey,
        source=SimpleUploadedFile("svar.csv", b"\xef\xbb\xbf" + answers.encode("cp1252")),
    )
    assert report.ok, report.errors
    report = imports.import_answers(
        access=coordinator,
        survey=setup.survey,
        source=SimpleUploadedFile("svar.csv", "kode;ø\r\nÆ;1\r\n".encode("cp1252")),
    )
    assert not report.ok and "Missing columns" in report.errors[0][2]


def test_templates_explain_every_column_and_read_back(world, setup) -> None:
    """The downloadable templates (Excel and CSV) of both imports: every column explained in
    the user's language on a second sheet; the CSV template imports as it is."""
    import io as _io

    from django.urls import reverse
    from openpyxl import load_workbook

    client = world.client(world.coordinator)
    slug = world.internal.slug
    for what, columns in (("svar", imports.answer_columns()), ("verdier", imports.value_columns())):
        url = reverse("measurement:import_template", args=[slug, what, "xlsx"])
        book = load_workbook(_io.BytesIO(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content))
        header = [c.value for c in book["data"][1] if c.value]
        with translation.override("en"):
            assert header == [c.header for c in columns]
        rows = list(book["Columns"].iter_rows(min_row=2, values_only=True))
        explained = {row[0]: row[2] for row in rows}
        assert set(explained) == set(header) and all(explained.values())
        assert [row[1] for row in rows] == [c.name for c in columns]  # the codes beside them
        assert "before, after or follow_up" in str(explained) or what == "verdier"
        csv_url = reverse("measurement:import_template", args=[slug, what, "csv"])
        csv_header = client.get(csv_url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
        assert csv_header.splitlines()[0] == ",".join(header)
    nb = client.get(
        reverse("measurement:import_template", args=[slug, "svar", "xlsx"]),
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert nb.status_code == 200
    assert client.get(f"/initiativ/{slug}/maling/import/mal-x.xlsx").status_code == 404
    assert world.client(world.other_partner).get(
        reverse("measurement:import_template", args=[slug, "svar", "csv"])
    ).status_code in (403, 404)
