"""Full-text search for initiatives and stories: Scandinavian stemming and typo tolerance on
both databases.

Samskap does not know which of the three Scandinavian languages a text is written in, so a
word is reduced to its Snowball stems in Norwegian, Swedish *and* Danish (the algorithms of
https://snowballstem.org/, the same ones PostgreSQL's text-search configurations use), and a
text matches when any stem of each query word does: "ensomhet", "ensomme" and the Danish
"ensomhed" all meet in "ensom".

- PostgreSQL: the text-search vector is the three configurations' vectors joined
  (``vector_sql``); a query word matches that vector through any of its three stems (as a
  prefix), or the raw text by trigram word similarity (``pg_trgm``'s ``<%``) for typos. Both
  have GIN indexes (migration 0005).
- SQLite: an FTS5 table holds each row's stems, written by triggers through the SQL function
  ``samskap_stems`` that every connection registers (``register_sqlite_functions``); a query
  word matches any of its stems as a prefix, or any indexed stem ``rapidfuzz`` finds close to
  one of them (the index's own vocabulary, through an ``fts5vocab`` table).

Every query word must match (AND); the words are at most twelve.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import snowballstemmer
from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from rapidfuzz import fuzz, process

LANGUAGES = ("norwegian", "swedish", "danish")
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A typo-tolerant match needs a word of some length: "mat" must not find "hat".
FUZZY_MIN_LENGTH = 4
# rapidfuzz's ratio (0–100): one wrong, missing or extra letter in a 6-letter stem is ~90.
FUZZY_CUTOFF = 80
FUZZY_LIMIT = 5
# How many of the best matches are ranked for "relevance" order; the rest follow.
RANKED = 500


def tokens(text: str) -> list[str]:
    """The words of a query, lower case, at most twelve."""
    return _TOKEN.findall(text.lower())[:12]


@functools.cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


@functools.lru_cache(maxsize=65536)
def word_stems(word: str) -> tuple[str, ...]:
    """The word's distinct Snowball stems in the three languages, in a fixed order."""
    stems: list[str] = []
    for language in LANGUAGES:
        stem = _stemmer(language).stemWord(word)
        if stem and stem not in stems:
            stems.append(stem)
    return tuple(stems)


def text_stems(text: str | None) -> str:
    """What the SQLite index holds for a text: each word's stems, space separated."""
    return " ".join(stem for word in tokens_all(text or "") for stem in word_stems(word))


def tokens_all(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def register_sqlite_functions(sender, connection, **kwargs) -> None:  # noqa: ANN001 - signal
    """``connection_created`` receiver: the triggers of migration 0005 call ``samskap_stems``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("samskap_stems", 1, text_stems, deterministic=True)


@dataclass(frozen=True)
class Index:
    """One searchable table: its SQLite stem table and its PostgreSQL text expression."""

    table: str
    columns: tuple[str, ...]

    @property
    def stems_table(self) -> str:
        return f"{self.table}_stems"

    @property
    def text_sql(self) -> str:
        return " || ' ' || ".join(f"coalesce({column}, '')" for column in self.columns)

    @property
    def vector_sql(self) -> str:
        return " || ".join(
            f"to_tsvector('{language}'::regconfig, {self.text_sql})" for language in LANGUAGES
        )


INITIATIVES = Index("registry_initiative", ("title", "need", "description", "target_group"))
STORIES = Index("registry_story", ("title", "text"))


def _fts5_match(index: Index, words: list[str]) -> str:
    """The FTS5 query: for each word, any of its stems as a prefix or a close indexed stem."""
    vocabulary = _vocabulary(index)
    clauses = []
    for word in words:
        stems = word_stems(word)
        terms = [f'"{stem}"*' for stem in stems]
        if len(word) >= FUZZY_MIN_LENGTH:
            close = {
                match
                for stem in stems
                for match, _score, _i in process.extract(
                    stem,
                    vocabulary,
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=FUZZY_LIMIT,
                )
            }
            terms += [f'"{term}"' for term in sorted(close - set(stems))]
        clauses.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(clauses)


def _vocabulary(index: Index) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {index.stems_table}_vocab")  # noqa: S608 - constant
        return [row[0] for row in cursor.fetchall()]


def _postgres_condition(index: Index, words: list[str]) -> tuple[str, list[str]]:
    """For each word: the stems' prefix query against the vector, or a trigram match."""
    parts, params = [], []
    for word in words:
        tsquery = " || ".join(f"to_tsquery('{language}'::regconfig, %s)" for language in LANGUAGES)
        params += [f"{word}:*"] * len(LANGUAGES)
        if len(word) >= FUZZY_MIN_LENGTH:
            parts.append(f"({index.vector_sql} @@ ({tsquery}) OR %s <%% ({index.text_sql}))")
            params.append(word)
        else:
            parts.append(f"({index.vector_sql} @@ ({tsquery}))")
    return " AND ".join(parts), params


def matching_ids_sql(index: Index, query: str) -> tuple[str, list[str]] | None:
    """SQL selecting the ids of ``index``'s rows that match ``query``; None for no words."""
    words = tokens(query)
    if not words:
        return None
    if connection.vendor == "postgresql":
        condition, params = _postgres_condition(index, words)
        return f"SELECT id FROM {index.table} WHERE {condition}", params  # noqa: S608
    sql = f"SELECT rowid FROM {index.stems_table} WHERE {index.stems_table} MATCH %s"  # noqa: S608
    return sql, [_fts5_match(index, words)]


def ranked_ids(index: Index, query: str, limit: int = RANKED) -> list[int]:
    """The best ``limit`` matches, best first (BM25 on SQLite, ts_rank on PostgreSQL)."""
    words = tokens(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        condition, params = _postgres_condition(index, words)
        tsquery = " || ".join(
            f"plainto_tsquery('{language}'::regconfig, %s)" for language in LANGUAGES
        )
        sql = (
            f"SELECT id FROM {index.table} WHERE {condition} "  # noqa: S608 - constants
            f"ORDER BY ts_rank({index.vector_sql}, {tsquery}) DESC, id LIMIT %s"
        )
        params = [*params, *([" ".join(words)] * len(LANGUAGES)), limit]
    else:
        sql = (
            f"SELECT rowid FROM {index.stems_table} WHERE {index.stems_table} MATCH %s "  # noqa: S608
            "ORDER BY rank, rowid LIMIT %s"
        )
        params = [_fts5_match(index, words), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def filter_matching(queryset: QuerySet, index: Index, query: str) -> QuerySet:
    found = matching_ids_sql(index, query)
    if found is None:
        return queryset
    sql, params = found
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - words are parameters


def relevance(ids: list[int]) -> Case:
    """An ordering expression: the ranked ids first, in their order, then the rest. ``ids``
    must not be empty (the bare constant left would be a column position to PostgreSQL)."""
    return Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        default=Value(len(ids)),
        output_field=IntegerField(),
    )
