"""The survey-answer import's optional group column (issue 18): it puts participants in the
comparison group that the difference-in-differences analysis reads, accepts the words of each
language, and names the line and the column of every bad value; nothing is stored then."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from samskap.accounts.access import access_for
from samskap.measurement import imports, results, stats, surveys
from samskap.measurement.models import Answer, Participant

INTERVENTION = [(4 + i % 3, 5 + i % 4) for i in range(12)]  # life satisfaction before, after
COMPARISON = [(4 + i % 2, 5 + i % 2 - (i % 3 == 0)) for i in range(10)]


def _people(world, count: int) -> list[str]:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=count)
    return [p.code for p in people]


def _rows(codes, pairs, group: str) -> list[list]:
    rows = []
    for code, (before, after) in zip(codes, pairs, strict=True):
        rows.append([code, "before", "life-satisfaction", 1, before, group])
        rows.append([code, "after", "life-satisfaction", 1, after, group])
    return rows


def _csv(header: list[str], rows: list[list]) -> SimpleUploadedFile:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile("answers.csv", ("\n".join(lines) + "\n").encode())


HEADER = ["code", "time_point", "item", "question", "value", "group"]


def test_the_group_column_feeds_the_difference_in_differences(world, setup) -> None:
    ours, theirs = _people(world, 12), _people(world, 10)
    rows = _rows(ours, INTERVENTION, "") + _rows(theirs, COMPARISON, "comparison")
    report = imports.import_answers(
        access=access_for(world.coordinator), survey=setup.survey, source=_csv(HEADER, rows)
    )
    assert report.ok, report.errors
    assert set(Participant.objects.filter(comparison=True).values_list("code", flat=True)) == set(
        theirs
    )
    life = next(
        r
        for r in results.survey_results(setup.survey)
        if r.item.library.code == "life-satisfaction"
    )
    assert life.result.n == 12  # the comparison group stays out of the paired change
    assert life.comparison["n_before"] == 10 and life.comparison["n_after"] == 10
    expected = stats.difference_in_differences(
        [b for b, _a in INTERVENTION],
        [a for _b, a in INTERVENTION],
        [b for b, _a in COMPARISON],
        [a for _b, a in COMPARISON],
    )
    assert life.difference_in_differences.estimate == pytest.approx(expected.estimate)
    assert life.difference_in_differences.ci95 == pytest.approx(expected.ci95)


def test_words_of_each_language_and_localized_headers_are_accepted(world, setup) -> None:
    """A workbook headed in bokmål (read row by row) with 'sammenligning' and 'tiltak'."""
    ours, theirs = _people(world, 2), _people(world, 2)
    with translation.override("nb"):
        header = [column.header for column in imports.answer_columns()]
    assert header[-1] == "Gruppe"
    book = Workbook()
    book.active.append(header)
    for row in _rows(ours, [(4, 5), (5, 6)], "Tiltak") + _rows(
        theirs, [(4, 4), (5, 5)], "sammenligning"
    ):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    report = imports.import_answers(
        access=access_for(world.coordinator),
        survey=setup.survey,
        source=SimpleUploadedFile("svar.xlsx", buffer.getvalue()),
    )
    assert report.ok, report.errors
    groups = dict(Participant.objects.values_list("code", "comparison"))
    assert [groups[c] for c in ours + theirs] == [False, False, True, True]
    # Swedish in a CSV file (read by Arrow), in capitals.
    more = _people(world, 1)
    report = imports.import_answers(
        access=access_for(world.coordinator),
        survey=setup.survey,
        source=_csv(HEADER, _rows(more, [(4, 5)], "JÄMFÖRELSE")),
    )
    assert report.ok, report.errors
    assert Participant.objects.get(code=more[0]).comparison is True


def test_a_bad_group_names_the_line_and_the_column_and_stores_nothing(world, setup) -> None:
    codes = _people(world, 2)
    rows = _rows(codes, [(4, 5), (5, 6)], "comparison")
    rows[3][5] = "control"
    with translation.override("nb"):
        report = imports.import_answers(
            access=access_for(world.coordinator), survey=setup.survey, source=_csv(HEADER, rows)
        )
        shown = report.errors_shown
    assert [(line, column) for line, column, _m in report.errors] == [(5, "group")]
    ((line, column, message),) = shown
    assert (line, column) == (5, "Gruppe")
    assert message == (
        "Ikke en gruppe: skriv tiltak eller sammenligning, eller la feltet stå tomt."
    )
    assert not Answer.objects.exists()
    assert not Participant.objects.filter(comparison=True).exists()


def test_one_participant_in_two_groups_is_refused(world, setup) -> None:
    (code,) = _people(world, 1)
    rows = _rows([code], [(4, 5)], "comparison")
    rows[1][5] = "intervention"
    report = imports.import_answers(
        access=access_for(world.coordinator), survey=setup.survey, source=_csv(HEADER, rows)
    )
    assert [(line, column) for line, column, _m in report.errors] == [(3, "group")]
    assert "Line 2 puts this participant in the comparison group." in report.errors[0][2]
    assert not Answer.objects.exists()


def test_someone_who_has_answered_keeps_their_group(world, setup) -> None:
    access = access_for(world.coordinator)
    (code,) = _people(world, 1)
    first = imports.import_answers(
        access=access,
        survey=setup.survey,
        source=_csv(HEADER, _rows([code], [(4, 5)], "")[:1]),
    )
    assert first.ok, first.errors
    report = imports.import_answers(
        access=access,
        survey=setup.survey,
        source=_csv(HEADER, _rows([code], [(4, 5)], "comparison")[1:]),
    )
    assert [(line, column) for line, column, _m in report.errors] == [(2, "group")]
    assert "already answered in the intervention group" in report.errors[0][2]
    assert Participant.objects.get(code=code).comparison is False
    assert Answer.objects.count() == 1
    # Saying the group it has is fine.
    again = imports.import_answers(
        access=access,
        survey=setup.survey,
        source=_csv(HEADER, _rows([code], [(4, 5)], "intervention")[1:]),
    )
    assert again.ok, again.errors
