"""Reads that depend on who asks. Pages, exports and (later) the API all go through here."""

import datetime
from collections import Counter

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, OrganisationKind

from . import search
from .models import (
    IdeaProposal,
    IdeaStatus,
    Initiative,
    Participation,
    Sector,
    SectorCode,
    Stage,
    StageChange,
    Story,
    Visibility,
)

OwnerLink = Initiative.owners.through
SectorLink = Initiative.sectors.through


def _current_participation(today: datetime.date | None = None) -> Q:
    """A participation that has not ended. Decided (docs/security.md): a partner whose
    participation has ended loses the initiative's internal stories, health results and
    measurement, and keeps what the public sees."""
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def _insider_q(access: Access, field: str = "pk") -> Q:
    """Initiatives whose internal data the user may see: those owned by the user's
    municipalities, those an organisation of the user's takes part in, and those the user leads.
    ``can_see_internal`` is the same rule for one initiative."""
    insider = Q(pk__in=[])
    if access.staff_municipality_ids:
        insider |= Q(
            **{
                f"{field}__in": OwnerLink.objects.filter(
                    municipality_id__in=access.staff_municipality_ids
                ).values("initiative_id")
            }
        )
    if access.partner_organisation_ids:
        insider |= Q(
            **{
                f"{field}__in": Participation.objects.filter(
                    _current_participation(), organisation_id__in=access.partner_organisation_ids
                ).values("initiative_id")
            }
        )
    if access.user_id is not None:
        leader = "project_leader_id" if field == "pk" else "initiative__project_leader_id"
        insider |= Q(**{leader: access.user_id})
    return insider


def initiatives_visible_to(access: Access) -> QuerySet[Initiative]:
    """Public initiatives, plus internal ones of the user's municipalities and organisations."""
    return Initiative.objects.filter(Q(visibility=Visibility.PUBLIC) | _insider_q(access))


def stories_visible_to(access: Access) -> QuerySet[Story]:
    """Public stories of public initiatives, and every story where the user is an insider."""
    public = Q(visibility=Visibility.PUBLIC, initiative__visibility=Visibility.PUBLIC)
    return Story.objects.filter(public | _insider_q(access, "initiative_id")).order_by(
        "-date", "-pk"
    )


def owner_ids(initiative: Initiative) -> set[int]:
    cached = getattr(initiative, "_owner_ids", None)
    if cached is None:
        cached = set(
            OwnerLink.objects.filter(initiative=initiative).values_list(
                "municipality_id", flat=True
            )
        )
        initiative._owner_ids = cached  # type: ignore[attr-defined]
    return cached


def active_partner_ids(initiative: Initiative, today: datetime.date) -> set[int]:
    """Organisations whose participation in the initiative has not ended."""
    return set(
        initiative.participations.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        ).values_list("organisation_id", flat=True)
    )


def is_manager_of(access: Access, initiative: Initiative) -> bool:
    return bool(access.manager_municipality_ids & owner_ids(initiative))


def is_staff_of(access: Access, initiative: Initiative) -> bool:
    return bool(access.staff_municipality_ids & owner_ids(initiative))


def can_steer(access: Access, initiative: Initiative) -> bool:
    """Move the lifecycle, manage partners: the owners' coordinators and the project leader."""
    if access.user_id is None:
        return False
    return initiative.project_leader_id == access.user_id or is_manager_of(access, initiative)


def can_edit(access: Access, initiative: Initiative, today: datetime.date | None = None) -> bool:
    """Edit content and add stories: those who steer, plus partners taking part now."""
    if can_steer(access, initiative):
        return True
    if not access.partner_organisation_ids:
        return False
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    return bool(access.partner_organisation_ids & active_partner_ids(initiative, today))


def can_see_internal(access: Access, initiative: Initiative) -> bool:
    """Internal stories and details: staff of an owner, the project leader and partners whose
    participation has not ended."""
    if access.user_id is None:
        return False
    if initiative.project_leader_id == access.user_id or is_staff_of(access, initiative):
        return True
    return initiative.participations.filter(
        _current_participation(), organisation_id__in=access.partner_organisation_ids
    ).exists()


ACTIONS = {"view": None, "edit": can_edit, "steer": can_steer}


