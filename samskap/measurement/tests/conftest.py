"""Fixtures for measurement: a results chain, two adopted library indicators and a survey."""

import datetime
from dataclasses import dataclass

import pytest

from samskap.accounts.access import access_for
from samskap.measurement import services, surveys
from samskap.measurement.models import LibraryIndicator


@dataclass
class Setup:
    outcome: object
    output: object
    life: object  # indicator: life satisfaction
    loneliness: object  # indicator: UCLA loneliness
    survey: object
    before: object
    after: object


@pytest.fixture
def setup(world) -> Setup:
    access = access_for(world.coordinator)
    initiative = world.internal
    outcome = services.chain_item_add(
        access=access,
        initiative=initiative,
        level="outcome",
        text="Less lonely",
        for_whom="Older people living alone",
    )
    output = services.chain_item_add(
        access=access, initiative=initiative, level="output", text="Dinners held"
    )
    life_lib = LibraryIndicator.objects.get(code="life-satisfaction")
    lonely_lib = LibraryIndicator.objects.get(code="ucla-loneliness-3")
    life = services.indicator_adopt(
        access=access, initiative=initiative, library=life_lib, chain_item=outcome
    )
    loneliness = services.indicator_adopt(
        access=access, initiative=initiative, library=lonely_lib, chain_item=outcome
    )
    survey = surveys.survey_create(
        access=access,
        initiative=initiative,
        title="Dinner friends survey",
        purpose="To learn whether the dinners help.",
        consent_text="Your answers are stored under a code, never your name.",
        items=[life_lib, lonely_lib],
    )
    today = datetime.date(2025, 1, 1)
    before = surveys.time_point_add(access=access, survey=survey, kind="before", opens_on=today)
    after = surveys.time_point_add(
        access=access, survey=survey, kind="after", opens_on=today + datetime.timedelta(days=90)
    )
    return Setup(outcome, output, life, loneliness, survey, before, after)


def answer_all(survey, life: int, lonely: tuple[int, int, int]) -> dict:
    """The answers map for one response: life satisfaction and three loneliness questions."""
    items = {item.library.code: item for item in survey.survey_items.select_related("library")}
    answers = {(items["life-satisfaction"].pk, 1): life}
    for number, value in enumerate(lonely, start=1):
        answers[(items["ucla-loneliness-3"].pk, number)] = value
    return answers
