"""The small-group rule through every rendered output: Hypothesis builds random small surveys
and health rounds (fewer than 5 people: nothing about them may be shown), then renders the
survey page, the results page, the health-check round page, the API's JSON and the initiative
report PDF (as text, with pdftotext), and checks that none of them holds a figure about the
group: no count, no mean, no share, no distribution, no individual change.

Two kinds of check: structural (the cells a figure would stand in hold the hidden mark; the
JSON's figures are null) and textual (none of the group's true means, written as the pages
write them, appears in any output, leaving out numbers that the same output shows with no
answers at all, such as a threshold in a help text)."""

import io
import json
import re
import shutil
import subprocess
from statistics import mean

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from samskap.accounts.access import access_for
from samskap.core import numbers

needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"
)
EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,  # the same small groups on every run
    phases=[Phase.explicit, Phase.generate],  # a failing example is reported as found
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d,]|\.\d)")
_HIDDEN_FIGURE_KEYS = {
    "n",
    "n_before",
    "n_after",
    "mean",
    "sd",
    "mean_before",
    "mean_after",
    "mean_change",
    "median_change",
    "sd_change",
    "improved",
    "unchanged",
    "worsened",
    "changes",
    "counts",
    "dont_know",
    "gap",
    "ci95",
    "hedges_gz",
    "cohens_dz",
    "cohens_dav",
    "p_t",
    "wilcoxon_p",
}


def _pdf_text(client, url: str, tmp_path) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    path = tmp_path / "report.pdf"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def _text(html: str) -> str:
    """The words a reader sees: tags out, but an SVG chart's title and description kept."""
    return re.sub(r"<[^>]+>", " ", html)


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def _written(value: float) -> set[str]:
    """A mean as the pages write it, with one and two decimals (in English, as the test client
    reads; the sign left out, as ``_numbers`` reads numbers)."""
    with translation.override("en"):
        return {numbers.decimal(abs(value), 1), numbers.decimal(abs(value), 2)}