def get_initiative_for(access: Access, slug: str, action: str = "view") -> Initiative:
    """The one way a view fetches an initiative: 404 if the user may not see it, 403 if the
    user may see it but not do ``action``."""
    try:
        initiative = (
            initiatives_visible_to(access)
            .select_related("municipality", "project_leader", "operating_owner")
            .get(slug=slug)
        )
    except Initiative.DoesNotExist:
        raise Http404 from None
    check = ACTIONS[action]
    if check is not None and not check(access, initiative):
        raise PermissionDenied
    return initiative


# --- search -------------------------------------------------------------------------------
# Stemmed and typo-tolerant on both databases: see samskap/registry/search.py.


def search_tokens(query: str) -> list[str]:
    return search.tokens(query)


def search_initiatives(queryset: QuerySet[Initiative], query: str) -> QuerySet[Initiative]:
    """Search over title, need, description and target group."""
    return search.filter_matching(queryset, search.INITIATIVES, query)


def search_stories(queryset: QuerySet[Story], query: str) -> QuerySet[Story]:
    """Search over the title and text of stories and lessons, and the title, need,
    description and target group of their initiative: "ungdom" finds the lessons of
    Ungdomsloftet even when the lesson itself does not say "ungdom"."""
    found = search.matching_ids_sql(search.STORIES, query)
    if found is None:
        return queryset
    in_story = search.filter_matching(queryset, search.STORIES, query)
    of_initiative = queryset.filter(
        initiative__in=search.filter_matching(Initiative.objects.all(), search.INITIATIVES, query)
    )
    return in_story | of_initiative


# --- lists and filters --------------------------------------------------------------------


def filter_initiatives(
    queryset: QuerySet[Initiative],
    *,
    q: str = "",
    sector: str = "",
    stage: str = "",
    partner_kind: str = "",
    municipality: str = "",
    governance_logic: str = "",
    measured: bool = False,
) -> QuerySet[Initiative]:
    """Apply the showcase's search and filters. Unknown filter values give no results.
    ``measured``: only those that published measured results (the valuation app's
    ``ResultsPublication``, reached by its related name)."""
    queryset = search_initiatives(queryset, q)
    if measured:
        queryset = queryset.filter(results_publication__published=True)
    if governance_logic:
        queryset = queryset.filter(governance_logic=governance_logic)
    if sector:
        queryset = queryset.filter(
            pk__in=SectorLink.objects.filter(sector__code=sector).values("initiative_id")
        )
    if stage:
        queryset = queryset.filter(stage=stage)
    if partner_kind:
        queryset = queryset.filter(
            pk__in=Participation.objects.filter(organisation__kind=partner_kind).values(
                "initiative_id"
            )
        )
    if municipality:
        queryset = queryset.filter(
            pk__in=OwnerLink.objects.filter(municipality__slug=municipality).values("initiative_id")
        )
    return queryset


