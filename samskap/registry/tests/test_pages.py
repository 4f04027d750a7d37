import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.conftest import World, make_initiative, make_stories
from samskap.registry import services
from samskap.registry.models import IdeaProposal, Initiative, Sector, Stage


def public(world: World, title: str, **kwargs) -> Initiative:
    return make_initiative(world.coordinator, world.home, title, visibility="public", **kwargs)


def test_the_showcase_lists_public_initiatives_with_their_sectors(world: World) -> None:
    content = world.client(None).get("/").content.decode()
    assert "Youth loft" in content and "Children and youth" in content
    assert "1 initiative" in content


def test_the_showcase_searches_by_word_prefix(world: World) -> None:
    public(world, "Repair café", need="Broken bicycles and toasters", target_group="Everyone")
    found = world.client(None).get("/", {"q": "bicycl"}).content.decode()
    assert "Repair café" in found and "Youth loft" not in found


def test_the_showcase_filters_by_sector_stage_partner_type_and_municipality(world: World) -> None:
    health = public(world, "Walking friends", sectors=Sector.objects.filter(code="health"))
    services.participation_add(
        access=access_for(world.coordinator),
        initiative=health,
        organisation=world.other_org,
        role="funder",
    )
    foreign = make_initiative(
        world.other_coordinator, world.other, "Library hour", visibility="public"
    )
    client = world.client(None)

    def titles(**params) -> set[str]:
        page = client.get("/", params).context["page"]
        return {initiative.title for initiative in page.object_list}

    assert titles(sector="health") == {"Walking friends"}
    assert titles(stage="idea") == {"Walking friends", "Youth loft", "Library hour"}
    assert titles(partner_kind="business") == {"Walking friends"}
    assert titles(municipality=world.other.slug) == {foreign.title}
    assert titles(sector="health", municipality=world.other.slug) == set()


