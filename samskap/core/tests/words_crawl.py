"""Crawl the demo as each role in each Nordic language and find text left in English.

Two signs of untranslated text in the visible text of a page (and in the labels a screen reader
reads: ``aria-label``, ``title``, ``placeholder``, ``alt``):

- frequent English function and interface words (" the ", " and ", "Save", "Delete", "not",
  "given", "need" …), except those that are also words of the language being read (Danish
  "have", Norwegian "be" and "to", Swedish "given" …);
- a message of our catalogues shown verbatim although the language's catalogue translates it.

The pages: every URL pattern without parameters, and every page reachable from them by links
(the demo's objects give the rest), at most a few of each view, for each role. Used by
``test_words_pages.py`` (one demo load, the Django test client, no browser).
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import polib
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

NORDIC = ["nb", "nn", "sv", "da"]
ROLES: list[str | None] = [
    None,
    "koordinator",
    "prosjektleder",
    "leser",
    "partner",
    "koordinator2",
    "admin",
]
START = ["/", "/portefolje/", "/laering/", "/rapporter/", "/mine/"]
# Links a crawl does not follow: they change state, leave the HTML pages, or are Django's admin
# (which Django translates itself).
SKIP = re.compile(
    r"^/(admin|api|i18n|static|media)/|logg-ut|logout|/eksport|export|"
    r"\.(pdf|xlsx|csv|json|yaml)\b|/pdf/?$|/last-ned|download|/mal/?$|template",
    re.IGNORECASE,
)

ENGLISH = {
    "the", "and", "of", "with", "this", "that", "these", "those", "is", "are", "was", "were",
    "not", "has", "have", "been", "will", "would", "should", "must", "cannot", "need", "needs",
    "given", "which", "from", "into", "your", "you", "our", "their", "there", "here", "please",
    "save", "delete", "edit", "cancel", "submit", "add", "remove", "change", "yes", "none",
    "other", "only", "each", "every", "about", "than", "when", "where", "what", "who", "how",
    "why", "because", "without", "between", "below", "above", "more", "less", "it", "or",
    "on", "back", "next", "previous", "show", "hide", "search", "download", "free", "use",
}  # fmt: skip
# Words of the Nordic languages spelt like English ones.
ALSO_NORDIC = {
    "nb": {"be", "to", "is", "by", "under", "over", "all", "at"},
    "nn": {"be", "to", "is", "by", "under", "over", "all", "at"},
    "sv": {"given", "is", "by", "under", "all", "at", "in"},
    "da": {"have", "given", "at", "by", "under", "all", "and", "is", "free"},
}
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[a-z]+)?")
# Names of things that stay as they are in every language: the product, standards, file kinds.
NAMES = re.compile(
    r"Samskap|SROI|Monte Carlo|Hedges' g|Wilcoxon|OpenAPI|Excel|PDF|CSV|JSON|YAML|API|"
    r"UK Green Book|Green Book|Creative Commons|CC BY[- \w.]*|CC0|NLOD[ \d.]*|"
    r"Authorization: Bearer|Bearer|Django|PERT|NOK|SEK|DKK|Lovdata|WEMWBS|SWEMWBS|"
    r"General Self-Efficacy|Self-Efficacy|Warwick-Edinburgh|Cantril|ONS4?|"
    r"r_xx|d_z|g_z|p \(t-test\)|t-test|OECD Guidelines on Measuring Subjective Well-being"
)


class _Text(HTMLParser):
    """The visible text of a page with the labels screen readers read, and its links."""

    HIDDEN = {"script", "style", "template", "code", "pre"}
    BLOCK = {"td", "th", "li", "p", "div", "br", "dd", "dt", "h1", "h2", "h3", "h4", "option",
             "label", "button", "caption", "summary", "legend", "title", "a", "span"}  # fmt: skip
    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._switcher = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        # The language switcher names each language in that language, English included.
        if tag == "select" and attributes.get("name") == "language":
            self._switcher += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in self.LABELS:
            if attributes.get(name):
                self.parts.append("\n" + attributes[name] + "\n")
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append("\n" + (attributes.get("value") or "") + "\n")
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "select" and self._switcher:
            self._switcher -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._switcher:
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts), parser.links


def english_words(text: str, language: str) -> list[str]:
    """Each line of ``text`` holding an English word that is not also a word of ``language``."""
    words = ENGLISH - ALSO_NORDIC.get(language, set())
    found = []
    for line in text.splitlines():
        line = " ".join(line.split())
        cleaned = NAMES.sub(" ", line)
        hits = [w for w in WORD.findall(cleaned) if w.lower() in words]
        if hits:
            found.append(line)
    return found


def _literal_parts(msgid: str) -> list[str]:
    """The longest literal pieces of a message, between placeholders and markup."""
    pieces = re.split(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}|<[^>]+>|%%", msgid)
    return [p.strip(" .,:;()") for p in pieces if len(p.strip(" .,:;()")) >= 14]


def catalogue_messages(language: str) -> list[str]:
    """English messages of our catalogues that ``language`` translates to something else, long
    enough (two words at least) not to be a name or a word of the language itself."""
    root = Path(settings.BASE_DIR)
    messages: set[str] = set()
    for path in root.glob(f"**/locale/{language}/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)).translated_entries():
            translated = entry.msgstr or entry.msgstr_plural.get(0, "")
            if translated == entry.msgid:
                continue
            for piece in _literal_parts(entry.msgid):
                if " " in piece and piece not in translated:
                    messages.add(piece)
    return sorted(messages, key=len, reverse=True)


def untranslated_messages(text: str, messages: list[str]) -> list[str]:
    flat = " ".join(text.split())
    return [message for message in messages if message in flat]


@dataclass
class Report:
    pages: int = 0
    seconds: float = 0.0
    # (language, what was found) → the pages where it was found
    found: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, language: str, role: str | None, url: str, what: str) -> None:
        self.found.setdefault((language, what), set()).add(f"{role or 'anonymous'}:{url}")

    def lines(self) -> list[str]:
        return [
            f"{language}: «{what[:160]}» on {sorted(urls)[0]} (+{len(urls) - 1})"
            for (language, what), urls in sorted(self.found.items())
        ]


def _pattern_paths(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Paths of the URL conf that take no parameters."""
    resolver = resolver or get_resolver()
    paths = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            paths += _pattern_paths(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + route)
    return paths