def with_card_data(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What a list card shows, fetched in a fixed number of queries."""
    return queryset.select_related("municipality").prefetch_related("sectors", "owners")


SHOWCASE_SORTS = ("", "newest", "name")


def showcase_initiatives(
    sort: str = "", measured: bool = False, **filters: str
) -> QuerySet[Initiative]:
    """Public initiatives matching the filters. Active ones first (closed and rejected last),
    then by ``sort``: the best match to the search (the default; newest without a search),
    "newest" or "name"."""
    queryset = filter_initiatives(
        Initiative.objects.filter(visibility=Visibility.PUBLIC), measured=measured, **filters
    )
    ended = Case(
        When(stage__in=[Stage.CLOSED, Stage.REJECTED], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if sort == "name":
        order = [Lower("title"), "id"]
    elif sort == "" and search.tokens(filters.get("q", "")):
        order = [search.relevance(search.ranked_ids(search.INITIATIVES, filters["q"])), "-id"]
    else:
        order = ["-created_at", "-id"]
    return with_card_data(queryset.order_by(ended, *order))


def lesson_stories(access: Access, q: str = "", kind: str = "", sort: str = "") -> QuerySet[Story]:
    """The lessons page: the stories the user may see, matching the search and kind, in the
    order ``sort`` asks: the best match to the search (the default; newest without a search;
    stories found through their initiative's words follow those that say them), "newest" or
    "title"."""
    stories = stories_visible_to(access)
    if kind:
        stories = stories.filter(kind=kind)
    stories = search_stories(stories, q).select_related("initiative", "municipality")
    if sort == "title":
        return stories.order_by(Lower("title"), "pk")
    ranked = search.ranked_ids(search.STORIES, q) if sort == "" else []
    # Without ranked stories (all found through their initiative) there is nothing to rank:
    # an empty ``relevance`` is the constant 0, which PostgreSQL reads as a column position.
    relevance = [search.relevance(ranked)] if ranked else []
    return stories.order_by(*relevance, "-date", "-pk")


def visible_stories(access: Access, initiative: Initiative) -> QuerySet[Story]:
    stories = initiative.stories.select_related("author")
    if can_see_internal(access, initiative):
        return stories
    return stories.filter(visibility=Visibility.PUBLIC)


def participations_of(initiative: Initiative) -> QuerySet[Participation]:
    return initiative.participations.select_related("organisation")


# --- portfolio ---------------------------------------------------------------------------


def portfolio_municipalities(access: Access) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=access.manager_municipality_ids)


def with_pending_ideas(municipalities: QuerySet[Municipality]) -> QuerySet[Municipality]:
    """Each municipality with its number of ``pending_ideas`` (in the same query)."""
    return municipalities.annotate(
        pending_ideas=Count("idea_proposals", filter=Q(idea_proposals__status=IdeaStatus.PENDING))
    )


def municipality_initiatives(municipality: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.filter(pk__in=_owned_ids([municipality.pk]))


def _owned_ids(municipality_ids) -> QuerySet:
    """The ids of the initiatives the municipalities own (read from the owner-link index). An
    initiative owned by several of them appears once per owner, which ``IN`` does not mind."""
    return OwnerLink.objects.filter(municipality_id__in=municipality_ids).values("initiative_id")


PORTFOLIO_FILTERS = ("sector", "stage", "governance_logic", "partner_kind")


def portfolio_initiatives(municipality_ids, filters: dict | None = None) -> QuerySet[Initiative]:
    """The initiatives the municipalities own, narrowed by the portfolio's filters."""
    filters = filters or {}
    queryset = Initiative.objects.filter(pk__in=_owned_ids(municipality_ids))
    return filter_initiatives(queryset, **{k: filters.get(k, "") for k in PORTFOLIO_FILTERS})


def compiled_ids(queryset: QuerySet[Initiative]) -> tuple[str, tuple] | None:
    """The SQL and parameters selecting the ids of ``queryset``; None if it selects nothing."""
    try:
        return queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def selected_by(compiled: tuple[str, tuple] | None) -> QuerySet[Initiative]:
    """The initiatives selected by ``compiled`` (see ``compiled_ids``), embedding that SQL text.
    The portfolio's queries (overdue pilots, stories, the modules' panels) each filter by the
    portfolio's initiatives; compiled once, the owner links and filters are not compiled again
    for each of them (a few per cent of the page's time, measured by instruction count)."""
    if compiled is None:
        return Initiative.objects.none()
    return Initiative.objects.filter(pk__in=RawSQL(*compiled))  # noqa: S611 - Django's own SQL, parameters apart


# The portfolio's three groupings in one statement (run by ``on_portfolio``): rows of
# (grouping, value, second value, count).
_COUNTS_SQL = """
SELECT 'stage', i.stage, i.governance_logic, COUNT(*)
  FROM registry_initiative i
 WHERE i.id IN (SELECT id FROM portfolio)
 GROUP BY i.stage, i.governance_logic
UNION ALL
SELECT 'sector', s.code, '', COUNT(*)
  FROM registry_initiative_sectors l JOIN registry_sector s ON s.id = l.sector_id
 WHERE l.initiative_id IN (SELECT id FROM portfolio)
 GROUP BY s.code
UNION ALL
SELECT 'partner', o.kind, '', COUNT(DISTINCT p.initiative_id)
  FROM registry_participation p JOIN accounts_organisation o ON o.id = p.organisation_id
 WHERE p.initiative_id IN (SELECT id FROM portfolio)
 GROUP BY o.kind
"""


def _supports_not_materialized() -> bool:
    """``AS NOT MATERIALIZED``: PostgreSQL 12 and SQLite 3.35 or newer."""
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version_info >= (3, 35)
    return connection.vendor == "postgresql"


# In a statement run by ``on_portfolio``: the ids of the portfolio's initiatives. A query that
# filters by it does not embed the portfolio's own SQL, so it can be compiled once.
PORTFOLIO_IDS = RawSQL("SELECT id FROM portfolio", ())


def on_portfolio(compiled: tuple[str, tuple] | None, sql: str, params=()) -> list[tuple]:
    """The rows of ``sql`` run after ``WITH portfolio (id) AS (…)``, the ids selected by
    ``compiled`` (see ``compiled_ids``; none if it is None), as the driver returns them."""
    if compiled is None:
        return []
    ids, ids_params = compiled
    # Inlined into each use rather than materialised once: on PostgreSQL that halves the time
    # of the counts for a national portfolio (the planner keeps the owner-link index).
    inline = "NOT MATERIALIZED" if _supports_not_materialized() else ""
    with connection.cursor() as cursor:
        cursor.execute(f"WITH portfolio (id) AS {inline} ({ids}) {sql}", (*ids_params, *params))  # noqa: S608 - Django's own SQL, parameters apart
        return cursor.fetchall()


# PostgreSQL: the counts from the portfolio facts (migration ``registry.0006_portfolio_facts``:
# one row per initiative, kept by the database in the same transaction as every change), in
# one pass: by stage and governance logic, with how many of those initiatives have each sector
# and each partner type (the codes are the statement's parameters).
_FACT_CODES = [("sector", code) for code in SectorCode.values] + [
    ("partner_kind", kind) for kind in OrganisationKind.values
]
_FACT_COLUMNS = ", ".join(
    f"COUNT(*) FILTER (WHERE f.{'sectors' if grouping == 'sector' else 'partner_kinds'}"
    " @> ARRAY[%s]::varchar[])"
    for grouping, _code in _FACT_CODES
)
_FACTS_SQL = f"""
SELECT f.stage, f.governance_logic, COUNT(*), {_FACT_COLUMNS}
  FROM registry_portfoliofacts f
 WHERE f.initiative_id IN (SELECT id FROM portfolio)
 GROUP BY f.stage, f.governance_logic
"""  # noqa: S608 - built from this module's constants; the codes are parameters


# PostgreSQL, a portfolio without filters: the counts per owning municipality (migration
# ``registry.0006_portfolio_facts``) added up, less the extra times an initiative with several
# owners in the portfolio was counted (``%(owners)s``: the municipality ids).
_OWNER_COUNTS_SQL = """
SELECT facet, code, second, SUM(n) FROM (
    SELECT facet, code, second, n
      FROM registry_portfoliocounts WHERE municipality_id = ANY (%(owners)s)
    UNION ALL
    SELECT g.facet, g.code, g.second,
           1 - (SELECT COUNT(*) FROM unnest(f.owners) o WHERE o = ANY (%(owners)s))
      FROM registry_portfoliofacts f
     CROSS JOIN LATERAL (
           SELECT 'stage' AS facet, f.stage AS code, f.governance_logic AS second
           UNION ALL SELECT 'sector', s, '' FROM unnest(f.sectors) s
           UNION ALL SELECT 'partner', k, '' FROM unnest(f.partner_kinds) k) g
     WHERE cardinality(f.owners) > 1 AND f.owners && %(owners)s::bigint[]
) counts GROUP BY facet, code, second
"""


def portfolio_counts(
    compiled: tuple[str, tuple] | None, owners: list[int] | None = None
) -> dict[str, Counter[str]]:
    """The initiatives selected by ``compiled`` (see ``compiled_ids``) counted by stage,
    governance logic, sector and partner type (an initiative counts once per sector and once
    per partner type it has). One statement: as three ORM queries, building and compiling them
    cost more than running them on a municipality's portfolio.

    PostgreSQL keeps summaries in the same transaction as every change (migration
    ``registry.0006_portfolio_facts``): ``owners``, given when ``compiled`` is exactly the
    initiatives those municipalities own (no filters), adds up their counts per municipality; a
    filtered portfolio counts its facts rows in one pass. A national portfolio: 186 ms of SQL
    over the link tables before, a few milliseconds after (``benchmarks/portfolio.py``)."""
    counts: dict[str, Counter[str]] = {
        key: Counter() for key in ("stage", "governance_logic", "sector", "partner_kind")
    }
    if connection.vendor == "postgresql" and compiled is not None:
        if owners is not None:
            with connection.cursor() as cursor:
                cursor.execute(_OWNER_COUNTS_SQL, {"owners": list(owners)})
                rows = [(g, c, second, int(n)) for g, c, second, n in cursor.fetchall() if n]
            for grouping, code, second, n in rows:
                if grouping == "stage":
                    counts["stage"][code] += n
                    counts["governance_logic"][second] += n
                else:
                    counts["sector" if grouping == "sector" else "partner_kind"][code] += n
            return counts
        params = [code for _grouping, code in _FACT_CODES]
        for stage, logic, n, *found in on_portfolio(compiled, _FACTS_SQL, params):
            counts["stage"][stage] += n
            counts["governance_logic"][logic] += n
            for (grouping, code), count in zip(_FACT_CODES, found, strict=True):
                if count:
                    counts[grouping][code] += count
        return counts
    for grouping, value, second, n in on_portfolio(compiled, _COUNTS_SQL):
        if grouping == "stage":
            counts["stage"][value] += n
            counts["governance_logic"][second] += n
        else:
            counts["sector" if grouping == "sector" else "partner_kind"][value] += n
    return counts


STUCK_SHOWN = 20
STUCK_FIELDS = (
    "title",
    "slug",
    "planned_transition_date",
    "project_leader__username",
    "project_leader__first_name",
    "project_leader__last_name",
    "operating_owner__name",
)


def overdue_pilots(initiatives: QuerySet[Initiative], today: datetime.date) -> QuerySet[Initiative]:
    """Pilots whose planned move into operation has passed."""
    return initiatives.filter(stage=Stage.PILOT, planned_transition_date__lt=today)


def portfolio(municipality_ids, today: datetime.date, filters: dict | None = None) -> dict:
    """Counts by stage, sector, governance logic and partner type; pilots past their
    transition date — for the initiatives the municipalities own, after the filters.

    Two queries whatever the number of initiatives: the counts (``portfolio_counts``) and the
    longest overdue pilots with the number of all of them.
    """
    if isinstance(municipality_ids, Municipality):
        municipality_ids = [municipality_ids.pk]
    municipality_ids = list(municipality_ids)
    compiled = compiled_ids(portfolio_initiatives(municipality_ids, filters))
    unfiltered = not any((filters or {}).get(key) for key in PORTFOLIO_FILTERS)
    owners = municipality_ids if unfiltered else None
    counts = portfolio_counts(compiled, owners)
    initiatives = selected_by(compiled)
    # Exactly the initiatives these municipalities own: a module may read its summaries per
    # owner (``owner_scope``). A copy of the queryset (``filter`` …) drops the hint, never
    # making it wrong.
    initiatives.owner_scope = tuple(owners) if owners is not None else None
    # The longest overdue first, bounded; the count of all of them comes with each row.
    stuck_rows = list(
        overdue_pilots(initiatives, today)
        .select_related("project_leader", "operating_owner")
        .only(*STUCK_FIELDS)
        .annotate(overdue_count=Window(Count("id")))
        .order_by("planned_transition_date", "id")[:STUCK_SHOWN]
    )
    return {
        "initiatives": initiatives,
        "total": counts["stage"].total(),
        "by_stage": [(value, label, counts["stage"][value]) for value, label in Stage.choices],
        "by_sector": [
            (value, label, counts["sector"][value]) for value, label in Sector.code.field.choices
        ],
        "by_logic": [
            (value, label, counts["governance_logic"][value])
            for value, label in Initiative.governance_logic.field.choices
        ],
        "by_partner_kind": [
            (value, label, counts["partner_kind"][value])
            for value, label in Organisation.kind.field.choices
        ],
        # The longest overdue first, bounded; the count and the link show all of them.
        "stuck": stuck_rows,
        "stuck_count": stuck_rows[0].overdue_count if stuck_rows else 0,
    }


def stage_changes_in(initiatives, period, limit: int = 50) -> list[StageChange]:
    """The portfolio's lifecycle moves in the report period, newest first (at most ``limit``)."""
    return list(
        StageChange.objects.filter(initiative__in=initiatives)
        .filter(period.q("changed_at__date"))
        .select_related("initiative")
        .order_by("-changed_at", "-pk")[:limit]
    )


def portfolio_stories(initiatives: QuerySet[Initiative]) -> QuerySet[Story]:
    """Every story and lesson of the portfolio's initiatives, newest first. No visibility rule
    is needed: a portfolio holds only initiatives owned by municipalities the user manages, and
    a manager is staff there, so an insider of each (``_insider_q``, ``access_for``)."""
    return Story.objects.filter(initiative__in=initiatives).order_by("-date", "-pk")


def stories_in(initiatives, period, limit: int = 10) -> list[Story]:
    """The portfolio's stories and lessons of the report period, newest first."""
    return list(
        portfolio_stories(initiatives).filter(period.q("date")).select_related("initiative")[:limit]
    )


def public_initiatives_of(organisation: Organisation, access: Access) -> QuerySet[Initiative]:
    return with_card_data(
        initiatives_visible_to(access).filter(
            pk__in=Participation.objects.filter(organisation=organisation).values("initiative_id")
        )
    )


def idea_queue(access: Access) -> QuerySet[IdeaProposal]:
    return IdeaProposal.objects.filter(
        municipality_id__in=access.manager_municipality_ids, status=IdeaStatus.PENDING
    ).select_related("municipality")


def get_idea_for(access: Access, pk: int) -> IdeaProposal:
    try:
        return IdeaProposal.objects.select_related("municipality").get(
            pk=pk, municipality_id__in=access.manager_municipality_ids
        )
    except IdeaProposal.DoesNotExist:
        raise Http404 from None


# --- learning -----------------------------------------------------------------------------

# Short function words that say nothing about what an initiative is about (bokmål, English).
_STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "for",
        "med",
        "til",
        "av",
        "som",
        "er",
        "en",
        "et",
        "ei",
        "de",
        "det",
        "den",
        "å",
        "om",
        "fra",
        "har",
        "ved",
        "eller",
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "with",
        "a",
        "an",
        "on",
        "at",
        "by",
        "is",
        "are",
        "who",
    ]
)


