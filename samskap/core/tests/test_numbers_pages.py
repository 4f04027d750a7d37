"""Every page of the demo, for every role and language: each figure in the visible text is
written the language's way (``samskap.core.numbers``). One demo load; the Django test client.

The figures of the crawl are printed (run with ``-s`` to see them)."""

import pytest
from django.conf import settings

from samskap.core.demo import load_demo

from .numbers_crawl import check_text, crawl


@pytest.mark.django_db
def test_every_figure_on_every_demo_page_is_written_the_languages_way():
    load_demo()
    languages = [code for code, _name in settings.LANGUAGES]
    report = crawl(languages=languages)
    print(
        f"\nnumbers crawl: {report.pages} pages, {report.figures} figures, "
        f"{len(report.problems)} problems, {report.seconds:.0f} s, languages {languages}"
    )
    assert report.pages > 50 * len(languages)  # the crawl reaches the demo, not only a log-in page
    assert report.lines() == [], "\n".join(report.lines())


@pytest.mark.parametrize(
    ("text", "language", "problem"),
    [
        ("Sum 130,160 kr", "nb", "comma used as a grouping mark"),
        ("30,000,000 kr", "nb", "comma used as a grouping mark"),
        ("andel 0,2000", "nb", "4 decimals"),
        ("10000 trekninger", "nb", "not grouped"),
        ("endring -0,3", "nb", "hyphen instead of a minus sign"),
        ("endring −0,0", "nb", "minus zero"),
        ("18 551,118", "nb", "grouped with an ordinary space (may break across lines)"),
        ("1.5 poeng", "nb", "point as decimal or grouping mark"),
        ("ratio 1,5", "en", "decimal comma in English"),
        ("130\u00a0160 NOK", "en", "grouped with a space in English"),
        ("20% av dem", "nb", "no space before %"),
    ],
)
def test_the_check_finds_each_kind_of_wrong_figure(text, language, problem):
    assert [p for _context, p in check_text(text, language)] == [problem]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("130\u00a0160 kr, 20\u00a0%, −0,38 – 0,12, 1,68 (1,18–2,18) i 2026", "nb"),
        ("NOK\u00a0130,160, 20%, −0.38 – 0.12, 1.68 (1.18–2.18) in 2026", "en"),
        ("R-109/21, 07.12.2026, kl. 10.30, 2026-12-07, kode 6497VWAN, NLOD 2.0, 5.–95.", "nb"),
        ("organisasjonsnummer 974 760 673, SSB tabell 03014", "nb"),
    ],
)
def test_the_check_lets_right_figures_dates_and_codes_pass(text, language):
    assert check_text(text, language) == []
