"""``samskap serve`` preloads before forking its workers (``core.startup.warm_up``)."""

import shutil

import pytest


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="the PDF stack (Pango) is not installed")
def test_warm_up_loads_everything_the_first_report_needs() -> None:
    import sys

    from samskap.core.startup import REPORT_TEMPLATES, WARM_MODULES, warm_up

    assert warm_up() == []
    assert all(name in sys.modules for name in WARM_MODULES)
    assert "reports/initiative_report.html" in REPORT_TEMPLATES
