"""Every page of the demo, for every role, in each Nordic language: no text left in English
(``words_crawl``). One demo load; the Django test client. The figures of the crawl are printed
(run with ``-s`` to see them)."""

import os
from pathlib import Path

import pytest
from django.utils import translation

from samskap.core.demo import load_demo

from .words_crawl import NORDIC, crawl, english_words, untranslated_messages


@pytest.mark.django_db
def test_no_demo_page_shows_english_in_a_nordic_language():
    # The demo as ``samskap demo`` loads it: in bokmål (the tests' default language is English).
    with translation.override("nb"):
        load_demo()
    report = crawl(languages=NORDIC)
    print(
        f"\nwords crawl: {report.pages} pages, {len(report.found)} untranslated texts, "
        f"{report.seconds:.0f} s, languages {NORDIC}"
    )
    if os.environ.get("SAMSKAP_WORDS_REPORT"):  # the whole list, for the one fixing them
        Path(os.environ["SAMSKAP_WORDS_REPORT"]).write_text("\n".join(report.lines()))
    assert report.pages > 40 * len(NORDIC)  # the crawl reaches the demo, not only a log-in page
    assert report.lines() == [], "\n".join(report.lines())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ikke beregnet ennå: outcomes valued by life satisfaction need 'wellbeing'", "nb"),
        ("Matvenner: no deadweight given; it counts as 0 %.", "nb"),
        ("gratis å bruke (free to use)", "sv"),
        ("Save", "da"),
    ],
)
def test_the_check_finds_english_words(text, language):
    assert english_words(text, language) == [text]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Be prosjektlederen om en ny lenke to ganger.", "nb"),
        ("Du kan have en given plan.", "da"),
        ("En given plan; SROI-kvot i Excel och PDF.", "sv"),
        ("Samskap — Monte Carlo, Hedges' g, CC BY 4.0, NLOD 2.0", "nn"),
    ],
)
def test_the_check_lets_nordic_words_and_names_pass(text, language):
    assert english_words(text, language) == []


def test_a_catalogue_message_shown_verbatim_is_found():
    messages = ["Value of one point of life satisfaction"]
    assert untranslated_messages("Verdi: Value of one point of\n life satisfaction", messages)
    assert not untranslated_messages("Verdien av ett poeng livstilfredshet", messages)
