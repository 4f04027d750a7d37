"""Crawl the demo as each role in each language and check every figure in the visible text.

Used by ``test_numbers_pages.py`` (one demo load, the Django test client, no browser) and
runnable on its own for a report of the figures (``python -m samskap.core.tests.numbers_crawl``
with a loaded demo database).
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from samskap.core.numbers import marks

ROLES = [None, "koordinator", "prosjektleder", "leser", "partner", "koordinator2", "admin"]
# Every role reads bokmål and English; nynorsk, Swedish and Danish share their pages' figures
# with bokmål (only the marks differ by language), so three roles that together see every kind
# of page read them, which keeps the crawl within CI's time.
FULL_LANGUAGES = {"nb", "en"}
OTHER_LANGUAGE_ROLES = {None, "koordinator", "partner"}
# Links a crawl does not follow: they change state, leave the HTML pages, or are Django's admin.
SKIP = re.compile(
    r"^/(admin|api|i18n|static|media)/|logg-ut|/eksport|export|\.(pdf|xlsx|csv|json|yaml)\b|"
    r"/pdf/?$|/last-ned|download|/mal/?$|template",
    re.IGNORECASE,
)
# Years and identifiers a reader does not expect grouped.
YEAR = range(1900, 2101)


class _Text(HTMLParser):
    """Visible text (not scripts, styles or form controls) and the links of a page."""

    HIDDEN = {"script", "style", "textarea", "select", "option", "template", "code", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in {"td", "th", "li", "p", "div", "br", "dd", "dt", "h1", "h2", "h3", "span"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in {"td", "th", "li", "p", "div", "dd", "dt"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts), parser.links


# A figure: digits with the marks any language might use between them.
FIGURE = re.compile(
    r"(?<![\w.,])([−+\-]?)(\d+(?:(?:[.,\u00a0\u202f]|(?: (?=\d{3}(?!\d))))\d+)*)(\s?%)?"
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DOTTED_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})$")
ORG_NUMBER = re.compile(r"\d{3} \d{3} \d{3}")
LICENCE = re.compile(r"\b(NLOD|CC BY(-SA)?|CC0|[Vv]ersjon|[Vv]ersion)\s?$")
TIME = re.compile(r"^\d{1,2}[.:]\d{2}$")


def check_text(text: str, language: str) -> list[tuple[str, str]]:
    """(figure in its context, what is wrong) for each figure not written the language's way."""
    decimal_mark, group = marks(language)
    problems: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = " ".join(line.split(" "))
        for match in FIGURE.finditer(line):
            sign, body, percent = match.group(1), match.group(2), match.group(3)
            start = match.start()
            context = line[max(0, start - 30) : match.end() + 15].strip()
            before = line[max(0, start - 12) : start]
            after = line[match.end() : match.end() + 6]
            if ISO_DATE.match(line, start + len(sign)) or re.match(r"[-/]\d", after):
                continue  # a date or an identifier such as R-109/21
            if re.search(r"[A-Za-zÆØÅæøå]-$", before) or re.search(r"[-/]$", before):
                continue  # part of a code (DEMO-MATVEN, R-109)
            if DOTTED_DATE.match(body) or TIME.match(body):
                continue
            if ORG_NUMBER.fullmatch(body):
                continue  # an organisation number is written 974 760 673 (Brønnøysund)
            if body.startswith("0") and len(body) > 1 and body[1].isdigit():
                continue  # an identifier with a leading zero (SSB table 03014)
            if LICENCE.search(before):
                continue  # a licence's version: NLOD 2.0, CC BY 4.0
            if after[:1].isalpha() or before[-1:].isalpha():
                continue  # part of a word or code: 5th, 6497VWAN, H2
            problem = _problem(sign, body, percent, decimal_mark, group, language, after)
            if problem:
                problems.append((context, problem))
    return problems


