"""Browser fixtures for this app's one browser test.

The registry's session-scoped ``browser`` fixture (``registry/tests/conftest.py``) is not
visible here, and a second sync Playwright cannot start in a thread where one is open. So this
``browser`` shares the registry's open browser when its tests ran first in the session, and
otherwise starts (and at the end of the module closes) one of its own the same way.
"""

import asyncio
import gc
import os
import shutil

import pytest

from samskap.registry.tests.conftest import CHROMIUM, CHROMIUM_ARGS, page  # noqa: F401


def _open_browser():
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    from playwright.sync_api import Browser

    live = [o for o in gc.get_objects() if isinstance(o, Browser) and o.is_connected()]
    return live[0] if live else None


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Playwright cannot download it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    shared = _open_browser()
    if shared is not None:
        yield shared
        return
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield own
            finally:
                own.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
