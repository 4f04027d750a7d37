import datetime

from hypothesis import given
from hypothesis import strategies as st

from samskap.registry import lifecycle
from samskap.registry.lifecycle import MoveRequest, allowed_moves, move_problems
from samskap.registry.models import Stage

TODAY = datetime.date(2026, 11, 23)
COMPLETE = {
    "planned_transition_date": TODAY + datetime.timedelta(days=90),
    "operating_owner_id": 1,
    "post_pilot_funding": "Health budget from 2027",
    "decision_body": "Municipal council",
    "decision_case_number": "26/123",
    "decision_date": TODAY,
    "lesson_title": "What we learned",
    "lesson_text": "Plan operation before the pilot.",
    "note": "Back to the drawing board",
}


def test_the_open_path_moves_one_step_forward_or_back() -> None:
    assert allowed_moves(Stage.INSIGHT) == [
        Stage.PILOT,
        Stage.ANCHORING,
        Stage.CLOSED,
        Stage.REJECTED,
    ]
    assert allowed_moves(Stage.IDEA)[0] == Stage.ANCHORING
    assert Stage.INSIGHT not in allowed_moves(Stage.IDEA)


def test_closed_and_rejected_are_final() -> None:
    assert allowed_moves(Stage.CLOSED) == []
    problems = move_problems(Stage.REJECTED, MoveRequest(target=Stage.IDEA), today=TODAY)
    assert "__all__" in problems


def test_it_refuses_pilot_without_transition_date_owner_and_funding() -> None:
    problems = move_problems(Stage.INSIGHT, MoveRequest(target=Stage.PILOT), today=TODAY)
    assert set(problems) == {"planned_transition_date", "operating_owner", "post_pilot_funding"}


def test_it_refuses_a_transition_date_in_the_past() -> None:
    move = MoveRequest(
        target=Stage.PILOT,
        planned_transition_date=TODAY - datetime.timedelta(days=1),
        operating_owner_id=1,
        post_pilot_funding="x",
    )
    assert set(move_problems(Stage.INSIGHT, move, today=TODAY)) == {"planned_transition_date"}


def test_it_refuses_operation_without_a_decision_reference() -> None:
    problems = move_problems(Stage.TRANSITION, MoveRequest(target=Stage.OPERATION), today=TODAY)
    assert set(problems) == {"decision_body", "decision_case_number", "decision_date"}


def test_closing_requires_a_lesson() -> None:
    problems = move_problems(Stage.PILOT, MoveRequest(target=Stage.CLOSED), today=TODAY)
    assert set(problems) == {"lesson_title", "lesson_text"}


def test_going_back_requires_a_note() -> None:
    problems = move_problems(Stage.PILOT, MoveRequest(target=Stage.INSIGHT), today=TODAY)
    assert set(problems) == {"note"}


def test_skipping_a_stage_is_refused() -> None:
    problems = move_problems(
        Stage.IDEA,
        MoveRequest(target=Stage.PILOT, **{k: v for k, v in COMPLETE.items() if k != "note"}),
        today=TODAY,
    )
    assert set(problems) == {"target"}


@given(st.lists(st.sampled_from([s.value for s in Stage]), max_size=30))
def test_any_sequence_of_complete_moves_stays_on_the_map(targets: list[str]) -> None:
    """Whatever is attempted, a move is accepted exactly when it is in allowed_moves, and
    every accepted move lands on a stage reachable from the previous one."""
    stage = Stage.IDEA.value
    for target in targets:
        problems = move_problems(stage, MoveRequest(target=target, **COMPLETE), today=TODAY)
        assert (not problems) == (target in allowed_moves(stage))
        if not problems:
            stage = target
    assert stage in lifecycle.OPEN_PATH or stage in lifecycle.TERMINAL


def test_leaving_the_operations_decision_stage_asks_for_the_decision() -> None:
    problems = move_problems(
        Stage.OPERATIONS_DECISION, MoveRequest(target=Stage.TRANSITION), today=TODAY
    )
    assert set(problems) == {"decision_body", "decision_case_number", "decision_date"}
    # Going back from it does not.
    back = MoveRequest(target=Stage.PILOT, note="Not ready")
    assert not set(move_problems(Stage.OPERATIONS_DECISION, back, today=TODAY)) & set(
        lifecycle.DECISION_FIELDS
    )


def test_each_move_asks_only_for_its_own_fields() -> None:
    assert lifecycle.fields_for(Stage.INSIGHT, Stage.PILOT) == lifecycle.PILOT_FIELDS
    assert lifecycle.fields_for(Stage.OPERATIONS_DECISION, Stage.TRANSITION) == (
        lifecycle.DECISION_FIELDS
    )
    assert lifecycle.fields_for(Stage.TRANSITION, Stage.OPERATION) == lifecycle.DECISION_FIELDS
    assert lifecycle.fields_for(Stage.PILOT, Stage.CLOSED) == lifecycle.LESSON_FIELDS
    assert lifecycle.fields_for(Stage.IDEA, Stage.ANCHORING) == ()
