"""A started round on the world's internal initiative: six people on each side."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.health import services
from samskap.health.models import Party, Respondent, Round


@dataclass
class StartedRound:
    round: Round
    tokens: dict[str, str]  # e-mail → raw token
    respondents: dict[str, Respondent]

    def token_of(self, party: str, index: int) -> str:
        return self.tokens[f"{party}{index}@example.org"]

    def answer_all(self, party: str, index: int, value: str, *, submit: bool = True) -> None:
        answers = {ri.pk: value for ri in self.round.round_items.all()}
        services.answers_save(token=self.token_of(party, index), answers=answers, submit=submit)


def start_round(
    world,
    *,
    municipality: int = 6,
    partner: int = 6,
    participants: int = 0,
    sets=("core",),
    closes_in: int = 14,
) -> StartedRound:
    people = [
        services.RespondentSpec(
            f"Municipal {i}", f"municipality{i}@example.org", Party.MUNICIPALITY
        )
        for i in range(municipality)
    ]
    people += [
        services.RespondentSpec(
            f"Partner {i}", f"partner{i}@example.org", Party.PARTNER, world.partner_org
        )
        for i in range(partner)
    ]
    people += [
        services.RespondentSpec(f"Rep {i}", f"participants{i}@example.org", Party.PARTICIPANTS)
        for i in range(participants)
    ]
    round_, links = services.round_start(
        access=access_for(world.project_leader),
        initiative=world.internal,
        title="Spring",
        closes_on=timezone.localdate() + datetime.timedelta(days=closes_in),
        set_codes=list(sets),
        respondents=people,
    )
    return StartedRound(
        round_,
        {r.email: token for r, token in links},
        {r.email: r for r, _token in links},
    )


@pytest.fixture
def started(world) -> StartedRound:
    return start_round(world)
