"""Production defaults in every response: a Content-Security-Policy without inline script,
and ``Cache-Control: private, no-store`` for signed-in people, private files and personal
links."""

import re
from pathlib import Path

import samskap

TEMPLATES = list(Path(samskap.__file__).parent.glob("**/templates/**/*.html"))


def test_every_page_gets_a_policy_without_inline_script(world) -> None:
    response = world.client(None).get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_inline_script_or_event_handlers() -> None:
    assert TEMPLATES
    for path in TEMPLATES:
        text = path.read_text()
        inline = [m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m]
        assert not inline, (path, inline)
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), path
        assert "javascript:" not in text, path


def test_signed_in_pages_and_private_files_are_never_stored(world) -> None:
    anonymous = world.client(None).get("/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    signed_in = world.client(world.coordinator)
    for url in ("/", world.internal.get_absolute_url(), "/rapporter/eksport/initiativ.csv"):
        response = signed_in.get(url)
        assert response["Cache-Control"] == "private, no-store", url


def test_a_personal_link_page_is_never_stored(world) -> None:
    from samskap.health.tests.conftest import start_round

    started = start_round(world)
    response = world.client(None).get(f"/helsesjekk/svar/{started.token_of('partner', 0)}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# Templates only WeasyPrint renders (PDFs): their stylesheet is inline, no browser reads them.
PDF_TEMPLATES = {"report_base.html", "report_pdf.html", "pdf.html"}


def test_the_policy_allows_no_inline_style(world) -> None:
    """No 'unsafe-inline' for styles either: not in a style attribute, not in a <style>."""
    policy = world.client(None).get("/")["Content-Security-Policy"]
    styles = policy.split("style-src")[1].split(";")[0]
    assert styles.split() == ["'self'"]


def test_no_template_has_inline_style() -> None:
    for path in TEMPLATES:
        text = path.read_text()
        assert not re.search(r"\sstyle\s*=", text), path
        if path.name not in PDF_TEMPLATES:
            assert "<style" not in text, path


def test_charts_carry_presentation_attributes_not_style() -> None:
    from matplotlib.patches import Rectangle

    from samskap.core import charts

    fig = charts.new_figure()
    axes = fig.add_subplot()
    axes.plot([1, 2, 3], [3, 1, 2], linestyle="--", color="#7a4e00", alpha=0.5, label="line")
    axes.add_patch(Rectangle((1, 1), 0.5, 0.5, hatch="//", fill=False))
    axes.text(2, 2, "Kommune $\\x$ <b>", fontweight="bold", fontstyle="italic")
    axes.legend()
    text = str(charts.svg(fig, "Title", "Description"))
    assert not re.search(r"\sstyle\s*=|<style", text)
    assert 'stroke-dasharray="' in text and 'font-weight="700"' in text
    assert 'stroke-linejoin="round"' in text.split(">")[0]  # the <style> rule, on the root
    assert "Kommune $\\x$ &lt;b&gt;" in text