def _kind(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(
    languages: list[str] | None = None,
    roles: list[str | None] | None = None,
    limit: int = 300,
    per_kind: int = 1,
) -> Report:
    """Every page of the URL conf and reachable by links, at most ``per_kind`` of each view
    (pages of one view share their words) and ``limit`` in all, for each role and language."""
    from samskap.accounts.models import User

    report = Report()
    started = time.monotonic()
    seeds = START + [p for p in _pattern_paths() if not SKIP.search(p)]
    for language in languages or NORDIC:
        messages = catalogue_messages(language)
        for role in ROLES if roles is None else roles:
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if role is not None:
                client.force_login(User.objects.get(username=role))
            seen: set[str] = set()
            kinds: dict[str, int] = {}
            queue = deque(seeds)
            while queue and len(seen) < limit:
                url = urldefrag(queue.popleft())[0]
                path = urlsplit(url).path
                if url in seen or SKIP.search(path):
                    continue
                seen.add(url)
                kind = _kind(path)
                kinds[kind] = kinds.get(kind, 0) + 1
                if kinds[kind] > per_kind:
                    continue
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response.get(
                    "Content-Type", ""
                ):
                    continue
                report.pages += 1
                text, links = visible_text(response.content.decode())
                for line in english_words(text, language):
                    report.add(language, role, url, line)
                for message in untranslated_messages(text, messages):
                    report.add(language, role, url, "message: " + message)
                for link in links:
                    parts = urlsplit(link)
                    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                        continue
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    if parts.query and any(s.startswith(parts.path + "?") for s in seen):
                        continue
                    if target not in seen:
                        queue.append(target)
    report.seconds = time.monotonic() - started
    return report


if __name__ == "__main__":  # a report on a loaded demo database
    import django

    django.setup()
    result = crawl()
    print("\n".join(result.lines()))
    print(f"{result.pages} pages, {len(result.found)} untranslated texts, {result.seconds:.0f} s")