def _words(*texts: str) -> set[str]:
    return {w for text in texts for w in search_tokens(text or "") if w not in _STOP_WORDS}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def similar_initiatives(initiative: Initiative, limit: int = 5) -> list[tuple[Initiative, float]]:
    """Public initiatives in any municipality that resemble this one, best first.

    The score weighs shared sectors (2/4), shared words in the target group (1/4) and in the
    title and need (1/4), each as a Jaccard overlap, so a score is between 0 and 1. Candidates
    share at least one sector or a search word with the initiative; at most 200 are scored.
    """
    sectors = set(initiative.sectors.values_list("pk", flat=True))
    target = _words(initiative.target_group)
    text = _words(initiative.title, initiative.need)
    public = Initiative.objects.filter(visibility=Visibility.PUBLIC).exclude(pk=initiative.pk)
    by_sector = public.filter(
        pk__in=SectorLink.objects.filter(sector_id__in=sectors).values("initiative_id")
    )
    by_text = Initiative.objects.none()
    for word in sorted(text | target)[:6]:  # any of the words, not all: one search each
        by_text = by_text | search_initiatives(public, word)
    candidates = (
        (by_sector | by_text)
        .distinct()
        .select_related("municipality")
        .prefetch_related("sectors")[:200]
    )
    scored = []
    for candidate in candidates:
        score = (
            0.5 * _jaccard(sectors, {s.pk for s in candidate.sectors.all()})
            + 0.25 * _jaccard(target, _words(candidate.target_group))
            + 0.25 * _jaccard(text, _words(candidate.title, candidate.need))
        )
        if score > 0:
            scored.append((candidate, round(score, 2)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].title))
    return scored[:limit]