def _json_figures(value, path="") -> list[str]:
    """Paths of figures in the API's JSON that are not hidden (null) though they should be."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _HIDDEN_FIGURE_KEYS and item not in (None, 0, [], {}):
                found.append(f"{path}.{key}={item!r}")
            else:
                found += _json_figures(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _json_figures(item, f"{path}[{index}]")
    return found


# --- surveys ------------------------------------------------------------------------------------

ANSWER = st.integers(0, 10)
SMALL_SURVEY = st.tuples(
    st.lists(st.tuples(ANSWER, ANSWER), max_size=4),  # pairs: before, after
    st.lists(ANSWER, max_size=4),  # before only
    st.lists(ANSWER, max_size=4),  # after only
).filter(lambda s: 0 < len(s[0]) + len(s[1]) + len(s[2]) < 5)


@pytest.fixture
def setup(world):
    from samskap.measurement.tests.conftest import setup as make_setup

    return make_setup.__wrapped__(world)


def _survey_outputs(world, setup, tmp_path) -> dict[str, str]:
    client = world.client(world.coordinator)
    slug, pk = world.internal.slug, setup.survey.pk
    return {
        "survey page": client.get(reverse("measurement:survey", args=[slug, pk])).content.decode(),
        "results page": client.get(
            reverse("measurement:results", args=[slug, pk])
        ).content.decode(),
        "api": client.get(
            f"/api/v1/measurement/initiatives/{slug}/surveys/{pk}/results"
        ).content.decode(),
        "pdf": _pdf_text(client, reverse("reports:initiative_report", args=[slug]), tmp_path),
    }


def _answer(world, setup, pairs, before_only, after_only) -> None:
    from samskap.measurement import imports, surveys

    access = access_for(world.coordinator)
    count = len(pairs) + len(before_only) + len(after_only)
    people = surveys.participants_create(access=access, initiative=world.internal, count=count)
    codes = iter(p.code for p in people)
    lines = []
    for before, after in pairs:
        code = next(codes)
        lines += [f"{code},before,life-satisfaction,1,{before}"]
        lines += [f"{code},after,life-satisfaction,1,{after}"]
    lines += [f"{next(codes)},before,life-satisfaction,1,{v}" for v in before_only]
    lines += [f"{next(codes)},after,life-satisfaction,1,{v}" for v in after_only]
    upload = io.BytesIO(("code,time_point,item,question,value\n" + "\n".join(lines)).encode())
    upload.name = "answers.csv"
    report = imports.import_answers(access=access, survey=setup.survey, source=upload)
    assert report.ok, report.errors


@needs_pdftotext
def test_small_surveys_show_no_figure_in_any_output(world, setup, tmp_path) -> None:
    baseline = {
        name: _numbers(_text(out)) for name, out in _survey_outputs(world, setup, tmp_path).items()
    }

    @EXAMPLES
    @given(SMALL_SURVEY)
    def check(survey) -> None:
        pairs, before_only, after_only = survey
        with transaction.atomic():
            _answer(world, setup, pairs, before_only, after_only)
            outputs = _survey_outputs(world, setup, tmp_path)
            transaction.set_rollback(True)
        befores = [b for b, _a in pairs] + before_only
        afters = [a for _b, a in pairs] + after_only
        secrets: set[str] = set()
        for values in (
            befores,
            afters,
            [b for b, _a in pairs],
            [a for _b, a in pairs],
            [a - b for b, a in pairs],
        ):
            if values:
                secrets |= _written(mean(values))
        for name, out in outputs.items():
            leaked = (_numbers(_text(out)) - baseline[name]) & secrets
            assert not leaked, (name, survey, leaked)
        # The survey page: how many answered at each time point is hidden.
        page = outputs["survey page"]
        for count in (len(befores), len(afters)):
            if count:
                assert f'<td class="num">{count}</td>' not in page
        # The results page: every figure cell hidden, no dot per person in the chart.
        results = outputs["results page"]
        cells = re.findall(r'<td class="num">([^<]*)</td>', results)
        assert all(cell.strip() in ("*", "–", "0", "") for cell in cells), cells
        assert "Suppressed: fewer than 5 pairs." in results
        for word, values in (("before", before_only), ("after", after_only)):
            if values:
                assert f"{word}: {len(values)}" not in results
        assert "#7a4e00" not in results  # the colour of the individual changes' dots
        # The API: every figure null.
        assert _json_figures(json.loads(outputs["api"])) == []
        # The PDF: the result row says "suppressed", no pair count or change.
        assert "Suppressed: fewer than 5 pairs." in outputs["pdf"]

    check()


# --- health-check rounds ------------------------------------------------------------------------

SMALL_ROUND = st.tuples(st.integers(0, 4), st.integers(0, 4), st.randoms(use_true_random=False))


@needs_pdftotext
def test_small_health_rounds_show_no_figure_in_any_output(world, tmp_path) -> None:
    from samskap.health import scoring, services
    from samskap.health.tests.conftest import start_round

    client = world.client(world.coordinator)
    slug = world.internal.slug

    def outputs(number: int) -> dict[str, str]:
        return {
            "round page": client.get(reverse("health:round", args=[slug, number])).content.decode(),
            "api": client.get(
                f"/api/v1/health/initiatives/{slug}/rounds/{number}"
            ).content.decode(),
            "pdf": _pdf_text(client, reverse("reports:initiative_report", args=[slug]), tmp_path),
        }

    @EXAMPLES
    @given(SMALL_ROUND)
    def check(example) -> None:
        municipal, partner, rng = example
        with transaction.atomic():
            started = start_round(world, municipality=4, partner=4)
            round_items = list(started.round.round_items.select_related("item__dimension"))
            given_answers: list[scoring.Response] = []
            for party, count in (("municipality", municipal), ("partner", partner)):
                for i in range(count):
                    answers = {
                        ri.pk: rng.choice(["1", "2", "3", "4", "5", "dk"]) for ri in round_items
                    }
                    services.answers_save(
                        token=started.token_of(party, i), answers=answers, submit=True
                    )
                    given_answers.append(
                        scoring.Response(
                            party,
                            {str(k): (None if v == "dk" else int(v)) for k, v in answers.items()},
                        )
                    )
            services.round_close(access=access_for(world.project_leader), round_=started.round)
            out = outputs(started.round.number)
            transaction.set_rollback(True)
        # The true figures, computed with no threshold: none of them may appear.
        dimensions = sorted({ri.item.dimension.code for ri in round_items})
        truth = scoring.score_round(
            given_answers,
            {str(ri.pk): ri.item.dimension.code for ri in round_items},
            dimensions,
            threshold=1,
        )
        secrets: set[str] = set()
        for dimension in truth.dimensions:
            for cell in dimension.cells.values():
                if cell.mean is not None:
                    secrets |= _written(cell.mean)
        body = json.loads(out["api"])
        assert _json_figures(body) == [], (municipal, partner)
        assert all(v in (None, 0) for v in body["respondents"].values()), body["respondents"]
        page = out["round page"]
        # A shown cell reads "3.4 (spread 0.9, n = 6)"; only an empty party's n = 0 may stand.
        assert not re.search(r"n = [1-9]", _text(page)), (municipal, partner)
        assert not re.search(r"n = [1-9]", out["pdf"]), (municipal, partner)
        for name, text in out.items():
            if name == "api":
                continue
            found = _numbers(_text(text)) & secrets
            # A number the page shows whatever the answers (a date, a threshold) is no leak.
            found -= _numbers(_text(baseline[name]))
            assert not found, (name, municipal, partner, found)

    with transaction.atomic():
        empty = start_round(world, municipality=4, partner=4)
        services.round_close(access=access_for(world.project_leader), round_=empty.round)
        baseline = outputs(empty.round.number)
        transaction.set_rollback(True)
    check()
