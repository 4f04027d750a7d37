"""Pseudonymised export of survey answers for researchers (CSV or XLSX).

Participants appear under export pseudonyms (``P0001`` …) assigned in a random order for each
export, so a file cannot be matched with the initiative's code list (which itself holds no
names). The XLSX file adds an aggregate sheet (n and mean per item and time point) with the
small-group rule applied; if fewer participants than the threshold answered, nothing is
exported.
"""

import io
import random

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from samskap.core import numbers, spreadsheets
from samskap.core.privacy import is_suppressed, threshold_for

from .models import Answer, Survey
from .results import scores

HEADER = ["participant", "time_point", "item", "question", "value"]


def rows_of(survey: Survey) -> list[list]:
    answers = list(
        Answer.objects.filter(
            response__time_point__survey=survey,
            response__submitted_at__isnull=False,
            response__participant__withdrawn_at__isnull=True,
        )
        .order_by()
        .values_list(
            "response__participant_id",
            "response__time_point__kind",
            "item__library__code",
            "question",
            "value",
        )
    )
    people = sorted({row[0] for row in answers})
    threshold = threshold_for(survey.initiative.municipality)
    if len(people) < threshold:
        raise ValidationError(
            _("Fewer than %(threshold)s participants have answered; nothing is exported.")
            % {"threshold": threshold}
        )
    # Per-person rows only when every time point's group is large enough: one person alone
    # at a time point would be one row set, recognisable by whoever knows who answered then.
    at_point: dict[str, set[int]] = {}
    for pid, kind, *_rest in answers:
        at_point.setdefault(kind, set()).add(pid)
    small = sorted(kind for kind, who in at_point.items() if is_suppressed(len(who), threshold))
    if small:
        raise ValidationError(
            _(
                "Fewer than %(threshold)s participants have answered at a time point "
                "(%(points)s); no per-person rows are exported."
            )
            % {"threshold": threshold, "points": ", ".join(small)}
        )
    random.SystemRandom().shuffle(people)
    pseudonym = {pid: f"P{n:05d}" for n, pid in enumerate(people, start=1)}
    rows = [
        [pseudonym[pid], kind, item, question, value]
        for pid, kind, item, question, value in answers
    ]
    rows.sort()
    return rows


def aggregates(survey: Survey) -> list[list]:
    threshold = threshold_for(survey.initiative.municipality)
    by_key = scores(survey)
    points = {point.pk: point.kind for point in survey.time_points.all()}
    out = []
    for item in survey.survey_items.select_related("library"):
        for point_id, kind in points.items():
            values = list(by_key.get((item.pk, point_id), {}).values())
            n = len(values)
            if is_suppressed(n, threshold):
                out.append(
                    [
                        item.library.code,
                        kind,
                        None,
                        None,
                        _("suppressed (fewer than %(t)s)") % {"t": threshold},
                    ]
                )
            else:
                mean = round(sum(values) / n, 3) if n else None
                out.append([item.library.code, kind, n, mean, ""])
    return out


def survey_export(survey: Survey, fmt: str) -> HttpResponse:
    rows = rows_of(survey)
    name = f"{survey.initiative.slug}-survey-{survey.pk}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = spreadsheets.csv_writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "xlsx":
        raise ValidationError(_("Export as csv or xlsx."))
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("answers")
    spreadsheets.append(sheet, HEADER)
    for row in rows:
        spreadsheets.append(sheet, row)
    summary = book.create_sheet("aggregates")
    spreadsheets.append(summary, ["item", "time_point", "n", "mean", "note"])
    # Number cells with number formats: the reader's Excel shows its own marks (3,125).
    formats = [None, None, numbers.excel_format("integer"), numbers.excel_format("decimal", 3)]
    for row in aggregates(survey):
        spreadsheets.append(summary, row, formats)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
