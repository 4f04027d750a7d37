"""The one small-group rule (core.privacy) in every output, including detail: property tests
over random small surveys and health rounds that no hidden value can be worked out, and the
cases found by the probe (a dot plot of 6 pairs, {1: 1} with five "don't know", 7 − 6 = 1, a
researcher export with one respondent at a time point)."""

import io
import json
import subprocess
import sys
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.accounts.access import access_for
from samskap.core import privacy
from samskap.health import scoring
from samskap.measurement import stats

THRESHOLDS = st.integers(min_value=5, max_value=7)


def _visible(n, threshold) -> bool:
    return n == 0 or n >= threshold


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=2), st.integers(0, 15), max_size=6), THRESHOLDS)
def test_a_breakdown_never_shows_or_implies_a_group_below_the_threshold(counts, t) -> None:
    hidden = privacy.hidden_categories(counts, t)
    assert all(_visible(n, t) for key, n in counts.items() if key not in hidden)
    # The total minus the shown categories is the hidden ones together: 0 or ≥ t (unless the
    # whole group is below t: then every category is hidden, and the total by rule 1).
    if _visible(sum(counts.values()), t):
        assert _visible(sum(counts[key] for key in hidden), t)
    else:
        assert all(counts[key] == 0 for key in counts if key not in hidden)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 7), min_size=0, max_size=14),
    st.lists(st.integers(-3, 3), min_size=0, max_size=14),
    THRESHOLDS,
)
def test_random_small_surveys_reveal_no_hidden_group(before, steps, t) -> None:
    """A paired result of 0–14 people: the individual changes only when every value is shared
    by at least t people; shares only for groups of at least t, the hidden ones together too."""
    n = min(len(before), len(steps))
    before, after = before[:n], [b + s for b, s in zip(before, steps, strict=False)][:n]
    result = stats.paired(before, after, threshold=t)
    if n < t:
        assert result.suppressed and result.n is None and result.changes is None
        return
    changes = Counter(a - b for a, b in zip(after, before, strict=True))
    if result.changes is not None:
        assert all(count >= t for count in changes.values())
        assert sorted(result.changes) == sorted(Counter(result.changes).elements())
    counts = {
        "improved": sum(c for d, c in changes.items() if d > 0),
        "unchanged": changes.get(0, 0),
        "worsened": sum(c for d, c in changes.items() if d < 0),
    }
    hidden = 0
    for key, count in counts.items():
        share = getattr(result, key)
        if share is None:
            hidden += count
        else:
            assert _visible(round(share * n), t)
    assert _visible(hidden, t)


ANSWER = st.one_of(st.none(), st.integers(1, 5))
ITEMS = {"u1": "understanding", "u2": "understanding", "a1": "anchoring"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([scoring.MUNICIPALITY, scoring.PARTNER]),
            st.fixed_dictionaries(dict.fromkeys(ITEMS, ANSWER)),
        ),
        max_size=16,
    ),
    THRESHOLDS,
)
def test_random_small_health_rounds_reveal_no_hidden_group(rows, t) -> None:
    responses = [scoring.Response(party, answers) for party, answers in rows]
    score = scoring.score_round(responses, ITEMS, ["understanding", "anchoring"], threshold=t)
    for item in score.items:
        for dist in item.distributions.values():
            if not dist.suppressed:  # every step and "don't know": 0 or ≥ t
                assert all(_visible(n, t) for n in [*dist.counts.values(), dist.dont_know])
    for party in score.parties:
        shown = score.respondents_shown(party)
        for dimension in score.dimensions:
            n = dimension.cells[party].n
            if n is not None:
                assert _visible(n, t)
                if shown is not None:  # respondents − n: those with only "don't know"
                    assert _visible(shown - n, t)


# --- the probe's cases, through the pages, the API, the export and the CLI ---------------------


