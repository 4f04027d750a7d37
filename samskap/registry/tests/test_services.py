import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.conftest import World
from samskap.registry import services
from samskap.registry.lifecycle import MoveRequest
from samskap.registry.models import IdeaStatus, Initiative, Sector, Stage, StageChange, Story


def move(world: World, user, initiative: Initiative, target: str, **fields) -> StageChange:
    return services.initiative_move(
        access=access_for(user), initiative=initiative, move=MoveRequest(target=target, **fields)
    )


def walk_to_insight(world: World, initiative: Initiative) -> None:
    for target in (Stage.ANCHORING, Stage.INSIGHT):
        move(world, world.project_leader, initiative, target)


def test_reporting_records_the_first_history_entry(world: World) -> None:
    change = world.internal.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "",
        Stage.IDEA,
        world.coordinator,
    )
    assert set(world.internal.owners.all()) == {world.home}


def test_only_staff_of_the_municipality_can_report(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            access=access_for(world.other_coordinator),
            municipality=world.home,
            title="x",
            need="y",
            target_group="z",
            sectors=Sector.objects.all()[:1],
        )


def test_reporting_needs_a_sector(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.initiative_create(
            access=access_for(world.coordinator),
            municipality=world.home,
            title="x",
            need="y",
            target_group="z",
            sectors=[],
        )
    assert "sectors" in error.value.message_dict
    assert not Initiative.objects.filter(title="x").exists()


def test_a_move_to_pilot_records_the_plan(world: World) -> None:
    walk_to_insight(world, world.internal)
    date = timezone.localdate() + datetime.timedelta(days=100)
    change = move(
        world,
        world.project_leader,
        world.internal,
        Stage.PILOT,
        planned_transition_date=date,
        operating_owner_id=world.partner_org.pk,
        post_pilot_funding="Care budget",
        note="Go!",
    )
    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.PILOT
    assert world.internal.planned_transition_date == date
    assert world.internal.operating_owner == world.partner_org
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        Stage.INSIGHT,
        Stage.PILOT,
        world.project_leader,
        "Go!",
    )


def test_an_illegal_move_changes_nothing(world: World) -> None:
    before = (world.internal.stage, world.internal.version, world.internal.stage_changes.count())
    with pytest.raises(ValidationError) as error:
        move(world, world.project_leader, world.internal, Stage.PILOT)
    assert "target" in error.value.message_dict
    world.internal.refresh_from_db()
    assert (
        world.internal.stage,
        world.internal.version,
        world.internal.stage_changes.count(),
    ) == before


def test_an_incomplete_pilot_move_names_every_missing_field(world: World) -> None:
    walk_to_insight(world, world.internal)
    with pytest.raises(ValidationError) as error:
        move(world, world.project_leader, world.internal, Stage.PILOT, post_pilot_funding="  ")
    assert set(error.value.message_dict) == {
        "planned_transition_date",
        "operating_owner",
        "post_pilot_funding",
    }
    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.INSIGHT


def test_closing_stores_the_lesson_as_a_story(world: World) -> None:
    move(
        world,
        world.coordinator,
        world.internal,
        Stage.CLOSED,
        lesson_title="Timing",
        lesson_text="Start with the users.",
    )
    lesson = Story.objects.get(initiative=world.internal)
    assert (lesson.kind, lesson.title, lesson.author) == ("lesson", "Timing", world.coordinator)


def test_partners_and_outsiders_cannot_move_stages(world: World) -> None:
    for user in (world.partner, world.viewer, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            move(world, user, world.internal, Stage.ANCHORING)


def test_a_stale_edit_is_refused_not_overwritten(world: World) -> None:
    version = world.internal.version
    services.initiative_update(
        access=access_for(world.project_leader),
        initiative=world.internal,
        expected_version=version,
        title="First editor",
    )
    with pytest.raises(ValidationError) as error:
        services.initiative_update(
            access=access_for(world.partner),
            initiative=world.internal,
            expected_version=version,
            title="Second editor",
        )
    assert error.value.code == "conflict"
    world.internal.refresh_from_db()
    assert world.internal.title == "First editor"


def test_a_partner_edits_content_but_not_visibility(world: World) -> None:
    access = access_for(world.partner)
    updated = services.initiative_update(
        access=access,
        initiative=world.internal,
        expected_version=world.internal.version,
        description="Now with Thursday dinners",
    )
    assert updated.description == "Now with Thursday dinners"
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            access=access, initiative=updated, expected_version=updated.version, visibility="public"
        )


def test_a_partner_whose_participation_ended_can_no_longer_edit(world: World) -> None:
    participation = world.internal.participations.get()
    participation.start_date = None
    services.participation_end(
        access=access_for(world.coordinator),
        participation=participation,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            access=access_for(world.partner),
            initiative=world.internal,
            expected_version=world.internal.version,
            title="late",
        )


def test_the_history_of_edits_is_kept(world: World) -> None:
    services.initiative_update(
        access=access_for(world.project_leader),
        initiative=world.internal,
        expected_version=world.internal.version,
        title="Renamed",
    )
    titles = list(world.internal.history.order_by("history_date").values_list("title", flat=True))
    assert titles[0] == "Dinner friends" and titles[-1] == "Renamed"


def test_an_accepted_idea_becomes_an_internal_initiative(world: World) -> None:
    idea = services.idea_submit(municipality=world.home, title="Repair café", need="Fix things")
    initiative = services.idea_accept(
        access=access_for(world.coordinator),
        idea=idea,
        target_group="Everyone",
        sectors=Sector.objects.filter(code="environment"),
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED and idea.initiative == initiative
    assert (initiative.stage, initiative.visibility) == (Stage.IDEA, "internal")
    with pytest.raises(ValidationError):
        services.idea_reject(access=access_for(world.coordinator), idea=idea, note="twice")


def test_only_the_municipalitys_coordinators_moderate(world: World) -> None:
    idea = services.idea_submit(municipality=world.home, title="Repair café", need="Fix things")
    for user in (world.other_coordinator, world.project_leader, world.partner):
        with pytest.raises(PermissionDenied):
            services.idea_reject(access=access_for(user), idea=idea, note="no")
