"""Fixtures for browser tests: a real Chromium driven by Playwright's sync API.

Playwright cannot download browsers here, so the tests drive the system Chromium at
``/usr/bin/chromium`` and skip when it is missing. Use them together with pytest-django's
``live_server`` and ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``
(serialized rollback brings back the sector rows created by a migration, which the flush of a
transactional test would otherwise remove for the tests that follow).
"""

import contextlib
import os
import re
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Generous enough for a loaded CI machine, short enough that a broken locator fails fast.
TIMEOUT_MS = 10_000

_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so the ``page`` fixture knows whether it failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; skipped when the system Chromium is missing."""
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Playwright cannot download it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio event loop running in this thread; without this,
    # Django refuses database access from the test (SynchronousOnlyOperation).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A fresh English-language browser context and page; a screenshot is saved in
    ``test-artifacts/`` when the test fails."""
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
        report = request.node.stash.get(_reports, {}).get("call")
        if report is not None and report.failed:
            artifacts = request.config.rootpath / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            with contextlib.suppress(Exception):  # never hide the failure itself
                page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    finally:
        context.close()
