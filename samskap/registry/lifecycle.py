"""The lifecycle of an initiative and the rules that guard each move.

idea → anchoring → insight → pilot → operations decision → transition → operation → spread.
*Closed* and *rejected* can be reached from any open stage and need a lesson learned. Entering
*pilot* needs the planned transition date, the intended operating owner and the funding plan
after the pilot ("many projects fail in the transition to operation", seeds/004). Entering
*operation* needs the decision that put it there, and so does leaving *operations decision*
for *transition*: the decision is made at that stage, so it is asked for when it is made.

A move goes one step forward, or one step back with a note saying why. The rules return every
problem at once, keyed by form field, so the user can fix them in one go.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Stage

OPEN_PATH: tuple[str, ...] = (
    Stage.IDEA,
    Stage.ANCHORING,
    Stage.INSIGHT,
    Stage.PILOT,
    Stage.OPERATIONS_DECISION,
    Stage.TRANSITION,
    Stage.OPERATION,
    Stage.SPREAD,
)
TERMINAL: tuple[str, ...] = (Stage.CLOSED, Stage.REJECTED)


def is_open(stage: str) -> bool:
    return stage in OPEN_PATH


def allowed_moves(stage: str) -> list[str]:
    """The stages an initiative in ``stage`` may move to, forward first."""
    if not is_open(stage):
        return []
    index = OPEN_PATH.index(stage)
    moves = []
    if index + 1 < len(OPEN_PATH):
        moves.append(OPEN_PATH[index + 1])
    if index > 0:
        moves.append(OPEN_PATH[index - 1])
    return [*moves, *TERMINAL]


def is_backward(current: str, target: str) -> bool:
    return (
        is_open(current) and is_open(target) and OPEN_PATH.index(target) < OPEN_PATH.index(current)
    )


def needs_decision(current: str, target: str) -> bool:
    """Entering operation, or leaving the operations-decision stage forward."""
    return target == Stage.OPERATION or (
        current == Stage.OPERATIONS_DECISION and target == Stage.TRANSITION
    )


PILOT_FIELDS = ("planned_transition_date", "operating_owner", "post_pilot_funding")
DECISION_FIELDS = ("decision_body", "decision_case_number", "decision_date", "decision_url")
LESSON_FIELDS = ("lesson_title", "lesson_text")


def fields_for(current: str, target: str) -> tuple[str, ...]:
    """The form fields a move needs, besides the target and the note."""
    if target == Stage.PILOT:
        return PILOT_FIELDS
    if needs_decision(current, target):
        return DECISION_FIELDS
    if target in TERMINAL:
        return LESSON_FIELDS
    return ()


@dataclass(frozen=True)
class MoveRequest:
    """What the user supplied with a move. Empty strings and None mean "not given"."""

    target: str
    note: str = ""
    planned_transition_date: datetime.date | None = None
    operating_owner_id: int | None = None
    post_pilot_funding: str = ""
    decision_body: str = ""
    decision_case_number: str = ""
    decision_date: datetime.date | None = None
    decision_url: str = ""
    lesson_title: str = ""
    lesson_text: str = ""


def move_problems(current: str, move: MoveRequest, *, today: datetime.date) -> dict[str, list]:
    """Every reason the move is not allowed, keyed by field name ("__all__" for the move)."""
    problems: dict[str, list] = {}

    def add(field: str, message: object) -> None:
        problems.setdefault(field, []).append(message)

    if move.target not in allowed_moves(current):
        if not is_open(current):
            add("__all__", _("A closed or rejected initiative cannot change stage."))
        elif move.target == current:
            add("target", _("The initiative is already in this stage."))
        else:
            add("target", _("This move is not allowed from the current stage."))
        return problems

    if is_backward(current, move.target) and not move.note.strip():
        add("note", _("Say why the initiative goes back a stage."))

    if move.target == Stage.PILOT:
        if move.planned_transition_date is None:
            add(
                "planned_transition_date",
                _("A pilot needs a planned date for transition to operation."),
            )
        elif move.planned_transition_date < today:
            add("planned_transition_date", _("The planned transition date cannot be in the past."))
        if move.operating_owner_id is None:
            add(
                "operating_owner",
                _("A pilot needs the organisation intended to run it in operation."),
            )
        if not move.post_pilot_funding.strip():
            add("post_pilot_funding", _("A pilot needs a plan for funding after the pilot."))

    if needs_decision(current, move.target):
        if not move.decision_body.strip():
            add(
                "decision_body", _("Name the body that decided to put the initiative in operation.")
            )
        if not move.decision_case_number.strip():
            add("decision_case_number", _("Give the case number of the decision."))
        if move.decision_date is None:
            add("decision_date", _("Give the date of the decision."))
        elif move.decision_date > today:
            add("decision_date", _("The decision date cannot be in the future."))

    if move.target in TERMINAL:
        if not move.lesson_title.strip():
            add("lesson_title", _("Give the lesson learned a title."))
        if not move.lesson_text.strip():
            add("lesson_text", _("Closing or rejecting an initiative requires a lesson learned."))

    return problems