def _survey_with(world, setup, before: int, pairs: int, changes):
    """A survey where ``before`` people answered before and the first ``pairs`` of them after."""
    from samskap.measurement import imports, surveys

    access = access_for(world.coordinator)
    people = surveys.participants_create(access=access, initiative=world.internal, count=before)
    lines = [f"{p.code},before,life-satisfaction,1,5" for p in people]
    lines += [
        f"{p.code},after,life-satisfaction,1,{5 + change}"
        for p, change in zip(people[:pairs], changes, strict=True)
    ]
    upload = io.BytesIO(("code,time_point,item,question,value\n" + "\n".join(lines)).encode())
    upload.name = "a.csv"
    assert imports.import_answers(access=access, survey=setup.survey, source=upload).ok


@pytest.fixture
def setup(world):
    from samskap.measurement.tests.conftest import setup as make_setup

    return make_setup.__wrapped__(world)


def test_six_pairs_show_no_individual_changes_and_seven_minus_six_is_hidden(world, setup):
    _survey_with(world, setup, before=7, pairs=6, changes=[2, 2, 1, 0, -1, 3])
    client = world.client(world.coordinator)
    slug, pk = world.internal.slug, setup.survey.pk
    detail = client.get(reverse("measurement:survey", args=[slug, pk])).content.decode()
    assert '<td class="num">7</td>' not in detail and '<td class="num">*</td>' in detail
    results = client.get(reverse("measurement:results", args=[slug, pk])).content.decode()
    assert '<td class="num">6</td>' in results  # the pairs are the result
    assert "Individual changes are not shown" in results
    # No dot per person in the chart (drawn in the dots' colour): only the median's mark.
    chart = results[results.index("<svg") : results.index("</svg>")]
    assert "#7a4e00" not in chart


def test_the_cli_lists_no_individual_changes_of_small_groups(tmp_path):
    data = tmp_path / "pairs.csv"
    rows = [(5, 7), (5, 7), (5, 6), (5, 5), (5, 4), (5, 8)]
    data.write_text("before,after\n" + "\n".join(f"{b},{a}" for b, a in rows) + "\n")
    command = [sys.executable, "-m", "samskap.cli", "stats", "paired", str(data)]
    command += ["--before", "before", "--after", "after"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "Individual changes" not in text
    out = subprocess.run([*command, "--format", "json"], capture_output=True, text=True).stdout
    assert json.loads(out)["changes"] is None


def test_one_respondent_at_a_time_point_stops_the_researcher_export(world, setup):
    from samskap.measurement import exports

    _survey_with(world, setup, before=6, pairs=1, changes=[1])
    with pytest.raises(ValidationError, match="time point"):
        exports.rows_of(setup.survey)
    url = reverse("measurement:export", args=[world.internal.slug, setup.survey.pk, "csv"])
    response = world.client(world.coordinator).get(url, follow=True)
    assert b"P0000" not in response.content


def test_one_answer_and_five_dont_know_is_not_shown_per_statement(world):
    from samskap.health import services
    from samskap.health.tests.conftest import start_round

    started = start_round(world, municipality=6, partner=6)
    round_items = list(started.round.round_items.all())
    for i in range(6):
        answers = {ri.pk: "4" for ri in round_items}
        answers[round_items[0].pk] = "1" if i == 0 else "dk"
        for party in ("municipality", "partner"):
            services.answers_save(token=started.token_of(party, i), answers=answers, submit=True)
    services.round_close(access=access_for(world.project_leader), round_=started.round)
    client = world.client(world.coordinator)
    url = f"/api/v1/health/initiatives/{world.internal.slug}/rounds/{started.round.number}"
    body = client.get(url).json()
    first = next(i for i in body["items"] if i["code"] == round_items[0].item.code)
    for dist in first["distributions"]:
        assert dist["suppressed"] and dist["counts"] is None and dist["dont_know"] is None
    page = client.get(reverse("health:round", args=[world.internal.slug, 1])).content.decode()
    assert page.count('class="suppressed"') >= 1