def _problem(
    sign: str,
    body: str,
    percent: str | None,
    decimal_mark: str,
    group: str,
    language: str,
    after: str,
) -> str | None:
    if sign == "-":
        return "hyphen instead of a minus sign"
    other_mark = "." if decimal_mark == "," else ","
    if " " in body:
        return "grouped with an ordinary space (may break across lines)"
    if "\u202f" in body and group != "\u202f":
        return "grouped with a narrow space"
    if group == "\u00a0" and other_mark in body:
        if re.fullmatch(r"\d+\.\d+", body) and language != "en":
            # 1.5 or 130.160: a decimal point or a grouping point, both wrong here.
            return "point as decimal or grouping mark"
        return "point or comma used the English way"
    if language == "en" and "\u00a0" in body:
        return "grouped with a space in English"
    if language == "en" and re.fullmatch(r"\d+,\d{1,2}", body):
        return "decimal comma in English"
    integer_part, _, fraction = body.partition(decimal_mark)
    if group != "," and decimal_mark == "," and body.count(",") > 1:
        return "comma used as a grouping mark"
    if decimal_mark == "," and len(fraction) == 3 and re.match(r"\s?(kr|NOK|SEK|DKK)\b", after):
        return "comma used as a grouping mark"  # 130,160 kr: an amount has no 1/1000 kroner
    if fraction and len(fraction) > 3:
        return f"{len(fraction)} decimals"
    digits = integer_part.replace(group, "")
    if integer_part.replace(group, "") != integer_part:
        groups = integer_part.split(group)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return "grouped in the wrong places"
    elif len(digits) >= 5 or (len(digits) == 4 and not fraction and int(digits) not in YEAR):
        return "not grouped"
    if re.fullmatch(r"0+", digits) and sign == "−" and not fraction.strip("0"):
        return "minus zero"
    if percent == "%" and language != "en":
        return "no space before %"
    return None


@dataclass
class Report:
    pages: int = 0
    figures: int = 0
    seconds: float = 0.0
    problems: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, url: str, context: str, problem: str) -> None:
        self.problems.setdefault((problem, context), set()).add(url)

    def lines(self) -> list[str]:
        return [
            f"{problem}: «{context}» on {sorted(urls)[0]} (+{len(urls) - 1})"
            for (problem, context), urls in sorted(self.problems.items())
        ]


def _kind(path: str) -> str:
    """The view a path goes to: pages of one kind (every initiative's value map) are alike."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(
    languages: list[str] | None = None,
    roles: list[str | None] | None = None,
    limit: int = 400,
    per_kind: int = 2,
    per_kind_other_languages: int = 1,
    on_page: Callable[[str, str], None] | None = None,
) -> Report:
    """The HTML pages reachable from the start pages by links, for each role and language: at
    most ``per_kind`` pages of each view (the demo's initiatives differ in their figures, so a
    few of each kind find what all would), at most ``limit`` in all. Bokmål, the language
    Samskap speaks first, gets ``per_kind`` of each view; the others get
    ``per_kind_other_languages`` (their marks differ by language, not by initiative).
    ``on_page(url, html)`` is called with each page, for checks of its own."""
    from samskap.accounts.models import User

    report = Report()
    started = time.monotonic()
    languages = languages or [code for code, _name in settings.LANGUAGES]
    for role in ROLES if roles is None else roles:
        for language in languages:
            if language not in FULL_LANGUAGES and role not in OTHER_LANGUAGE_ROLES:
                continue
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if role is not None:
                client.force_login(User.objects.get(username=role))
            seen: set[str] = set()
            kinds: dict[str, int] = {}
            queue = deque(["/", "/portefolje/", "/laering/", "/rapporter/"])
            while queue and len(seen) < limit:
                url = urldefrag(queue.popleft())[0]
                path = urlsplit(url).path
                if url in seen or SKIP.search(path):
                    continue
                seen.add(url)
                kind = _kind(path)
                kinds[kind] = kinds.get(kind, 0) + 1
                if kinds[kind] > (per_kind if language == "nb" else per_kind_other_languages):
                    continue
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response.get(
                    "Content-Type", ""
                ):
                    continue
                report.pages += 1
                if on_page is not None:
                    on_page(url, response.content.decode())
                text, links = visible_text(response.content.decode())
                report.figures += sum(1 for _ in FIGURE.finditer(text))
                for context, problem in check_text(text, language):
                    report.add(f"{language}:{role}:{url}", context, problem)
                for link in links:
                    parts = urlsplit(link)
                    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                        continue
                    # Query strings: keep one sort/filter variant per page, not every one.
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    if parts.query and any(s.startswith(parts.path + "?") for s in seen):
                        continue
                    if target not in seen:
                        queue.append(target)
    report.seconds = time.monotonic() - started
    return report
