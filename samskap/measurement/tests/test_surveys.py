"""Survey token flow, duplicate submissions, withdrawal, paper entry and paired results."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.conftest import error_summary
from samskap.core.tokens import digest
from samskap.measurement import results, surveys
from samskap.measurement.models import CODE_ALPHABET, Answer, Response

from .conftest import answer_all


def test_codes_are_random_unambiguous_and_unique(world, setup) -> None:
    created = surveys.participants_create(
        access=access_for(world.coordinator), initiative=world.internal, count=200
    )
    codes = [p.code for p in created]
    assert len(set(codes)) == 200
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set("".join(codes))


def test_viewer_cannot_create_codes(world, setup) -> None:
    with pytest.raises(PermissionDenied):
        surveys.participants_create(
            access=access_for(world.viewer), initiative=world.internal, count=1
        )


def test_token_is_stored_hashed_and_leads_to_the_response(world, setup) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=2)
    links = surveys.links_issue(access=access, time_point=setup.before)
    assert len(links) == 2
    code, token = links[0]
    assert not Response.objects.filter(token_hash=token).exists()
    response = surveys.response_for_token(token)
    assert response.token_hash == digest(token)
    assert response.participant.code == code
    with pytest.raises(Http404):
        surveys.response_for_token("not-a-token")


def test_answers_need_consent_then_resume_then_submit_once(world, setup) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    response = surveys.response_for_token(token)
    answers = answer_all(setup.survey, 6, (2, 2, 3))
    with pytest.raises(ValidationError):
        surveys.response_save(response=response, answers=answers, submit=False)
    surveys.consent(response)
    first_half = dict(list(answers.items())[:2])
    assert surveys.response_save(response=response, answers=first_half, submit=False)
    with pytest.raises(ValidationError, match="every question"):
        surveys.response_save(response=surveys.response_for_token(token), answers={}, submit=True)
    # Resume with the same link: the saved answers are there, the rest is added.
    response = surveys.response_for_token(token)
    assert response.answers.count() == 2
    rest = dict(list(answers.items())[2:])
    assert surveys.response_save(response=response, answers=rest, submit=True)
    # A second submission changes nothing.
    changed = dict.fromkeys(answers, 1)
    assert not surveys.response_save(
        response=surveys.response_for_token(token), answers=changed, submit=True
    )
    assert sorted(response.answers.values_list("value", flat=True)) == [2, 2, 3, 6]


def test_an_incomplete_submission_stores_none_of_its_answers(world, setup) -> None:
    """``response_save`` is one transaction (it locks the response; PostgreSQL refuses that
    lock outside a transaction, and the answer page failed there): sending with questions
    left open keeps nothing of what came with it."""
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    response = surveys.response_for_token(token)
    surveys.consent(response)
    some = dict(list(answer_all(setup.survey, 6, (2, 2, 3)).items())[:2])
    with pytest.raises(ValidationError, match="every question"):
        surveys.response_save(response=response, answers=some, submit=True)
    assert surveys.response_for_token(token).answers.count() == 0


def test_links_are_not_reissued_after_submission(world, setup) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    response = surveys.response_for_token(token)
    surveys.consent(response)
    surveys.response_save(
        response=response, answers=answer_all(setup.survey, 5, (1, 1, 1)), submit=True
    )
    assert surveys.links_issue(access=access, time_point=setup.before) == []


def test_out_of_scale_answer_is_refused(world, setup) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    response = surveys.response_for_token(token)
    surveys.consent(response)
    with pytest.raises(ValidationError):
        surveys.response_save(
            response=response, answers=answer_all(setup.survey, 11, (1, 1, 1)), submit=False
        )
    assert not response.answers.exists()


def test_withdrawal_deletes_answers_and_kills_the_link(world, setup) -> None:
    access = access_for(world.coordinator)
    participant = surveys.participants_create(access=access, initiative=world.internal, count=1)[0]
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    response = surveys.response_for_token(token)
    surveys.consent(response)
    surveys.response_save(
        response=response, answers=answer_all(setup.survey, 5, (1, 2, 1)), submit=True
    )
    assert surveys.withdraw(participant) == 4
    assert not Answer.objects.filter(response__participant=participant).exists()
    assert not Response.objects.filter(participant=participant).exists()
    with pytest.raises(Http404):
        surveys.response_for_token(token)


def test_paper_entry_refuses_a_second_form(world, setup) -> None:
    access = access_for(world.partner)
    participant = surveys.participants_create(
        access=access_for(world.coordinator), initiative=world.internal, count=1
    )[0]
    answers = answer_all(setup.survey, 4, (3, 3, 3))
    response = surveys.paper_entry(
        access=access, time_point=setup.before, code=participant.code.lower(), answers=answers
    )
    assert response.submitted_at is not None and response.entered_by == world.partner
    with pytest.raises(ValidationError, match="already answered"):
        surveys.paper_entry(
            access=access, time_point=setup.before, code=participant.code, answers=answers
        )


def _answer_pairs(world, setup, pairs) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=len(pairs))
    for participant, (first, second) in zip(people, pairs, strict=True):
        for point, (life, lonely) in ((setup.before, first), (setup.after, second)):
            if life is None:
                continue
            surveys.paper_entry(
                access=access,
                time_point=point,
                code=participant.code,
                answers=answer_all(setup.survey, life, lonely),
            )


def test_paired_results_pair_only_both_time_points(world, setup) -> None:
    pairs = [((4 + i % 3, (3, 2, 3)), (6 + i % 3, (2, 2, 1))) for i in range(12)]
    pairs += [((5, (2, 2, 2)), (None, None))] * 5  # answered only before
    _answer_pairs(world, setup, pairs)
    found = {r.item.library.code: r for r in results.survey_results(setup.survey)}
    life = found["life-satisfaction"]
    assert life.result.n == 12
    assert life.result.mean_change == pytest.approx(2.0)
    assert life.unpaired_before == {"n": 5, "mean": 5.0, "suppressed": False}
    assert life.result.ci95 is None or life.result.ci95[0] <= 2.0 <= life.result.ci95[1]
    lonely = found["ucla-loneliness-3"]
    assert lonely.result.mean_change == pytest.approx(-3.0)  # 8 -> 5, lower is better
    assert lonely.result.improved == 1.0
    assert "Life satisfaction" in life.summary and "12 participants" in life.summary
    assert results.change_chart(list(found.values())).startswith("<svg")


def test_paired_results_are_suppressed_below_the_municipality_threshold(world, setup) -> None:
    world.home.privacy_threshold = 8
    world.home.save()
    _answer_pairs(world, setup, [((5, (2, 2, 2)), (7, (1, 1, 1)))] * 6)
    life = results.survey_results(setup.survey)[0]
    assert life.result.suppressed and life.result.n is None
    assert "fewer than 8" in life.summary


def test_sending_with_open_questions_links_each_of_them_from_the_error_summary(
    world, setup
) -> None:
    access = access_for(world.coordinator)
    surveys.participants_create(access=access, initiative=world.internal, count=1)
    _code, token = surveys.links_issue(access=access, time_point=setup.before)[0]
    surveys.consent(surveys.response_for_token(token))
    answers = answer_all(setup.survey, 6, (2, 2, 3))
    given = dict(list(answers.items())[:2])
    data = {f"q-{item}-{number}": str(value) for (item, number), value in given.items()}
    page = world.client(None).post(
        reverse("measurement:respond", args=[token]), {**data, "send": "1"}
    )
    lines = error_summary(page.content.decode())
    assert lines[0] == ("", "Answer every question before you send.")
    open_questions = [key for key in answers if key not in given]
    assert [anchor for anchor, _text in lines[1:]] == [
        f"id_q-{item}-{number}_0" for item, number in open_questions
    ]
    assert surveys.response_for_token(token).answers.count() == 0
