"""Every page each demo role can reach, on a phone: no page wider than a 390 px screen, no chart
text smaller than 8 px on it, and no accessibility violation found by axe-core.

The test logs in as each demo role in its own browser context (one Chromium for the session),
follows the links from the start page within the site (bounded: at most a few pages per route,
so a list of 14 initiatives does not mean 14 visits of the same template), skips log-out, the
admin site, the API and downloads, and checks on each page that
``document.documentElement.scrollWidth`` is the viewport's width. axe-core runs on the first
page of each route (for the first role to reach it). axe-core comes from the npm registry
(``scripts/install-axe`` installs it into ``.cache/``); the test is skipped with the reason
when it cannot be installed.
"""

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
ROLES = ["anonymous", "koordinator", "prosjektleder", "partner", "leser", "admin"]
# Paths never followed: they log out, belong to Django's admin site or the API, or switch the
# language by POST.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/logg-ut/", "/static/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".yaml", ".zip", ".parquet", ".svg")
PAGES_PER_ROUTE = 2
MAX_PAGES_PER_ROLE = 80
# The WCAG 2.1 A/AA rules plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's minified source, installed from npm at test setup when missing."""
    configured = os.environ.get("SAMSKAP_AXE_JS")
    default = REPO / ".cache/axe-core/node_modules/axe-core/axe.min.js"
    path = Path(configured) if configured else default
    if not path.exists():
        script = REPO / "scripts/install-axe"
        try:
            done = subprocess.run([str(script)], capture_output=True, text=True, timeout=180)
        except (OSError, subprocess.TimeoutExpired) as error:
            pytest.skip(f"axe-core could not be installed from npm: {error}")
        if done.returncode != 0 or not path.exists():
            pytest.skip(f"axe-core could not be installed from npm: {done.stderr.strip()[-300:]}")
    return path.read_text(encoding="utf-8")


@dataclass
class Visit:
    path: str
    width: int
    violations: list[str] = field(default_factory=list)
    small_chart_text: list[str] = field(default_factory=list)


def _route(path: str) -> str:
    """The route's name and the query's keys: pages of one template with other data."""
    parts = urlsplit(path)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    keys = sorted(pair.split("=", 1)[0] for pair in parts.query.split("&") if pair)
    return f"{name}?{'&'.join(keys)}"


def _followable(href: str, host: str) -> str | None:
    parts = urlsplit(href)
    if parts.netloc != host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(DOWNLOAD_SUFFIXES):
        return None
    if "/pdf" in parts.path or "format=" in parts.query:
        return None
    return path


# Chart text as a phone shows it: the font size times the scale of the chart on screen (its
# drawn width over its viewBox). Shrunk from a desktop chart it read at 5 to 6 px.
MIN_CHART_TEXT_PX = 8
SMALL_CHART_TEXT = """minimum => {
  const small = [];
  document.querySelectorAll('svg.chart').forEach(svg => {
    const box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
    if (!box.width || !view || !view.width) return;  // not shown at this width
    svg.querySelectorAll('text').forEach(text => {
      const px = parseFloat(getComputedStyle(text).fontSize) * box.width / view.width;
      if (px < minimum && text.textContent.trim())
        small.push(`chart text at ${px.toFixed(1)} px: ${text.textContent.trim().slice(0, 30)}`);
    });
  });
  return small.slice(0, 3);
}"""


def crawl(page, base_url: str, start: list[str], axe: str, axe_checked: set[str]) -> list[Visit]:
    """Breadth-first from the start pages; bounded per route and in total. axe-core runs on
    the first page of each route not yet checked in this session (``axe_checked``)."""
    host = urlsplit(base_url).netloc
    queue, queued = list(start), set(start)
    per_route: dict[str, int] = {}
    visits: list[Visit] = []
    while queue and len(visits) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        route = _route(path)
        if per_route.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status < 400, f"{path} answered {response.status}"
        per_route[route] = per_route.get(route, 0) + 1
        visit = Visit(
            path,
            page.evaluate("document.documentElement.scrollWidth"),
            small_chart_text=page.evaluate(SMALL_CHART_TEXT, MIN_CHART_TEXT_PX),
        )
        if route not in axe_checked:
            axe_checked.add(route)
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                page.add_script_tag(content=axe)
            visit.violations = page.evaluate(
                """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                .then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(
                    n => n.target.join(' ')).slice(0, 3).join(', ')))""",
                AXE_TAGS,
            )
        visits.append(visit)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = _followable(href, host)
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
    return visits


def _log_in(page, base_url: str, username: str) -> None:
    from samskap.core.demo import DEMO_PASSWORD

    page.goto(base_url + "/logg-inn/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda url: "/logg-inn/" not in url)


def test_every_page_fits_a_phone_and_has_no_axe_violations(browser, live_server, axe_source):
    from django.db import connection

    from samskap.core.demo import load_demo

    if connection.vendor != "sqlite":
        # Layout and markup do not depend on the database; CI runs this once, on SQLite.
        pytest.skip("the phone and axe crawl runs on SQLite only (same pages on PostgreSQL)")

    load_demo()
    axe_checked: set[str] = set()
    problems: list[str] = []
    report: list[str] = []
    for role in ROLES:
        started = time.monotonic()
        # bypass_csp: the page's CSP (script-src 'self') would refuse the injected axe-core.
        context = browser.new_context(viewport=PHONE, locale="en-US", bypass_csp=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            start = ["/"]
            if role != "anonymous":
                _log_in(page, live_server.url, role)
                # The role's own work first: its initiatives lead to the pages only it sees.
                start.insert(0, reverse("registry:dashboard"))
            visits = crawl(page, live_server.url, start, axe_source, axe_checked)
        finally:
            context.close()
        widest = max(visits, key=lambda v: v.width)
        report.append(
            f"{role}: {len(visits)} pages in {time.monotonic() - started:.1f} s, "
            f"widest {widest.width} px ({widest.path})"
        )
        problems += [
            f"{role} {v.path}: {v.width} px wide" for v in visits if v.width > PHONE["width"]
        ]
        problems += [f"{role} {v.path}: {item}" for v in visits for item in v.violations]
        problems += [f"{role} {v.path}: {item}" for v in visits for item in v.small_chart_text]
        assert len(visits) > 5, f"{role} reached only {[v.path for v in visits]}"
    print("\n".join(report))
    assert not problems, "\n".join(problems)
