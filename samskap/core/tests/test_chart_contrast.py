"""Chart text meets WCAG AA contrast (4.5:1) against what is behind it: read from the SVG of
every chart a coordinator meets in the demo (core/contrast.py)."""

import re

import pytest

from samskap.core import charts
from samskap.core.contrast import AA_TEXT, chart_texts, contrast_ratio
from samskap.core.demo import load_demo

from .numbers_crawl import crawl

CHART = re.compile(r'<svg\b[^>]*class="chart[ "][^>]*>.*?</svg>', re.S)


def test_the_wcag_ratio() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # The lightest grey that passes on white, and the next one that does not.
    assert contrast_ratio("#767676", "#ffffff") >= AA_TEXT > contrast_ratio("#777777", "#ffffff")


def test_a_text_is_read_against_the_bar_it_stands_on() -> None:
    fig = charts.new_figure(3, 2)
    axes = fig.add_subplot()
    axes.set_axis_off()
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 10)
    axes.barh(5, 10, height=8, color="#1d5f8a")
    axes.text(5, 5, "on the bar", color="#ffffff")
    axes.text(5, 9.5, "light grey", color="#aaaaaa")
    axes.barh(0.5, 10, height=0.8, color="#000000", alpha=0.5)  # half-transparent black
    axes.text(5, 0.5, "on the shade", color="#000000")
    found = {text.text: text for text in chart_texts(charts.svg(fig, "t", "d"))}
    assert found["on the bar"].background == pytest.approx((0x1D / 255, 0x5F / 255, 0x8A / 255))
    assert found["on the bar"].ratio >= AA_TEXT
    assert found["light grey"].ratio < AA_TEXT
    assert found["on the shade"].background == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.django_db
def test_every_chart_text_in_the_demo_has_aa_contrast() -> None:
    load_demo()
    pages_with_charts: dict[str, int] = {}
    problems: list[str] = []

    def check(url: str, html: str) -> None:
        for svg in CHART.findall(html):
            pages_with_charts[url] = pages_with_charts.get(url, 0) + 1
            title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1)
            for text in chart_texts(svg):
                if text.text.strip() and text.ratio < AA_TEXT:
                    problems.append(f"{url} · {title} · {text.text!r}: {text.ratio:.2f}")

    crawl(languages=["nb"], roles=["koordinator"], per_kind=1, on_page=check)
    charts_seen = sum(pages_with_charts.values())
    print(f"\nchart contrast: {charts_seen} charts on {len(pages_with_charts)} pages")
    # Charts of every module: portfolio, health round, survey results, value results.
    for part in ("/portefolje/", "/helsesjekk/", "/resultater/", "/verdi/resultat/"):
        assert any(part in url for url in pages_with_charts), (part, pages_with_charts)
    assert problems == [], "\n".join(problems)
