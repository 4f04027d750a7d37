"""No page breaks its own Content-Security-Policy: a real Chromium visits the pages of the demo
(anonymously and as a coordinator, following links, one page per route) and records every
violation the browser reports, as a ``securitypolicyviolation`` event or a console error. The
policy allows no inline script and no inline style, so a chart with a ``style`` attribute, a
template with one, or a library adding a ``<style>`` element would each show up here.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/logg-ut/", "/static/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".yaml", ".zip", ".parquet", ".svg")
MAX_PAGES = 70
# Recorded in the page before any of its own scripts run (an init script is not subject to
# the page's policy).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


def _route(path: str) -> str:
    parts = urlsplit(path)
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return parts.path


def _visit_all(page, base_url: str, start: list[str]) -> tuple[list[str], list[str], int]:
    host = urlsplit(base_url).netloc
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    queue, queued, routes = list(start), set(start), set()
    visited, problems, charts = [], [], 0
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        route = _route(path)
        if route in routes:
            continue
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        routes.add(route)
        visited.append(path)
        page.wait_for_load_state("load")
        problems += [f"{path}: {v}" for v in page.evaluate("window.__csp || []")]
        problems += [f"{path}: {text}" for text in console]
        console.clear()
        charts += page.locator("svg.chart").count()
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (
                parts.netloc == host
                and not parts.path.startswith(SKIPPED_PREFIXES)
                and not parts.path.endswith(DOWNLOAD_SUFFIXES)
                and "/pdf" not in parts.path
                and "format=" not in parts.query
                and target not in queued
            ):
                queued.add(target)
                queue.append(target)
    return visited, problems, charts


def test_no_page_violates_the_content_security_policy(browser, live_server) -> None:
    from samskap.core.demo import DEMO_PASSWORD, load_demo

    load_demo()
    all_problems: list[str] = []
    total_pages = total_charts = 0
    for username in (None, "koordinator"):
        context = browser.new_context(locale="en-US")
        context.set_default_timeout(15_000)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        try:
            start = ["/"]
            if username:
                page.goto(live_server.url + "/logg-inn/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(DEMO_PASSWORD)
                page.get_by_label("Password").press("Enter")
                page.wait_for_url(lambda url: "/logg-inn/" not in url)
                start.insert(0, reverse("registry:dashboard"))
            visited, problems, charts = _visit_all(page, live_server.url, start)
        finally:
            context.close()
        assert len(visited) > (20 if username else 5), visited
        total_pages += len(visited)
        total_charts += charts
        all_problems += [f"{username or 'anonymous'} {p}" for p in problems]
    print(f"{total_pages} pages, {total_charts} charts")
    assert total_charts > 5  # the matplotlib charts were among the pages checked
    assert not all_problems, "\n".join(all_problems[:40])
