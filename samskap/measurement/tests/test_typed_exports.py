"""The researchers' Excel export holds numbers as number cells with number formats (issue 15),
read back with openpyxl."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from samskap.accounts.access import access_for
from samskap.core import numbers
from samskap.measurement import surveys

from .conftest import answer_all


def test_survey_export_writes_numbers_as_numbers(world, setup) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=6)
    for index, participant in enumerate(people):
        surveys.paper_entry(
            access=access,
            time_point=setup.before,
            code=participant.code,
            answers=answer_all(setup.survey, 4 + index % 3, (1, 2, 3)),
        )
    url = reverse("measurement:export", args=[world.internal.slug, setup.survey.pk, "xlsx"])
    book = load_workbook(io.BytesIO(world.client(world.project_leader).get(url).content))
    answers = list(book["answers"].iter_rows(min_row=2))
    assert len(answers) == 6 * 4
    assert all(row[3].data_type == "n" and row[4].data_type == "n" for row in answers)
    summary = {(row[0].value, row[1].value): row for row in book["aggregates"].iter_rows(min_row=2)}
    n, mean = summary[("life-satisfaction", "before")][2:4]
    assert (
        n.data_type == "n" and n.value == 6 and n.number_format == numbers.excel_format("integer")
    )
    assert mean.data_type == "n" and mean.value == 5.0
    assert mean.number_format == numbers.excel_format("decimal", 3)
