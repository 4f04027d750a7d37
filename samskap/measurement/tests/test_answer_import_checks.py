"""The survey answer import's two checks agree, and a change made while a file is checked is
caught before anything is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.accounts.access import access_for
from samskap.core.bulk import fetch_rows
from samskap.core.tabular import csv_arrays
from samskap.measurement import imports, surveys
from samskap.measurement.models import Answer, Participant, Response

# A survey as the import sees it: two active participants and one who withdrew, two time
# points, a one-question item on 0-10 and a three-question item on 1-3; participant 12 has
# answered "after", participant 11 has an unanswered link there.
KNOWN = imports._Known(
    participants={"AAAA2222": 11, "BBBB3333": 12},
    withdrawn={"CCCC4444"},
    points={"before": 21, "after": 22},
    items={"life-satisfaction": (31, 1, 0, 10), "ucla-loneliness-3": (32, 3, 1, 3)},
    existing={(12, 22): (41, True), (11, 22): (42, False)},
    comparison={11: False, 12: False},
    answered={12},
)
# Ways of writing each participant, time point, item and question: the right ones (in other
# case or with spaces around), and wrong ones.
CODES = [["AAAA2222", "aaaa2222", " AAAA2222 "], ["BBBB3333"], ["CCCC4444"], ["ZZZZ9999", ""]]
POINTS = [["before", " before"], ["after"], ["sometime"]]
ITEMS = [["life-satisfaction"], ["ucla-loneliness-3", "ucla-loneliness-3 "], ["unknown"]]
QUESTIONS = [["1", " 1", "01", "1.0"], ["2"], ["3"], ["4", "0", "x", ""]]
VALUES = ["0", "2", "3", "10", "11", "-1", "7.0", "7,5", "x", " 3", ""]
VALID_VALUES = [["0", "10", "07", " 3", "7.0"], ["1", "3", " 2"]]
# The group column: codes and words of other languages, in any case; BBBB3333 has answered, so
# only "intervention" (its group) is valid for it.
GROUPS = ["", "comparison", "Sammenligning", "JÄMFÖRELSE", "intervention", "tiltak", "Insats"]
BAD_GROUPS = ["x", "control"]


@st.composite
def answer_files(draw) -> bytes:
    # Half the files are written to be valid throughout (so that both checks accept them),
    # the other half may hold any mistake.
    valid = draw(st.booleans())

    def slot(group: list, valid_slots: int) -> st.SearchStrategy[int]:
        return st.integers(0, (valid_slots if valid else len(group)) - 1)

    keys = st.tuples(slot(CODES, 2), slot(POINTS, 2), slot(ITEMS, 2)).filter(
        lambda key: not valid or key[:2] != (1, 1)  # BBBB3333 answered "after" already
    )
    slots = draw(
        st.lists(
            keys.flatmap(
                lambda key: st.tuples(st.just(key), slot(QUESTIONS, 1 if key[2] == 0 else 3))
            ),
            max_size=12,
            unique=True,  # one answer per (participant, time point, item, question) way
        )
    )
    with_question = draw(st.booleans()) or any(question for _key, question in slots)
    with_group = draw(st.booleans())
    # In a valid file each participant gets one group (or none) on every line.
    chosen = {0: draw(st.sampled_from(GROUPS)), 1: draw(st.sampled_from(["", "intervention"]))}
    rows = []
    for (code, point, item), question in slots:
        cells = [
            draw(st.sampled_from(CODES[code])),
            draw(st.sampled_from(POINTS[point])),
            draw(st.sampled_from(ITEMS[item])),
        ]
        if with_question:
            cells.append(draw(st.sampled_from(QUESTIONS[question])))
        cells.append(draw(st.sampled_from(VALID_VALUES[item] if valid else VALUES)))
        if with_group:
            if valid:
                cells.append(draw(st.sampled_from(["", chosen.get(code, "")])))
            else:
                cells.append(draw(st.sampled_from(GROUPS + BAD_GROUPS)))
        rows.append(",".join(cells))
    header = "code,time_point,item," + ("question," if with_question else "") + "value"
    header += ",group" if with_group else ""
    return ("\n".join([header, *rows]) + "\n").encode()


@settings(max_examples=400, deadline=None)
@given(answer_files())
def test_the_column_check_accepts_only_what_the_row_check_accepts(data) -> None:
    source = SimpleUploadedFile("answers.csv", data)
    arrays = csv_arrays(source, imports.ANSWER_COLUMNS, ("question", "group"))
    fast = imports._resolve_arrays(arrays, KNOWN) if arrays is not None else None
    report = imports.ImportReport()
    rows = imports._check_rows(source, KNOWN, report)
    if fast is None:
        return
    assert report.ok, report.errors
    assert [list(map(int, column)) for column in fast[0]] == [list(column) for column in rows[0]]
    assert fast[1] == rows[1]  # the same participants change group


def test_the_column_check_reads_a_valid_file(db) -> None:
    data = b"code,time_point,item,value\naaaa2222,before,life-satisfaction,7\n"
    source = SimpleUploadedFile("answers.csv", data)
    arrays = csv_arrays(source, imports.ANSWER_COLUMNS, ("question", "group"))
    columns, groups = imports._resolve_arrays(arrays, KNOWN)
    assert [column.tolist() for column in columns] == [[11], [21], [31], [1], [7]]
    assert groups == {}


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("answers.csv", text.encode())


def test_a_withdrawn_participant_is_named_as_withdrawn(world, setup) -> None:
    access = access_for(world.coordinator)
    person = surveys.participants_create(access=access, initiative=world.internal, count=1)[0]
    surveys.withdraw(person)
    report = imports.import_answers(
        access=access,
        survey=setup.survey,
        source=_upload(f"code,time_point,item,value\n{person.code},before,life-satisfaction,7\n"),
    )
    assert report.errors == [(2, "code", "This participant has withdrawn: no answers are stored.")]


def _stale_check(monkeypatch, change) -> None:
    """The file is checked against the state before ``change``, which lands just before the
    answers are stored (as another user's request would)."""
    known = imports._known
    calls = []

    def checked_then_changed(survey):
        calls.append(survey)
        result = known(survey)
        if len(calls) == 1:
            change()
        return result

    monkeypatch.setattr(imports, "_known", checked_then_changed)


def test_a_withdrawal_while_the_file_is_checked_stores_nothing(world, setup, monkeypatch) -> None:
    access = access_for(world.coordinator)
    first, second = surveys.participants_create(access=access, initiative=world.internal, count=2)
    _stale_check(monkeypatch, lambda: surveys.withdraw(second))
    text = (
        "code,time_point,item,value\n"
        f"{first.code},before,life-satisfaction,7\n"
        f"{second.code},before,life-satisfaction,8\n"
    )
    report = imports.import_answers(access=access, survey=setup.survey, source=_upload(text))
    assert report.errors == [(3, "code", "This participant has withdrawn: no answers are stored.")]
    assert not Answer.objects.exists() and not Response.objects.exists()


def test_an_answer_through_the_link_while_the_file_is_checked_wins(
    world, setup, monkeypatch
) -> None:
    access = access_for(world.coordinator)
    person = surveys.participants_create(access=access, initiative=world.internal, count=1)[0]
    ((_code, token),) = surveys.links_issue(access=access, time_point=setup.before)
    response = surveys.response_for_token(token)
    surveys.consent(response)

    def answer_online():
        items = {i.library.code: i.pk for i in setup.survey.survey_items.select_related("library")}
        answers = {(items["life-satisfaction"], 1): 3}
        answers |= {(items["ucla-loneliness-3"], n): 2 for n in (1, 2, 3)}
        assert surveys.response_save(response=response, answers=answers, submit=True)

    _stale_check(monkeypatch, answer_online)
    text = f"code,time_point,item,value\n{person.code},before,life-satisfaction,9\n"
    report = imports.import_answers(access=access, survey=setup.survey, source=_upload(text))
    assert report.errors == [
        (2, "code", "This participant has already answered at this time point.")
    ]
    assert Answer.objects.get(item__library__code="life-satisfaction").value == 3


@pytest.mark.django_db(transaction=True)
def test_the_import_locks_its_participants_against_withdrawal(world) -> None:
    """PostgreSQL: the rows read with ``share_lock`` cannot be locked for update (as
    ``withdraw`` does) by another connection until the reading transaction ends."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite's transactions hold the write lock)")
    import psycopg
    from django.db import transaction

    person = Participant.objects.create(initiative=world.internal, code="LOCK2345")
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    withdraw = "SELECT id FROM measurement_participant WHERE id = %s FOR UPDATE NOWAIT"
    try:
        with transaction.atomic():
            fetch_rows(Participant.objects.filter(pk=person.pk), "pk", share_lock=True)
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(withdraw, [person.pk])
        assert other.execute(withdraw, [person.pk]).fetchall() == [(person.pk,)]
    finally:
        other.close()
