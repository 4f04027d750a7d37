"""Engine messages carry a code and parameters and are shown in the reader's language."""

import pickle
import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

from samskap.accounts.access import access_for
from samskap.core.coded import Coded, as_data, from_data
from samskap.core.coded_texts import translated
from samskap.valuation import engine, services
from samskap.valuation.texts import TEXTS
from samskap.valuation.valuemap import parse

from .test_engine import simple_map

SOURCES = ["valuemap.py", "engine.py", "excel.py"]


def emitted_codes() -> set[str]:
    folder = Path(engine.__file__).parent
    codes = set()
    for name in SOURCES:
        text = (folder / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:coded|warn)\(\s*"(\w+)"', text))
    return codes


def test_every_code_the_value_engine_emits_has_a_translation():
    codes = emitted_codes()
    assert len(codes) > 30  # the scan finds the calls (a broken pattern would find none)
    assert codes - set(TEXTS) == set()


def test_every_problem_of_the_value_map_parser_carries_a_code():
    text = (Path(engine.__file__).parent / "valuemap.py").read_text(encoding="utf-8")
    plain = []
    for match in re.finditer(r"self\.problem\(|ValueMapError\(\[", text):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(text)):
            depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(text[end], 0)
            if depth == 0:
                break
        call = text[match.start() : end + 1]
        if "coded(" not in call and "_not_a_number" not in call and "problems" not in call:
            plain.append(" ".join(call.split())[:80])
    assert plain == []


def test_a_coded_message_keeps_its_code_through_pickle_and_json():
    warning = engine.honesty_warnings(parse(simple_map(deadweight=None)))[0]
    assert isinstance(warning.message, Coded) and warning.message.code == "missing_rate"
    again = from_data(as_data(pickle.loads(pickle.dumps(warning.message))))  # noqa: S301
    assert (again.code, again.params, str(again)) == (
        "missing_rate",
        warning.message.params,
        str(warning.message),
    )


def test_honesty_checks_are_english_for_the_cli_and_bokmal_on_pages():
    warnings = engine.honesty_warnings(parse(simple_map(deadweight=None, attribution=0.9)))
    messages = {w.code: w.message for w in warnings}
    assert (
        messages["missing_rate"]
        == "'In work' (Participants): no deadweight given; it counts as 0 %."
    )
    with translation.override("nb"):
        assert translated(messages["missing_rate"]) == (
            "«In work» (Participants): ingen dødvekt oppgitt; den regnes som 0 %."
        )
        assert "tilskrivning på 90\u00a0% er utenfor" in translated(messages["atypical_rate"])
        assert "utenfor 10\u00a0%–53\u00a0%, der Samskap ber om" in translated(
            messages["atypical_rate"]
        )
    with translation.override("en"):
        assert translated(messages["atypical_rate"]).startswith(
            "'In work' (Participants): attribution 90% is outside"
        )


def test_an_unknown_code_or_plain_text_is_shown_as_it_is():
    assert translated(Coded("Something new", "no_such_code")) == "Something new"
    assert translated("plain") == "plain"
    assert translated({"code": "", "params": {}, "text": "stored"}) == "stored"


def test_results_page_shows_the_honesty_checks_in_bokmal(world):
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    services.value_map_import(
        access=access,
        value_map=value_map,
        expected_version=1,
        source=parse(simple_map(deadweight=None)),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world.coordinator)
    page = client.get(reverse("valuation:results", args=[world.internal.slug])).content.decode()
    page = page.replace("\u00a0", " ")
    assert "ingen dødvekt oppgitt; den regnes som 0 %." in page
    assert "no deadweight given" not in page


def test_the_headline_says_why_a_map_is_not_computed_in_bokmal(world):
    services.value_map_create(access=access_for(world.coordinator), initiative=world.internal)
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world.coordinator)
    page = client.get(world.internal.get_absolute_url()).content.decode()
    assert "Ikke beregnet ennå:" in page
    assert "Kartet har ingen innsats" in page
    assert "the map has no inputs" not in page
