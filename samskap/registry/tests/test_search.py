"""Search on both databases: Scandinavian stems, typo tolerance, lessons found by their
initiative, and the showcase's order."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from samskap.conftest import error_summary, make_initiative
from samskap.registry import search, selectors
from samskap.registry.models import Initiative, Stage, Story

LONELINESS = ["ensomhet", "ensomme", "ensomhtet"]


@pytest.fixture
def demo(db):
    from samskap.core.demo import load_demo

    load_demo()


def test_the_three_languages_stems_of_a_word_meet():
    # Norwegian "ensomhet", the plural adjective "ensomme" and Danish "ensomhed" share "ensom".
    assert "ensom" in search.word_stems("ensomhet")
    assert "ensom" in search.word_stems("ensomme")
    assert "ensom" in search.word_stems("ensomhed")


def test_the_demo_finds_matvenner_for_the_loneliness_words_and_lessons_by_title(client, demo):
    """The words of issue 16, on the demo data (this test runs on SQLite and PostgreSQL)."""
    for word in LONELINESS:
        response = client.get(reverse("registry:showcase"), {"q": word})
        titles = [i.title for i in response.context["page"].object_list]
        assert titles == ["Matvenner: middag i fellesskap"], word
        stories = selectors.search_stories(Story.objects.all(), word)
        assert {s.initiative.slug for s in stories} == {"matvenner"}, word
    # A lesson of Ungdomsloftet that does not itself say "ungdom".
    lesson = Story.objects.get(initiative__slug="ungdomsloftet", title="Hvem låser døra?")
    assert "ungdom" not in f"{lesson.title} {lesson.text}".lower()
    response = client.get(reverse("registry:lessons"), {"q": "ungdom"})
    assert lesson in response.context["page"].object_list
    # Every word must match; a short word is not guessed ("mot" is no typo for "mat").
    assert selectors.search_initiatives(Initiative.objects.all(), "ensomhet ungdom").count() == 0
    assert selectors.search_initiatives(Initiative.objects.all(), "mot").count() == 0


@pytest.fixture
def lonely(world):
    """Initiatives in Swedish, Danish and Norwegian, and two that have ended."""
    texts = [
        ("Gemenskap i Gamlestaden", "Äldre som känner ensamhet", Stage.IDEA),
        ("Fællesspisning", "Ældre der føler ensomhed", Stage.IDEA),
        ("Aktive eldre", "Eldre som vil være i bevegelse", Stage.IDEA),
        ("Besøksvenn", "Ensomme eldre", Stage.CLOSED),
        ("Cafe for alle", "Alle som er alene", Stage.REJECTED),
    ]
    made = []
    for title, target, stage in texts:
        initiative = make_initiative(
            world.coordinator, world.home, title, target_group=target, visibility="public"
        )
        Initiative.objects.filter(pk=initiative.pk).update(stage=stage)
        made.append(initiative)
    return made


def _titles(response) -> list[str]:
    return [i.title for i in response.context["page"].object_list]


def test_swedish_and_danish_words_meet_their_norwegian_kin(lonely):
    found = {i.title for i in selectors.search_initiatives(Initiative.objects.all(), "ensomhed")}
    assert {"Fællesspisning", "Besøksvenn"} <= found
    assert "Aktive eldre" not in found
    found = {i.title for i in selectors.search_initiatives(Initiative.objects.all(), "ensamma")}
    assert "Gemenskap i Gamlestaden" in found


def test_the_index_follows_an_edited_and_a_deleted_initiative(lonely):
    initiative = lonely[2]
    initiative.title = "Ensomhetsknuserne"
    initiative.save()
    found = selectors.search_initiatives(Initiative.objects.all(), "ensomhetsknuser")
    assert list(found) == [initiative]
    initiative.delete()
    assert selectors.search_initiatives(Initiative.objects.all(), "ensomhetsknuser").count() == 0


def test_the_showcase_shows_active_initiatives_before_ended_ones_in_every_order(client, lonely):
    for sort in ("", "newest", "name"):
        response = client.get(reverse("registry:showcase"), {"sort": sort})
        assert _titles(response)[-2:] in (
            ["Besøksvenn", "Cafe for alle"],
            ["Cafe for alle", "Besøksvenn"],
        ), sort
    by_name = _titles(client.get(reverse("registry:showcase"), {"sort": "name"}))
    assert by_name[:3] == ["Aktive eldre", "Fællesspisning", "Gemenskap i Gamlestaden"]


def test_the_best_match_comes_first(client, lonely):
    Initiative.objects.filter(title="Aktive eldre").update(description="Eldre, eldre, eldre.")
    response = client.get(reverse("registry:showcase"), {"q": "eldre"})
    assert _titles(response)[0] == "Aktive eldre"
    assert _titles(response)[-1] == "Besøksvenn"  # matches, but has ended


@override_settings(PAGE_SIZE=2)
def test_the_next_page_keeps_the_sort(client, lonely):
    response = client.get(reverse("registry:showcase"), {"sort": "name"})
    assert 'href="?sort=name&amp;page=2"' in response.content.decode()
    second = client.get(reverse("registry:showcase"), {"sort": "name", "page": 2})
    assert _titles(second) == ["Gemenskap i Gamlestaden", "Youth loft"]


@pytest.fixture
def lessons(world):
    """Three public lessons of the public initiative, written on different days."""
    from samskap.accounts.access import access_for
    from samskap.registry import services

    today = datetime.date(2026, 6, 1)
    made = {}
    for days, title, text in (
        (0, "banking on volunteers", "Volunteers need follow-up."),
        (10, "Volunteers, volunteers, volunteers", "Volunteers carry the dinners."),
        (20, "Cooking together", "Volunteers cook with the guests."),
    ):
        made[title] = services.story_create(
            access=access_for(world.coordinator),
            initiative=world.public,
            title=title,
            text=text,
            kind="lesson",
            date=today - datetime.timedelta(days=days),
            visibility="public",
        )
    return made


def _lesson_titles(client, **query) -> list[str]:
    response = client.get(reverse("registry:lessons"), query)
    return [story.title for story in response.context["page"].object_list]


def test_lessons_sort_newest_first_by_default_and_by_title(client, lessons):
    newest = ["banking on volunteers", "Volunteers, volunteers, volunteers", "Cooking together"]
    assert _lesson_titles(client) == newest
    assert _lesson_titles(client, sort="newest") == newest
    # By title, whatever the case of the first letter.
    assert _lesson_titles(client, sort="title") == [
        "banking on volunteers",
        "Cooking together",
        "Volunteers, volunteers, volunteers",
    ]


def test_a_lessons_search_puts_the_best_match_first(client, lessons):
    assert _lesson_titles(client, q="volunteers")[0] == "Volunteers, volunteers, volunteers"
    assert _lesson_titles(client, q="volunteers", sort="newest")[0] == "banking on volunteers"


def test_a_bad_lessons_sort_is_named_and_the_default_order_kept(client, lessons):
    response = client.get(reverse("registry:lessons"), {"sort": "loudest"})
    [(anchor, text)] = error_summary(response.content.decode())
    assert anchor == "id_sort" and text.startswith("Sort by: Select a valid choice.")
    assert [s.title for s in response.context["page"].object_list][0] == "banking on volunteers"


@override_settings(PAGE_SIZE=2)
def test_the_next_page_of_lessons_keeps_the_sort(client, lessons):
    response = client.get(reverse("registry:lessons"), {"sort": "title"})
    assert 'href="?sort=title&amp;page=2"' in response.content.decode()
    assert _lesson_titles(client, sort="title", page=2) == ["Volunteers, volunteers, volunteers"]