def test_an_unknown_filter_value_is_reported_and_ignored(world: World) -> None:
    response = world.client(None).get("/", {"sector": "astrology"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_the_showcase_paginates(world: World, settings) -> None:
    settings.PAGE_SIZE = 2
    for n in range(4):
        public(world, f"Extra {n}")
    first = world.client(None).get("/")
    assert len(first.context["page"].object_list) == 2
    assert "Page 1 of 3" in first.content.decode()
    last = world.client(None).get("/", {"page": 3})
    assert len(last.context["page"].object_list) == 1
    assert world.client(None).get("/", {"page": "999"}).context["page"].number == 3


def test_htmx_gets_only_the_results_fragment(world: World) -> None:
    response = world.client(None).get("/", {"q": "youth"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<p class="count">')
    assert "<html" not in content and "Youth loft" in content


def test_the_showcase_query_count_does_not_grow_with_results(
    world: World, django_assert_max_num_queries
) -> None:
    for n in range(15):
        public(world, f"Extra {n}", sectors=Sector.objects.all()[:3])
    with django_assert_max_num_queries(5):
        world.client(None).get("/")


def test_the_initiative_page_shows_the_whole_history(world: World) -> None:
    client = world.client(world.project_leader)
    for target in ("anchoring", "insight"):
        assert (
            client.post(
                reverse("registry:initiative_move", args=[world.internal.slug]), {"target": target}
            ).status_code
            == 302
        )
    content = client.get(
        reverse("registry:initiative", args=[world.internal.slug])
    ).content.decode()
    assert "Anchoring → Insight" in content and "Idea → Anchoring" in content


def test_a_refused_move_shows_the_errors_and_keeps_the_stage(world: World) -> None:
    Initiative.objects.filter(pk=world.internal.pk).update(stage=Stage.INSIGHT)
    response = world.client(world.project_leader).post(
        reverse("registry:initiative_move", args=[world.internal.slug]), {"target": "pilot"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "A pilot needs a planned date for transition to operation." in content
    assert "A pilot needs a plan for funding after the pilot." in content
    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.INSIGHT


def test_a_complete_pilot_move_is_saved(world: World) -> None:
    Initiative.objects.filter(pk=world.internal.pk).update(stage=Stage.INSIGHT)
    date = timezone.localdate() + datetime.timedelta(days=60)
    response = world.client(world.project_leader).post(
        reverse("registry:initiative_move", args=[world.internal.slug]),
        {
            "target": "pilot",
            "planned_transition_date": date.isoformat(),
            "operating_owner": world.partner_org.pk,
            "post_pilot_funding": "Care budget",
        },
    )
    assert response.status_code == 302
    world.internal.refresh_from_db()
    assert (world.internal.stage, world.internal.planned_transition_date) == (Stage.PILOT, date)


def test_reporting_an_initiative_through_the_form(world: World) -> None:
    response = world.client(world.viewer).post(
        reverse("registry:initiative_create"),
        {
            "title": "Men's shed",
            "need": "Somewhere to make things together",
            "target_group": "Retired men",
            "sectors": [Sector.objects.get(code="health").pk],
            "governance_logic": "network",
            "visibility": "internal",
        },
    )
    initiative = Initiative.objects.get(title="Men's shed")
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.municipality == world.home and initiative.stage == Stage.IDEA


def test_a_form_error_names_the_field(world: World) -> None:
    response = world.client(world.coordinator).post(
        reverse("registry:initiative_create"), {"title": "", "need": "x", "target_group": "y"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "sectors"}
    assert "This field is required." in response.content.decode()


def test_a_stale_edit_form_shows_the_conflict(world: World) -> None:
    data = {
        "title": "Changed",
        "need": "n",
        "target_group": "t",
        "sectors": [Sector.objects.get(code="health").pk],
        "governance_logic": "network",
        "visibility": "internal",
        "version": world.internal.version - 1,
    }
    response = world.client(world.project_leader).post(
        reverse("registry:initiative_edit", args=[world.internal.slug]), data
    )
    assert response.status_code == 200
    assert "Someone else saved this initiative" in response.content.decode()
    world.internal.refresh_from_db()
    assert world.internal.title == "Dinner friends"


def test_the_partner_edit_form_has_no_visibility_field(world: World) -> None:
    response = world.client(world.partner).get(
        reverse("registry:initiative_edit", args=[world.internal.slug])
    )
    assert "visibility" not in response.context["form"].fields


def test_a_public_idea_lands_in_the_moderation_queue(world: World) -> None:
    response = world.client(None).post(
        reverse("registry:idea_submit"),
        {"municipality": world.home.pk, "title": "Bench by the fjord", "need": "Rest on walks"},
    )
    assert response.status_code == 302
    idea = IdeaProposal.objects.get()
    assert idea.status == "pending"
    queue = world.client(world.coordinator).get(reverse("registry:idea_queue")).content.decode()
    assert "Bench by the fjord" in queue
    other = (
        world.client(world.other_coordinator).get(reverse("registry:idea_queue")).content.decode()
    )
    assert "Bench by the fjord" not in other
    assert "Bench by the fjord" not in world.client(None).get("/").content.decode()


def test_a_bot_filling_the_hidden_field_stores_nothing(world: World) -> None:
    world.client(None).post(
        reverse("registry:idea_submit"),
        {"municipality": world.home.pk, "title": "Spam", "need": "Spam", "homepage": "http://x"},
    )
    assert not IdeaProposal.objects.exists()


def test_moderation_accepts_an_idea(world: World) -> None:
    idea = services.idea_submit(municipality=world.home, title="Bench", need="Rest")
    response = world.client(world.coordinator).post(
        reverse("registry:idea_moderate", args=[idea.pk]),
        {
            "decision": "accept",
            "target_group": "Walkers",
            "sectors": [Sector.objects.get(code="local_community").pk],
        },
    )
    initiative = Initiative.objects.get(title="Bench")
    assert response["Location"] == initiative.get_absolute_url()
    assert (
        world.client(world.other_coordinator)
        .get(reverse("registry:idea_moderate", args=[idea.pk]))
        .status_code
        == 404
    )


def test_the_portfolio_counts_and_lists_stuck_pilots(world: World) -> None:
    # The query count is checked against the size of the data in samskap/reports/tests.
    Initiative.objects.filter(pk=world.internal.pk).update(
        stage=Stage.PILOT, planned_transition_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    Initiative.objects.filter(pk=world.public.pk).update(
        stage=Stage.PILOT, planned_transition_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    client = world.client(world.coordinator)
    response = client.get(reverse("registry:portfolio"))
    portfolio = response.context["portfolio"]
    assert portfolio["total"] == 2
    assert {v: n for v, _label, n in portfolio["by_stage"]}["pilot"] == 2
    assert {v: n for v, _label, n in portfolio["by_sector"]}["children_youth"] == 1
    assert [i.title for i in portfolio["stuck"]] == ["Dinner friends"]
    assert "Secret dinner plan" not in response.content.decode()


def test_the_stuck_pilot_list_is_bounded_and_links_to_all_of_them(world: World, settings) -> None:
    from samskap.registry import selectors

    past = timezone.localdate() - datetime.timedelta(days=10)
    for n in range(selectors.STUCK_SHOWN + 3):
        initiative = make_initiative(world.coordinator, world.home, f"Late pilot {n}")
        Initiative.objects.filter(pk=initiative.pk).update(
            stage=Stage.PILOT, planned_transition_date=past - datetime.timedelta(days=n)
        )
    client = world.client(world.coordinator)
    response = client.get(reverse("registry:portfolio"))
    portfolio = response.context["portfolio"]
    assert len(portfolio["stuck"]) == selectors.STUCK_SHOWN
    assert portfolio["stuck_count"] == selectors.STUCK_SHOWN + 3
    # The longest overdue come first.
    assert portfolio["stuck"][0].title == f"Late pilot {selectors.STUCK_SHOWN + 2}"
    content = response.content.decode()
    assert f"The {selectors.STUCK_SHOWN} longest overdue of {selectors.STUCK_SHOWN + 3}" in content
    link = re.search(r'href="(/mine/\?[^"]*overdue=1)"', content).group(1).replace("&amp;", "&")
    settings.PAGE_SIZE = 100
    rows = client.get(link)
    assert rows.context["page"].paginator.count == selectors.STUCK_SHOWN + 3
    assert {i.title for i in rows.context["page"].object_list} == {
        f"Late pilot {n}" for n in range(selectors.STUCK_SHOWN + 3)
    }


def test_a_co_owned_initiative_counts_in_both_portfolios(world: World) -> None:
    make_initiative(world.coordinator, world.home, "Joint purchase", co_owners=[world.other])
    theirs = world.client(world.other_coordinator).get(reverse("registry:portfolio"))
    assert theirs.context["portfolio"]["total"] == 2
    content = world.client(world.other_coordinator).get("/mine/", {"q": "joint"}).content.decode()
    assert "Joint purchase" in content


def test_the_organisation_page_lists_only_visible_initiatives(world: World) -> None:
    url = reverse("registry:organisation", args=[world.partner_org.slug])
    assert "Dinner friends" not in world.client(None).get(url).content.decode()
    assert "Dinner friends" in world.client(world.partner).get(url).content.decode()
    assert world.client(None).get(reverse("registry:organisations")).status_code == 200


def test_the_language_switcher_sets_bokmal(world: World) -> None:
    client = world.client(None)
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert 'lang="nb"' in content
    assert "Søk" in content


def test_bokmal_is_the_default_language(db, client, settings) -> None:
    settings.LANGUAGE_CODE = "nb"
    content = client.get("/").content.decode()
    assert 'lang="nb"' in content


def test_an_unknown_page_uses_the_friendly_404(db, client, settings) -> None:
    settings.DEBUG = False
    response = client.get("/initiativ/does-not-exist/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "We could not find this page" in response.content.decode()


def test_login_and_logout(world: World) -> None:
    from django.test import Client

    client = Client()
    response = client.post(reverse("login"), {"username": "leader", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("registry:dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("registry:dashboard")).status_code == 302


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/registry/initiative/", "/admin/accounts/organisation/add/"]
)
def test_the_admin_opens_for_superusers(world: World, url: str) -> None:
    world.coordinator.is_staff = world.coordinator.is_superuser = True
    world.coordinator.save()
    assert world.client(world.coordinator).get(url).status_code == 200


@pytest.mark.parametrize("filters", [{}, {"sector": "elderly_care"}, {"stage": "idea"}])
def test_every_portfolio_figure_links_to_exactly_its_rows(world: World, filters) -> None:
    """Each count on the portfolio is a link; following it lists that many initiatives."""
    make_initiative(world.other_coordinator, world.other, "Public elsewhere", visibility="public")
    client = world.client(world.coordinator)
    html = client.get(reverse("registry:portfolio"), filters).content.decode()
    links = re.findall(r'<a href="(/mine/\?[^"]+)">(\d+)</a>', html)
    assert len(links) >= 4
    for href, figure in links:
        rows = client.get(unescape(href))
        assert rows.context["page"].paginator.count == int(figure), href
    assert "Public elsewhere" not in client.get(unescape(links[0][0])).content.decode()


def test_the_compiled_initiative_set_selects_the_same_rows(world: World) -> None:
    from samskap.registry import selectors

    for filters in ({}, {"stage": "idea"}, {"sector": "children_youth"}, {"sector": "nonsense"}):
        owned = selectors.portfolio_initiatives([world.home.pk], filters)
        assert set(selectors.selected_by(selectors.compiled_ids(owned))) == set(owned)
    nobody = selectors.portfolio([], timezone.localdate())
    assert nobody["total"] == 0 and not nobody["stuck"] and not nobody["initiatives"].exists()


def test_the_one_statement_counts_equal_counting_each_grouping_with_the_orm(
    world: World,
) -> None:
    """``portfolio_counts`` (raw SQL) against the ORM: initiatives with several sectors, several
    partners of one type, co-owned ones and others' initiatives, under several filters."""
    import random

    from django.db.models import Count

    from samskap.accounts.models import Organisation
    from samskap.registry import selectors
    from samskap.registry.models import GovernanceLogic, Participation

    rng = random.Random(7)
    sectors = list(Sector.objects.all())
    kinds = ["voluntary", "business", "research"]
    organisations = [
        Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}", kind=kinds[n % 3])
        for n in range(6)
    ]
    for n in range(14):
        owner, coordinator = rng.choice(
            [(world.home, world.coordinator), (world.other, world.other_coordinator)]
        )
        initiative = make_initiative(
            coordinator,
            owner,
            f"Mixed {n}",
            sectors=rng.sample(sectors, rng.randint(1, 3)),
            co_owners=[world.other] if owner == world.home and n % 4 == 0 else [],
        )
        Initiative.objects.filter(pk=initiative.pk).update(
            stage=rng.choice(Stage.values), governance_logic=rng.choice(GovernanceLogic.values)
        )
        for organisation in rng.sample(organisations, rng.randint(0, 3)):
            Participation.objects.create(
                municipality=owner,
                initiative=initiative,
                organisation=organisation,
                role="co_creator",
            )
    totals = []
    for ids, filters in (
        ([world.home.pk], {}),
        ([world.home.pk, world.other.pk], {}),
        ([world.other.pk], {"stage": "pilot"}),
        ([world.home.pk], {"partner_kind": kinds[1]}),
        ([world.home.pk, world.other.pk], {"sector": sectors[0].code}),
    ):
        chosen = selectors.portfolio_initiatives(ids, filters)
        counts = selectors.portfolio_counts(selectors.compiled_ids(chosen))
        distinct = Initiative.objects.filter(pk__in=chosen.values("pk"))
        expected = {
            "stage": dict(distinct.values_list("stage").annotate(n=Count("id"))),
            "governance_logic": dict(
                distinct.values_list("governance_logic").annotate(n=Count("id"))
            ),
            "sector": dict(
                distinct.filter(sectors__isnull=False)
                .values_list("sectors__code")
                .annotate(n=Count("id"))
            ),
            "partner_kind": dict(
                distinct.filter(participations__isnull=False)
                .values_list("participations__organisation__kind")
                .annotate(n=Count("id", distinct=True))
            ),
        }
        assert {key: dict(counter) for key, counter in counts.items()} == expected, filters
        totals.append(sum(counts["stage"].values()))
        assert totals[-1] == distinct.count()
    assert 0 < totals[0] < totals[1]  # the data reach the statement


def test_the_portfolio_stories_are_exactly_those_its_readers_may_see(world: World) -> None:
    """``portfolio_stories`` has no visibility rule; it must select what ``stories_visible_to``
    would, for every user who has a portfolio (a coordinator who is also a partner elsewhere,
    co-owned initiatives, internal and public stories)."""
    from samskap.accounts.models import Membership, Role
    from samskap.registry import selectors

    joint = make_initiative(world.other_coordinator, world.other, "Joint", co_owners=[world.home])
    Membership.objects.create(
        user=world.coordinator, role=Role.PARTNER, organisation=world.other_org
    )
    make_stories(
        [
            (world.internal, world.coordinator),
            (world.public, world.coordinator),
            (world.foreign_internal, world.other_coordinator),
            (joint, world.other_coordinator),
        ]
    )
    for user in (world.coordinator, world.other_coordinator):
        access = access_for(user)
        for ids in ([m] for m in access.manager_municipality_ids):
            for filters in ({}, {"stage": "idea"}):
                portfolio = selectors.portfolio_initiatives(ids, filters)
                shown = set(selectors.portfolio_stories(portfolio))
                assert shown == set(
                    selectors.stories_visible_to(access).filter(initiative__in=portfolio)
                )
                if not filters:
                    assert len(shown) == 2 * portfolio.count() > 0


def test_the_portfolio_counts_the_ideas_awaiting_moderation(world: World) -> None:
    for municipality, status in (
        (world.home, "pending"),
        (world.home, "pending"),
        (world.home, "accepted"),
        (world.other, "pending"),
    ):
        IdeaProposal.objects.create(
            municipality=municipality, title="Idea", need="A need", status=status
        )
    page = world.client(world.coordinator).get(reverse("registry:portfolio")).content.decode()
    assert "2 ideas await moderation." in page
    theirs = world.client(world.other_coordinator).get(reverse("registry:portfolio"))
    assert "1 idea awaits moderation." in theirs.content.decode()


def _field_names(page: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', page))


def test_the_move_form_shows_only_what_the_chosen_move_needs(world: World) -> None:
    Initiative.objects.filter(pk=world.internal.pk).update(stage=Stage.INSIGHT)
    client = world.client(world.project_leader)
    url = reverse("registry:initiative_move", args=[world.internal.slug])
    # The first allowed move (pilot) by default; another through ?target= (what htmx fetches).
    pilot = _field_names(client.get(url).content.decode())
    assert {"planned_transition_date", "operating_owner", "post_pilot_funding"} <= pilot
    assert not pilot & {"decision_body", "lesson_title"}
    closed = _field_names(client.get(url, {"target": "closed"}).content.decode())
    assert {"lesson_title", "lesson_text"} <= closed
    assert not closed & {"planned_transition_date", "decision_body"}
    # Without JavaScript: choosing another move and posting shows its fields, no errors yet.
    response = client.post(url, {"target": "closed", "shown_for": "pilot"})
    assert response.status_code == 200 and "lesson_text" in _field_names(response.content.decode())
    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.INSIGHT


def test_the_move_form_fills_in_what_is_known(world: World) -> None:
    date = timezone.localdate() + datetime.timedelta(days=30)
    Initiative.objects.filter(pk=world.internal.pk).update(
        stage=Stage.OPERATIONS_DECISION,
        planned_transition_date=date,
        operating_owner=world.partner_org,
        post_pilot_funding="Care budget",
    )
    client = world.client(world.project_leader)
    url = reverse("registry:initiative_move", args=[world.internal.slug])
    page = client.get(url, {"target": "pilot"}).content.decode()
    assert f'value="{date.isoformat()}"' in page and "Care budget" in page
    # Leaving the operations-decision stage asks for the decision; entering operation later
    # finds it filled in.
    page = client.get(url, {"target": "transition"}).content.decode()
    assert 'name="decision_body"' in page
    response = client.post(
        url,
        {
            "target": "transition",
            "shown_for": "transition",
            "decision_body": "Municipal council",
            "decision_case_number": "26/42",
            "decision_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(url, {"target": "operation"}).content.decode()
    assert 'value="Municipal council"' in page and 'value="26/42"' in page
